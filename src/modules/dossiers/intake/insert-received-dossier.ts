import type pg from 'pg';

/** The row of a received dossier, as the intake computed it (column names of the dossiers table). */
export interface ReceivedDossierValues {
  procedure_code: string;
  procedure_id: number;
  field_code: string;
  desk_code: string;
  unit_code: string;
  channel: string;
  applicant: unknown;
  citizen_id_hash: string | null;
  phone_last4: string;
  documents: unknown;
  result_delivery: unknown;
  authority: string;
  authority_agency_code: string;
  authority_unit_code: string;
  delegation_number: string | null;
  current_step: number;
  holder_agency_code: string;
  holder_role: string;
  holder_username: string;
  step_started_at: Date;
  received_at: Date;
  effective_start: Date;
  time_amount: number;
  time_unit: string;
  cutoff_hour: string | null;
  supplement_policy: string;
  budget_minutes: number;
  due_at: Date;
  original_due_at: Date;
  provisional: boolean;
  created_by: string;
}

/** A received dossier to write: its row, its first event's data, and the calendar revision its appointment used. */
export interface ReceivedDossierInsert {
  /** The local day of receipt (YYYY-MM-DD): the desk-day of its number. */
  day: string;
  calendarRevision: number;
  values: ReceivedDossierValues;
  eventData: unknown;
}

/** The SQL type of each column, for jsonb_to_recordset. */
const columnTypes: Record<keyof ReceivedDossierValues, string> = {
  procedure_code: 'text', procedure_id: 'int', field_code: 'text', desk_code: 'text', unit_code: 'text', channel: 'text', applicant: 'jsonb',
  citizen_id_hash: 'text', phone_last4: 'text', documents: 'jsonb', result_delivery: 'jsonb', authority: 'text',
  authority_agency_code: 'text', authority_unit_code: 'text', delegation_number: 'text', current_step: 'int', holder_agency_code: 'text',
  holder_role: 'text', holder_username: 'text', step_started_at: 'timestamptz', received_at: 'timestamptz',
  effective_start: 'timestamptz', time_amount: 'int', time_unit: 'text', cutoff_hour: 'text', supplement_policy: 'text',
  budget_minutes: 'int', due_at: 'timestamptz', original_due_at: 'timestamptz', provisional: 'boolean', created_by: 'text',
};
const columns = Object.keys(columnTypes) as (keyof ReceivedDossierValues)[];

// $1: the dossiers as a JSON array, each with its position `idx`, `day`, `revision` and `event_data`.
// One statement: dossiers computed at another calendar revision than the current one are left out (their callers
// recompute); the others take the next numbers of their desk-day in arrival order (dossier_sequences, rows locked
// in a fixed order so that two writers never deadlock), and each is written with its code (Mẫu 01's
// `{desk}-{yymmdd}-{n}`), its first event and its outbox row. Returns `idx` → id and code.
const statement = `
with input as (
  select x.* from jsonb_to_recordset($1::jsonb) as x(idx int, day date, revision int, event_data jsonb,
    ${columns.map((c) => `${c} ${columnTypes[c]}`).join(', ')})
  where x.revision = coalesce((select revision from calendar_revision), 0)
), counts as (
  select desk_code, day, count(*)::int as n from input group by desk_code, day
), numbers as (
  insert into dossier_sequences (desk_code, day, last)
  select desk_code, day, n from counts order by desk_code, day
  on conflict (desk_code, day) do update set last = dossier_sequences.last + excluded.last
  returning desk_code, day, last
), ranked as (
  select i.*, s.last - c.n + row_number() over (partition by i.desk_code, i.day order by i.idx) as seq
  from input i join counts c using (desk_code, day) join numbers s using (desk_code, day)
), numbered as (
  select r.*, r.desk_code || '-' || to_char(r.day, 'YYMMDD') || '-' || lpad(r.seq::text, greatest(4, length(r.seq::text)), '0') as code
  from ranked r
), d as (
  insert into dossiers (code, status, ${columns.join(', ')})
  select code, 'received', ${columns.join(', ')} from numbered
  returning id, code, received_at, created_by
), e as (
  insert into dossier_events (dossier_id, type, from_status, to_status, actor, at, data)
  select d.id, 'received', null, 'received', d.created_by, d.received_at, n.event_data from d join numbered n using (code)
), o as (
  insert into outbox (topic, payload)
  select 'dossier.changed', jsonb_build_object('dossierId', id, 'code', code, 'event', 'received') from d
)
select n.idx, d.id, d.code from d join numbered n using (code)`;

/** The calendar changed between computing the appointment and storing it: compute again. */
export class CalendarChanged extends Error {
  constructor() {
    super('the working calendar changed during the intake');
  }
}

/**
 * Writes received dossiers in ONE statement (atomic on its own; in the caller's transaction if any): each with the
 * next number of its desk-day, taken in the same transaction, so the day's numbering has no gaps and no number is
 * ever given twice. For each input, in order: its id and code, or null when the calendar changed since its
 * appointment was computed (nothing written for it). Written in SQL rather than with the query builder because
 * every intake goes through it (bench/intake).
 */
export async function insertReceivedDossiers(client: pg.Pool | pg.PoolClient, inserts: ReceivedDossierInsert[]): Promise<({ id: number; code: string } | null)[]> {
  const input = inserts.map((x, idx) => ({ ...x.values, idx, day: x.day, revision: x.calendarRevision, event_data: x.eventData }));
  const res = await client.query<{ idx: number; id: string; code: string }>({ name: 'insert-received-dossiers', text: statement, values: [JSON.stringify(input)] });
  const out: ({ id: number; code: string } | null)[] = inserts.map(() => null);
  for (const r of res.rows) out[r.idx] = { id: Number(r.id), code: r.code };
  return out;
}
