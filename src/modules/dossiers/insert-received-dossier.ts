import type pg from 'pg';

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

// $1 desk code, $2 local day (YYYY-MM-DD), $3 event data, $4.. the dossier's columns.
const statement = `
with seq as (
  insert into dossier_sequences (desk_code, day, last) values ($1, $2::date, 1)
  on conflict (desk_code, day) do update set last = dossier_sequences.last + 1
  returning last
), d as (
  insert into dossiers (code, status, ${columns.join(', ')})
  select $1 || '-' || to_char($2::date, 'YYMMDD') || '-' || case when seq.last < 10000 then lpad(seq.last::text, 4, '0') else seq.last::text end,
         'received', ${columns.map((c, i) => `$${i + 4}${jsonColumns.has(c) ? '::jsonb' : ''}`).join(', ')}
  from seq
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
 * Writes a received dossier in ONE statement (atomic on its own): the desk-day sequence number, the dossier
 * with its code, its first event and its outbox row. The hot path of intake: one round trip, and the desk's
 * sequence row is locked only for the statement's few hundred microseconds, so a busy desk's intakes do not
 * queue behind each other. Written in SQL rather than with the query builder because it runs on every intake
 * (bench/intake).
 */
export async function insertReceivedDossier(
  client: pg.Pool | pg.PoolClient,
  day: string,
  values: ReceivedDossierValues,
  eventData: unknown,
): Promise<{ id: number; code: string }> {
  const params = [
    values.desk_code,
    day,
    JSON.stringify(eventData),
    ...columns.map((c) => (jsonColumns.has(c) ? JSON.stringify(values[c]) : values[c])),
  ];
  const res = await client.query<{ id: string; code: string }>({ name: 'insert-received-dossier', text: statement, values: params });
  const row = res.rows[0];
  if (!row) throw new Error('received dossier not written');
  return { id: Number(row.id), code: row.code };
}
