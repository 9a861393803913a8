import pg from 'pg';

/** The row of a received dossier, as the intake computed it (column names of the dossiers table). */
export interface ReceivedDossierValues {
  procedure_code: string;
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

const columns: (keyof ReceivedDossierValues)[] = [
  'procedure_code', 'field_code', 'desk_code', 'unit_code', 'channel', 'applicant', 'citizen_id_hash', 'phone_last4',
  'documents', 'result_delivery', 'authority', 'authority_agency_code', 'delegation_number', 'current_step',
  'holder_agency_code', 'holder_role', 'holder_username', 'step_started_at', 'received_at', 'effective_start',
  'time_amount', 'time_unit', 'cutoff_hour', 'supplement_policy', 'budget_minutes', 'due_at', 'original_due_at',
  'provisional', 'created_by',
];
const jsonColumns = new Set(['applicant', 'documents', 'result_delivery']);

// $1 desk code, $2 local day (YYYY-MM-DD), $3 event data, $4 the desk-day sequence number, $5 the calendar
// revision the appointment was computed at, $6.. the dossier's columns. Nothing is written (no row returned) when
// the calendar has changed since: the caller loads it again and recomputes.
const statement = `
with d as (
  insert into dossiers (code, status, ${columns.join(', ')})
  select $1 || '-' || to_char($2::date, 'YYMMDD') || '-' || case when $4::int < 10000 then lpad($4::text, 4, '0') else $4::text end,
         'received', ${columns.map((c, i) => `$${i + 6}${jsonColumns.has(c) ? '::jsonb' : ''}`).join(', ')}
  where coalesce((select revision from calendar_revision), 0) = $5::int
  returning id, code, received_at, created_by
), e as (
  insert into dossier_events (dossier_id, type, from_status, to_status, actor, at, data)
  select id, 'received', null, 'received', created_by, received_at, $3::jsonb from d
), o as (
  insert into outbox (topic, payload)
  select 'dossier.changed', jsonb_build_object('dossierId', id, 'code', code, 'event', 'received') from d
)
select id, code from d`;

/**
 * The next number of a desk's day (Mẫu 01's dossier code `{desk}-{yymmdd}-{n}`), in a transaction of its own that
 * commits without waiting for its WAL flush (`synchronous_commit = off`), in one round trip. Why: the sequence
 * row is locked until its transaction commits, so when the number was taken inside the intake's own durable
 * commit, every intake at one desk waited for the previous one's disk flush (395 intakes/s at one desk against
 * 787 spread over 32, bench/intake). The dossier itself is still committed durably.
 * What it costs: a number taken by an intake that then fails is not reused (a gap in the day's numbering), and
 * after a database crash the counter may be behind the last durable dossier: the code is then taken, the insert
 * fails on the code's unique index, and `repairSequence` moves the counter past it (insertWithSequence).
 */
export async function allocateSequence(pool: pg.Pool, deskCode: string, day: string): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(`begin; set local synchronous_commit = off;
      insert into dossier_sequences (desk_code, day, last) values (${pg.escapeLiteral(deskCode)}, ${pg.escapeLiteral(day)}::date, 1)
      on conflict (desk_code, day) do update set last = dossier_sequences.last + 1 returning last; commit;`)) as unknown as pg.QueryResult<{ last: number }>[];
    const last = results[2]?.rows[0]?.last;
    if (last === undefined) throw new Error('no sequence number allocated');
    return last;
  } catch (err) {
    // A statement that failed leaves the explicit transaction open and aborted: end it before the connection goes
    // back to the pool (or drop the connection if even that fails).
    await client.query('rollback').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** After a crash lost the counter's last increments: set it to the highest number of the desk's day in use. */
export async function repairSequence(pool: pg.Pool, deskCode: string, day: string) {
  await pool.query(
    `update dossier_sequences set last = greatest(last, coalesce((
       select max(substring(code from '-(\\d+)$')::int) from dossiers where code like $1 || '-' || to_char($2::date, 'YYMMDD') || '-%'), 0))
     where desk_code = $1 and day = $2::date`,
    [deskCode, day],
  );
}

/** The calendar changed between computing the appointment and storing it: compute again. */
export class CalendarChanged extends Error {
  constructor() {
    super('the working calendar changed during the intake');
  }
}

const codeTaken = (err: unknown) => (err as { code?: string; constraint?: string }).code === '23505' && String((err as { constraint?: string }).constraint).startsWith('dossiers_code');

/** Runs `write` with a fresh number, again (after repairing the counter) if the number's code is already taken. */
export async function insertWithSequence<T>(pool: pg.Pool, deskCode: string, day: string, write: (sequence: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const sequence = await allocateSequence(pool, deskCode, day);
    try {
      return await write(sequence);
    } catch (err) {
      if (!codeTaken(err) || attempt >= 3) throw err;
      await repairSequence(pool, deskCode, day);
    }
  }
}

/**
 * Writes a received dossier in ONE statement (atomic on its own): the dossier with its code (from a number of
 * allocateSequence), its first event and its outbox row, provided the calendar is still at the revision the
 * appointment was computed at (else CalendarChanged, and nothing written). The hot path of intake: one round trip. Written in SQL
 * rather than with the query builder because it runs on every intake (bench/intake).
 */
export async function insertReceivedDossier(
  client: pg.Pool | pg.PoolClient,
  day: string,
  sequence: number,
  calendarRevision: number,
  values: ReceivedDossierValues,
  eventData: unknown,
): Promise<{ id: number; code: string }> {
  const params = [
    values.desk_code,
    day,
    JSON.stringify(eventData),
    sequence,
    calendarRevision,
    ...columns.map((c) => (jsonColumns.has(c) ? JSON.stringify(values[c]) : values[c])),
  ];
  const res = await client.query<{ id: string; code: string }>({ name: 'insert-received-dossier', text: statement, values: params });
  const row = res.rows[0];
  if (!row) throw new CalendarChanged();
  return { id: Number(row.id), code: row.code };
}
