import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../../deps.js';
import { auditLog, desks, dossiers, procedures } from '../../../db/schema/index.js';
import { dateOfDayNumber, dayNumberOf, formatInstant } from '../../../domain/calendar/local-time.js';
import type { StaffActor } from '../../../domain/actor.js';
import { TT01_2018, TT03_2025 } from '../../../domain/dossier/forms-circular.js';
import { statusText } from '../../../domain/dossier/status-text.js';
import { csvDocument } from '../../../lib/csv.js';
import { DomainError } from '../../../lib/errors.js';
import { codeParam, dateParam } from '../../../lib/http.js';
import { provinceWide, readsHistoryOf } from '../access/visibility.js';
import { headingOf } from './forms.js';

/** A register covers at most a year (a desk's book is kept by year) … */
export const REGISTER_MAX_DAYS = 366;
/** … and at most this many dossiers: one answer, no pages, so a busy desk asks for a shorter period. */
export const REGISTER_MAX_ROWS = 10_000;
/**
 * A printed register at most this many (about 80 landscape pages): laying a PDF out costs about a hundred times
 * what the same lines cost as CSV (bench/register), and nobody prints more at once.
 */
export const REGISTER_PDF_MAX_ROWS = 2_000;

export const registerQuery = z.object({
  desk: codeParam.describe('The desk (e.g. TX20410)'),
  from: dateParam.describe('First day of the period (local date)'),
  to: dateParam.describe('Last day of the period (local date), at most 366 days after from'),
  format: z.enum(['json', 'pdf', 'csv']).default('json'),
});

const local = (d: Date | null) => (d ? formatInstant(d.getTime()) : null);
const localMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`);

/**
 * The dossier register of a desk over a period (Sổ theo dõi hồ sơ: Mẫu 06 of Thông tư 01/2018, Mẫu 07 of Thông tư
 * 03/2025): one line per dossier received at the desk in the period, with when it was received, promised, sent to
 * the deciding agency, its result received back and returned. For the desk's own staff (a role over its unit) and
 * the province's administrators and auditors. The circular is the dossiers' (by their receipt), so a period may not
 * straddle the day Thông tư 03/2025's forms begin.
 */
export async function deskRegister(deps: Deps, who: StaffActor, q: z.infer<typeof registerQuery>) {
  const first = dayNumberOf(q.from);
  const last = dayNumberOf(q.to);
  if (last < first) throw new DomainError('VALIDATION_FAILED', 'querystring.to: must not be before from');
  if (last - first + 1 > REGISTER_MAX_DAYS) throw new DomainError('VALIDATION_FAILED', `querystring.to: a register covers at most ${REGISTER_MAX_DAYS} days`);
  const tt03From = deps.config.FORMS_TT03_2025_FROM;
  if (q.from < tt03From && q.to >= tt03From) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `querystring.to: dossiers received from ${tt03From} are registered on ${TT03_2025.name}'s Mẫu 07, those before on ${TT01_2018.name}'s Mẫu 06; ask for the period before ${tt03From} and the one from it separately`,
    );
  }
  const circular = q.from >= tt03From ? TT03_2025 : TT01_2018;

  const [desk] = await deps.db
    .select()
    .from(desks)
    .where(and(eq(desks.code, q.desk), lte(desks.validFrom, q.to), or(isNull(desks.validTo), gte(desks.validTo, q.from))))
    .orderBy(desc(desks.validFrom))
    .limit(1);
  if (!desk) throw new DomainError('DESK_NOT_FOUND', `Desk ${q.desk} was not in force between ${q.from} and ${q.to}`);
  // Desks are public (GET /desks): another unit's staff are told 403, not 404.
  const ownStaff = who.roles.some((r) => r.scopeKind === 'unit' && r.scopeCode === desk.unitCode);
  const province = await deps.provinceLevel();
  // A role over a closed province reads the registers of its desks for the days it existed (its history).
  if (!ownStaff && !provinceWide(who, province) && !readsHistoryOf(who, desk.unitCode, q.from, province)) {
    throw new DomainError('FORBIDDEN', `The register of desk ${desk.code} is for the staff of unit ${desk.unitCode} and the province's administrators and auditors`);
  }

  const rows = await deps.db
    .select({
      code: dossiers.code,
      procedureCode: dossiers.procedureCode,
      applicant: dossiers.applicant,
      authorityAgencyCode: dossiers.authorityAgencyCode,
      status: dossiers.status,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      originalDueAt: dossiers.originalDueAt,
      newDueAt: dossiers.newDueAt,
      timeliness: dossiers.timeliness,
      returnedAt: dossiers.returnedAt,
      endedAt: dossiers.endedAt,
      // The desk hands the dossier to the deciding agency (its first handoff) and gets the result back (completion).
      sentAt: sql<string | null>`(select min(l.at) from control_slip_lines l where l.dossier_id = ${dossiers.id} and l.kind = 'handoff' and l.giver_agency_code = ${dossiers.deskCode})`,
      resultAt: sql<string | null>`(select min(l.at) from control_slip_lines l where l.dossier_id = ${dossiers.id} and l.kind = 'completion')`,
    })
    .from(dossiers)
    .where(and(eq(dossiers.deskCode, desk.code), gte(dossiers.receivedAt, localMidnight(q.from)), lt(dossiers.receivedAt, localMidnight(dateOfDayNumber(last + 1)))))
    .orderBy(asc(dossiers.receivedAt), asc(dossiers.id))
    .limit((q.format === 'pdf' ? REGISTER_PDF_MAX_ROWS : REGISTER_MAX_ROWS) + 1);
  const max = q.format === 'pdf' ? REGISTER_PDF_MAX_ROWS : REGISTER_MAX_ROWS;
  if (rows.length > max) {
    const csv = q.format === 'pdf' ? ` (or format=csv, up to ${REGISTER_MAX_ROWS})` : '';
    throw new DomainError('VALIDATION_FAILED', `querystring.to: desk ${desk.code} received more than ${max} dossiers from ${q.from} to ${q.to}; ask for a shorter period${csv}`);
  }
  await deps.db.insert(auditLog).values({ actor: who.username, action: 'read_register', detail: { desk: desk.code, from: q.from, to: q.to, format: q.format, rows: rows.length } });

  // Names in one query, not one per procedure: a busy desk's month holds hundreds of procedures.
  const codes = [...new Set(rows.map((r) => r.procedureCode))];
  const procedureNames = new Map(
    codes.length ? (await deps.db.select({ code: procedures.code, name: procedures.name }).from(procedures).where(inArray(procedures.code, codes))).map((p) => [p.code, p.name]) : [],
  );
  const agencyNames = new Map<string, string>();
  const onDay = q.from > desk.validFrom ? q.from : desk.validFrom;
  for (const code of new Set(rows.map((r) => r.authorityAgencyCode))) agencyNames.set(code, (await deps.reference.agency(code, onDay))?.name ?? code);
  const timelinessText = { early: 'trước hạn', on_time: 'đúng hạn', late: 'quá hạn' } as const;
  return {
    ...headingOf(circular, 'register'),
    desk: desk.name,
    deskCode: desk.code,
    period: `${q.from}/${q.to}`,
    count: rows.length,
    rows: rows.map((r, i) => ({
      no: i + 1,
      dossierCode: r.code,
      procedure: `${procedureNames.get(r.procedureCode) ?? ''} (${r.procedureCode})`,
      applicant: r.applicant.name,
      contact: [r.applicant.address, r.applicant.phone].filter(Boolean).join('; '),
      authority: agencyNames.get(r.authorityAgencyCode) ?? r.authorityAgencyCode,
      receivedAt: local(r.receivedAt),
      appointment: local(r.newDueAt ?? r.dueAt ?? r.originalDueAt),
      sentAt: local(r.sentAt ? new Date(r.sentAt) : null),
      resultAt: local(r.resultAt ? new Date(r.resultAt) : null),
      returnedAt: local(r.returnedAt),
      status: statusText[r.status] + (r.timeliness ? `, ${timelinessText[r.timeliness]}` : ''),
    })),
  };
}

export type DeskRegister = Awaited<ReturnType<typeof deskRegister>>;

type RegisterRow = DeskRegister['rows'][number];

/** The register's columns as the form prints them (key, title, width in points on a landscape A4 page). */
export const registerColumns: [keyof RegisterRow, string, number][] = [
  ['no', 'STT', 24],
  ['dossierCode', 'Mã hồ sơ', 88],
  ['procedure', 'Tên thủ tục hành chính', 112],
  ['applicant', 'Tên tổ chức, cá nhân', 76],
  ['contact', 'Địa chỉ, số điện thoại', 86],
  ['authority', 'Cơ quan chủ trì giải quyết', 70],
  ['receivedAt', 'Nhận hồ sơ', 50],
  ['appointment', 'Hẹn trả kết quả', 50],
  ['sentAt', 'Chuyển hồ sơ đến cơ quan giải quyết', 50],
  ['resultAt', 'Nhận kết quả từ cơ quan giải quyết', 50],
  ['returnedAt', 'Trả kết quả cho tổ chức, cá nhân', 50],
  ['status', 'Tình trạng', 50],
];

/** The register as CSV, one line per dossier, with the form's columns and titles (times local, ISO 8601). */
export function registerCsv(r: DeskRegister): string {
  return csvDocument(
    registerColumns.map(([, title]) => title),
    r.rows.map((x) => registerColumns.map(([key]) => x[key])),
  );
}
