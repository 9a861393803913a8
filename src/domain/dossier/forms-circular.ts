import { localDateOf } from '../calendar/local-time.js';

/**
 * Which circular's forms a dossier is printed on. Thông tư 01/2018/TT-VPCP (guiding Nghị định 61/2018) gave six
 * forms; Thông tư 03/2025/TT-VPCP (guiding Nghị định 118/2025, in force 2025-07-01) gives seven, adding the notice
 * of stopping a dossier at the applicant's request (Mẫu 05, NĐ 118 Art. 21, TT 03 Art. 7) and renumbering the
 * control slip and the register. A dossier keeps the forms of the circular in force when it was received.
 */
export type FormKind = 'receipt' | 'supplement-guidance' | 'refusal' | 'apology' | 'stop-notice' | 'control-slip' | 'register';

export interface FormsCircular {
  id: 'TT01/2018' | 'TT03/2025';
  /** The circular as it is cited. */
  name: string;
  /** How its forms are attached to it, as the form's heading cites it. */
  attached: string;
  forms: Partial<Record<FormKind, { no: string; title: string }>>;
}

/** The forms' titles as Thông tư 03/2025 gives them. */
const TITLES: Record<FormKind, string> = {
  receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  'supplement-guidance': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  refusal: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
  apology: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết',
  'stop-notice': 'Thông báo dừng giải quyết hồ sơ',
  'control-slip': 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
  register: 'Sổ theo dõi hồ sơ',
};

/** A circular's forms in its order, numbered 01, 02, … as it numbers them. */
const numbered = (kinds: FormKind[], titles: Partial<Record<FormKind, string>> = {}): FormsCircular['forms'] =>
  Object.fromEntries(kinds.map((kind, i) => [kind, { no: String(i + 1).padStart(2, '0'), title: titles[kind] ?? TITLES[kind] }]));

export const TT01_2018: FormsCircular = {
  id: 'TT01/2018',
  name: 'Thông tư 01/2018/TT-VPCP',
  attached: 'ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ',
  forms: numbered(['receipt', 'supplement-guidance', 'refusal', 'apology', 'control-slip', 'register'], { apology: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả' }),
};

export const TT03_2025: FormsCircular = {
  id: 'TT03/2025',
  name: 'Thông tư 03/2025/TT-VPCP',
  attached: 'Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ',
  forms: numbered(['receipt', 'supplement-guidance', 'refusal', 'apology', 'stop-notice', 'control-slip', 'register']),
};

/**
 * The rule: Thông tư 03/2025's forms apply to dossiers received (local date, UTC+7) on or after `tt03From`, its
 * effect date for forms (the setting FORMS_TT03_2025_FROM), and Thông tư 01/2018's to those received before.
 */
export function formsCircularFor(receivedAt: Date, tt03From: string): FormsCircular {
  return localDateOf(receivedAt.getTime()) >= tt03From ? TT03_2025 : TT01_2018;
}

/** What every form prints of its basis: its number and title under the circular, the circular, and a version. */
export interface FormHeading {
  form: string;
  title: string;
  legalBasis: string;
  /** `<circular>/Mẫu <no>`: which form of which circular, for a client that lays the form out itself. */
  formVersion: string;
}

/** The heading of a form under a circular; null when that circular has no such form (TT 01/2018: no stop notice). */
export function formHeading(circular: FormsCircular, kind: FormKind): FormHeading | null {
  const f = circular.forms[kind];
  if (!f) return null;
  return { form: `Mẫu ${f.no}`, title: f.title, legalBasis: `Mẫu số ${f.no} ${circular.attached}`, formVersion: `${circular.id}/Mẫu ${f.no}` };
}
