import { createHmac } from 'node:crypto';
import type { StoredApplicant } from '../../../db/schema/dossiers.js';
import type { ProcedureRow } from '../../../db/schema/index.js';
import { formatInstant } from '../../../domain/calendar/local-time.js';

/**
 * The forms of Thông tư 01/2018/TT-VPCP (kept in Thông tư 03/2025/TT-VPCP) as data: what a desk prints.
 * Times are local (UTC+7) ISO strings with offset.
 */
const local = (d: Date | number) => formatInstant(typeof d === 'number' ? d : d.getTime());

interface DeskRef {
  code: string;
  name: string;
}

/** The rating token printed on the receipt: derived from the code, so a reprinted receipt carries the same. */
export const ratingTokenOf = (dossierCode: string, secret: string) =>
  createHmac('sha256', secret).update(`rating:${dossierCode}`).digest('base64url').slice(0, 16);

const applicantLines = (a: StoredApplicant) => ({
  name: a.name,
  kind: a.kind,
  address: a.address,
  phone: a.phone,
  email: a.email,
  citizenId: a.citizenIdMasked,
  taxCode: a.taxCode,
  representative: a.representative,
});

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export function receiptForm(x: {
  dossier: {
    code: string;
    applicant: StoredApplicant;
    documents: { name: string; original: boolean; digitised: boolean }[];
    receivedAt: Date;
    dueAt: Date | null;
    originalDueAt: Date;
    resultDelivery: { method: string; address?: string; deskCode?: string };
    createdBy: string;
  };
  procedure: ProcedureRow;
  desk: DeskRef;
  ratingSecret: string;
  /** The receiving officer's full name (StaffNames); the account's username when not given. */
  receivedByName?: string;
}) {
  const d = x.dossier;
  return {
    form: 'Mẫu 01',
    title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    dossierCode: d.code,
    desk: x.desk.name,
    applicant: applicantLines(d.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    documents: d.documents.map((doc, i) => ({ no: i + 1, name: doc.name, kind: doc.original ? 'Bản chính' : 'Bản sao', digitised: doc.digitised })),
    receivedAt: local(d.receivedAt),
    appointment: local(d.dueAt ?? d.originalDueAt),
    resultDelivery:
      d.resultDelivery.method === 'post'
        ? `Gửi qua dịch vụ bưu chính công ích đến: ${d.resultDelivery.address ?? ''}`
        : d.resultDelivery.method === 'electronic'
          ? 'Nhận kết quả điện tử'
          : `Nhận tại ${d.resultDelivery.deskCode ?? x.desk.name}`,
    lookup: `Tra cứu tình trạng hồ sơ bằng mã ${d.code} và 4 số cuối điện thoại`,
    ratingToken: ratingTokenOf(d.code, x.ratingSecret),
    receivedBy: x.receivedByName ?? d.createdBy,
  };
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (every missing item, once). */
export function supplementGuidanceForm(x: {
  procedure: ProcedureRow;
  desk: DeskRef;
  applicant: StoredApplicant;
  missing: string[];
  at: Date;
  officer: string;
  reason?: string;
}) {
  return {
    form: 'Mẫu 02',
    title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
    desk: x.desk.name,
    applicant: applicantLines(x.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    items: x.missing.map((name, i) => ({ no: i + 1, name, reason: x.reason ?? 'Thành phần hồ sơ bắt buộc chưa nộp' })),
    at: local(x.at),
    officer: x.officer,
  };
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export function refusalForm(x: { procedure: ProcedureRow; desk: DeskRef; applicant: StoredApplicant; reason: string; at: Date; officer: string }) {
  return {
    form: 'Mẫu 03',
    title: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
    desk: x.desk.name,
    applicant: applicantLines(x.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    reason: x.reason,
    at: local(x.at),
    officer: x.officer,
  };
}
