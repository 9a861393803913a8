import { createHmac } from 'node:crypto';
import type { StoredApplicant } from '../../../db/schema/dossiers.js';
import type { ProcedureRow } from '../../../db/schema/index.js';
import { formatInstant } from '../../../domain/calendar/local-time.js';
import { formHeading, type FormKind, type FormsCircular } from '../../../domain/dossier/forms-circular.js';
import { DomainError } from '../../../lib/errors.js';

/**
 * The forms of Thông tư 01/2018/TT-VPCP and of Thông tư 03/2025/TT-VPCP as data: what a desk prints. Each names
 * its number under the circular the dossier was received under, its legal basis and version
 * (src/domain/dossier/forms-circular.ts). Times are local (UTC+7) ISO strings with offset.
 */
const local = (d: Date | number) => formatInstant(typeof d === 'number' ? d : d.getTime());

/** The heading of a form, or 404 where the dossier's circular has no such form. */
export function headingOf(circular: FormsCircular, kind: FormKind) {
  const heading = formHeading(circular, kind);
  if (!heading) throw new DomainError('NOT_FOUND', `${circular.name} has no form "${kind}"`);
  return heading;
}

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
  /** The desk that returns the result, when not the receiving one (intake anywhere in the city). */
  returnDesk?: DeskRef;
  ratingSecret: string;
  /** The receiving officer's full name (StaffNames); the account's username when not given. */
  receivedByName?: string;
  circular: FormsCircular;
}) {
  const d = x.dossier;
  return {
    ...headingOf(x.circular, 'receipt'),
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
          : `Nhận tại ${x.returnDesk?.name ?? d.resultDelivery.deskCode ?? x.desk.name}`,
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
  circular: FormsCircular;
}) {
  return {
    ...headingOf(x.circular, 'supplement-guidance'),
    desk: x.desk.name,
    applicant: applicantLines(x.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    items: x.missing.map((name, i) => ({ no: i + 1, name, reason: x.reason ?? 'Thành phần hồ sơ bắt buộc chưa nộp' })),
    at: local(x.at),
    officer: x.officer,
  };
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export function refusalForm(x: { procedure: ProcedureRow; desk: DeskRef; applicant: StoredApplicant; reason: string; at: Date; officer: string; circular: FormsCircular }) {
  return {
    ...headingOf(x.circular, 'refusal'),
    desk: x.desk.name,
    applicant: applicantLines(x.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    reason: x.reason,
    at: local(x.at),
    officer: x.officer,
  };
}

/**
 * Mẫu 04: the apology and new appointment (TT 01/2018: Phiếu xin lỗi và hẹn lại ngày trả kết quả; TT 03/2025: Văn
 * bản xin lỗi và đề nghị gia hạn thời gian giải quyết), drafted by the SLA sweep or issued by the agency's head.
 */
export function apologyForm(x: {
  dossier: { code: string; applicant: StoredApplicant; dueAt: Date | null };
  apology: {
    status: 'draft' | 'issued';
    agencyCode: string;
    reason: string | null;
    previousDueAt: Date | null;
    proposedDueAt: Date;
    newDueAt: Date | null;
    issuedAt: Date | null;
    issuedBy: string | null;
    lateApology: boolean | null;
  };
  desk: DeskRef;
  circular: FormsCircular;
}) {
  const a = x.apology;
  const iso = (d: Date | null) => (d ? local(d) : null);
  return {
    ...headingOf(x.circular, 'apology'),
    dossierCode: x.dossier.code,
    status: a.status,
    agencyCode: a.agencyCode,
    desk: x.desk.name,
    applicantName: x.dossier.applicant.name,
    reason: a.reason,
    previousAppointment: iso(a.previousDueAt ?? x.dossier.dueAt),
    proposedAppointment: local(a.proposedDueAt),
    newAppointment: iso(a.newDueAt),
    issuedAt: iso(a.issuedAt),
    issuedBy: a.issuedBy,
    lateApology: a.lateApology,
  };
}

/**
 * Mẫu 05 of Thông tư 03/2025: Thông báo dừng giải quyết hồ sơ. The applicant asked to stop (Nghị định 118/2025
 * Art. 21(1)); the receiving desk checked that no decision or notice of result had been issued and gives this
 * notice (Thông tư 03/2025 Art. 7(1)). In motcua that is a withdrawal: allowed only while the dossier is open.
 */
export function stopNoticeForm(x: {
  dossier: { code: string; applicant: StoredApplicant; receivedAt: Date };
  procedure: ProcedureRow;
  desk: DeskRef;
  requestedAt: Date;
  reason: string;
  stage: string;
  officer: string;
  circular: FormsCircular;
}) {
  return {
    ...headingOf(x.circular, 'stop-notice'),
    dossierCode: x.dossier.code,
    desk: x.desk.name,
    applicant: applicantLines(x.dossier.applicant),
    procedure: { code: x.procedure.code, name: x.procedure.name },
    receivedAt: local(x.dossier.receivedAt),
    requestedAt: local(x.requestedAt),
    reason: x.reason,
    stage: x.stage,
    decision: 'Chưa có quyết định giải quyết hoặc văn bản thông báo kết quả giải quyết thủ tục hành chính',
    notice: `Bộ phận Một cửa thông báo dừng giải quyết hồ sơ ${x.dossier.code} theo đề nghị của tổ chức, cá nhân (Điều 21 Nghị định 118/2025/NĐ-CP; Điều 7 Thông tư 03/2025/TT-VPCP).`,
    at: local(x.requestedAt),
    officer: x.officer,
  };
}
