/**
 * What a benchmark receives dossiers at and for: desks and procedure versions in force on the day it runs (the
 * catalogue and the organisation are versioned; an intake at a closed desk or of a closed version is refused).
 */
import type pg from 'pg';
import { createDb } from '../src/db/client.js';
import type { ProcedureRow } from '../src/db/schema/index.js';
import { localDateOf } from '../src/domain/calendar/index.js';
import { proceduresInForce } from '../src/modules/catalog/index.js';

/** Today, local date (the API's clock is the machine's). */
export const benchDay = () => localDateOf(Date.now());

/** The commune centres (TX…) in force on `day`, by code: since 2025-07-01 they also take the former district procedures. */
export async function communeCentresInForce(pool: pg.Pool, day: string, limit: number): Promise<{ code: string; unit_code: string }[]> {
  const res = await pool.query(`select code, unit_code from desks where valid_from <= $1 and (valid_to is null or valid_to > $1) and code like 'TX%' order by code limit $2`, [day, limit]);
  if (res.rows.length === 0) throw new Error(`no commune centre in force on ${day}: start the service once (npm start) to load the organisation`);
  return res.rows as { code: string; unit_code: string }[];
}

/**
 * The first commune-level version in force on `day` (by code) that a commune centre receives in working days and
 * that is not location-independent, of `source` (default: the national catalogue) and, when given, of the agency
 * template `agency` (COMM-KT…).
 */
export async function communeProcedureInForce(pool: pg.Pool, day: string, opts: { agency?: string; source?: ProcedureRow['source'] } = {}): Promise<ProcedureRow> {
  const source = opts.source ?? 'national_catalogue';
  const found = (await proceduresInForce(createDb(pool), day)).find(
    (p) => p.level === 'commune' && p.source === source && (!opts.agency || p.agencyCode === opts.agency) && p.timeUnit === 'working_day' && !p.locationIndependent && p.postalEligible,
  );
  if (!found) throw new Error(`no ${source} commune-level procedure${opts.agency ? ` of ${opts.agency}` : ''} in force on ${day}`);
  return found;
}

/** The documents of an intake that brings every required one (originals where the procedure asks for them). */
const requiredDocuments = (p: Pick<ProcedureRow, 'documents'>) => p.documents.filter((d) => d.required).map((d) => ({ name: d.name, original: d.originals > 0, digitised: true }));

/** The intake every benchmark sends: one person at the desk, with every required document of the version. */
export const deskIntakeBody = (p: Pick<ProcedureRow, 'code' | 'documents'>, deskCode: string) => ({
  channel: 'desk',
  procedureCode: p.code,
  deskCode,
  applicant: { kind: 'person', name: 'Nguyễn Văn An', citizenId: '049090001234', phone: '0905123456', address: 'Tam Kỳ' },
  documents: requiredDocuments(p),
  resultDelivery: { method: 'desk' },
});
