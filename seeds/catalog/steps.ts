import { PROVINCIAL_COMMITTEE, SERVICE_CENTRE } from './agencies.js';
import type { Authority, Level, ProcedureStepSeed } from './types.js';

const round = (m: number, to: number) => Math.max(to, Math.round(m / to) * to);

/**
 * The internal process of a procedure (quy trình nội bộ): desk intake → the implementing agency's specialist
 * → its head → (for a committee's authority) the committee's office and leader → the desk returns the result.
 * Allotted working minutes add up exactly to `total`; the specialist's step takes what the others leave.
 */
/** The province's centre and committee the steps name: Quảng Nam's until 2025-06-30, the city's after. */
export interface StepOrganisation {
  centre: string;
  provinceCommittee: string;
}
const QUANG_NAM: StepOrganisation = { centre: SERVICE_CENTRE, provinceCommittee: PROVINCIAL_COMMITTEE };

export function buildSteps(
  level: Level,
  agencyCode: string,
  authority: Authority,
  committeeSigns: boolean,
  total: number,
  org: StepOrganisation = QUANG_NAM,
): ProcedureStepSeed[] {
  // Whole half-hours for long processes, quarter-hours down to two hours, five minutes for the shortest (an hour).
  const unit = total >= 960 ? 30 : total >= 120 ? 15 : 5;
  const desk = level === 'province' ? { kind: 'desk' as const, agencyCode: org.centre } : { kind: 'desk' as const };
  const intake = round(Math.min(240, total * 0.05), unit);
  const returning = round(Math.min(240, total * 0.05), unit);
  const head = round(total * 0.15, unit);
  const committee = committeeSigns ? round(total * 0.15, unit) : 0;
  const specialist = total - intake - returning - head - committee;
  if (specialist <= 0) throw new Error(`time ${total} too short for the process of ${agencyCode}`);
  const steps: Omit<ProcedureStepSeed, 'order'>[] = [
    { name: 'Tiếp nhận hồ sơ, chuyển cơ quan giải quyết', performer: desk, minutes: intake },
    { name: 'Thẩm định hồ sơ, đề xuất kết quả', performer: { kind: 'agency', agencyCode, role: 'specialist' }, minutes: specialist },
    { name: 'Xem xét, ký duyệt kết quả', performer: { kind: 'agency', agencyCode, role: 'agency_head' }, minutes: head },
  ];
  if (committeeSigns) {
    const committeeAgency = level === 'province' ? org.provinceCommittee : level === 'district' ? 'DIST-UBND' : 'COMM-UBND';
    const who = authority.startsWith('chu_tich') ? 'Chủ tịch' : 'Lãnh đạo';
    steps.push({ name: `${who} Ủy ban nhân dân xem xét, ký quyết định`, performer: { kind: 'agency', agencyCode: committeeAgency, role: 'leader' }, minutes: committee });
  }
  steps.push({ name: 'Trả kết quả cho tổ chức, cá nhân', performer: desk, minutes: returning });
  return steps.map((s, i) => ({ ...s, order: i + 1 }));
}
