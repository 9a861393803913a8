import { formatInstant } from '../../domain/calendar/index.js';

export type NoticeKind = 'receipt' | 'supplement_request' | 'apology' | 'result_ready';

const when = (d: Date | null) => (d ? formatInstant(d.getTime()).slice(0, 16).replace('T', ' ') : '');

/** Vietnamese message texts. Apologies are urgent (sent at any hour); the others wait for working hours. */
export const templates: Record<NoticeKind, { urgent: boolean; text: (x: { code: string; dueAt: Date | null; reason?: string }) => string }> = {
  receipt: {
    urgent: false,
    text: (x) => `Hồ sơ ${x.code} đã được tiếp nhận. Hẹn trả kết quả: ${when(x.dueAt)}. Tra cứu bằng mã hồ sơ và 4 số cuối điện thoại.`,
  },
  supplement_request: {
    urgent: false,
    text: (x) => `Hồ sơ ${x.code} cần bổ sung: ${x.reason ?? ''}. Thời gian giải quyết tạm dừng đến khi nhận đủ hồ sơ.`,
  },
  apology: {
    urgent: true,
    text: (x) => `Xin lỗi ông/bà: hồ sơ ${x.code} chưa giải quyết đúng hẹn (${x.reason ?? ''}). Hẹn lại ngày trả kết quả: ${when(x.dueAt)}.`,
  },
  result_ready: {
    urgent: false,
    text: (x) => `Hồ sơ ${x.code} đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.`,
  },
};

/** SMS gateways charge per GSM-7 segment: the SMS text goes without diacritics (đ → d), case kept. */
export const smsText = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
