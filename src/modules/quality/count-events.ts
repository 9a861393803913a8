import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';

/** Only one counting transaction at a time: two would add the same day's rows in different orders. */
const COUNT_LOCK = 0x6d6f7463756171n; // "motcuaq"

/** The measures of quality_counters, each an expression over one event `b` of its dossier `d` (procedure `p`). */
export const MEASURES: Record<string, string> = {
  received: `(b.type = 'received')::int`,
  received_digitised: `(b.type = 'received' and jsonb_array_length(d.documents) > 0
      and not jsonb_path_exists(d.documents, '$[*] ? (@.digitised == false)'))::int`,
  resolved: `(b.type = 'complete')::int`,
  resolved_early: `(b.type = 'complete' and d.timeliness = 'early')::int`,
  resolved_on_time: `(b.type = 'complete' and d.timeliness = 'on_time')::int`,
  resolved_late: `(b.type = 'complete' and d.timeliness = 'late')::int`,
  resolved_in_time_multi_supplement: `(b.type = 'complete' and d.timeliness in ('early', 'on_time') and d.supplement_requests > 1)::int`,
  resolved_electronic: `(b.type = 'complete' and d.result_reference is not null)::int`,
  resolved_paper_result: `(b.type = 'complete' and coalesce(p.paper_result, true))::int`,
  resolved_working_minutes: `case when b.type = 'complete' then coalesce((b.data->>'workingMinutesUsed')::bigint, 0) else 0 end`,
  supplement_requests: `(b.type = 'request_supplement')::int`,
  stopped: `(b.type = 'stop')::int`,
  withdrawn: `(b.type = 'withdraw')::int`,
  rated: `(b.type = 'rated')::int`,
  rated_negative: `(b.type = 'rated' and b.data->>'score' = 'unsatisfied')::int`,
  // The file acts (src/modules/documents) record on their event whether it is the dossier's first of its kind, so
  // each dossier counts once, on the day of that act, and a rebuild reads the same from the events.
  digitised_recorded: `((b.type = 'received' and d.channel = 'online')
      or (b.type = 'digitisation_recorded' and b.data->>'completes' = 'true' and d.channel <> 'online'))::int`,
  result_file_attached: `(b.type = 'result_file_attached' and b.data->>'first' = 'true' and coalesce(p.paper_result, true))::int`,
  reused_data: `(b.type = 'file_reused' and b.data->>'first' = 'true')::int`,
};
export const COUNTED_EVENT_TYPES = ['received', 'complete', 'request_supplement', 'stop', 'withdraw', 'rated', 'digitisation_recorded', 'result_file_attached', 'file_reused'];
const KEY = ['day', 'desk_code', 'unit_code', 'agency_code', 'procedure_id', 'channel'];

const upsertSums = (table: string, keys: string[], from: string, extra: string[] = []) => `
    insert into ${table} (${[...keys, ...extra].join(', ')}, ${Object.keys(MEASURES).join(', ')})
    select ${[...keys, ...extra].map((k) => (k === 'month' ? `date_trunc('month', day)::date` : extra.includes(k) ? `min(${k})` : k)).join(', ')},
      ${Object.keys(MEASURES).map((k) => `sum(${k})`).join(', ')}
    from ${from} group by ${keys.map((k) => (k === 'month' ? `date_trunc('month', day)::date` : k)).join(', ')}
    order by ${keys.map((k) => (k === 'month' ? `date_trunc('month', day)::date` : k)).join(', ')}
    on conflict (${keys.join(', ')}) do update set
      ${Object.keys(MEASURES).map((k) => `${k} = ${table}.${k} + excluded.${k}`).join(',\n      ')}
    returning 1`;

/**
 * Stamps the months in `months` (a query of one `month` column) as changed, with the next change number: stored
 * scores of a period with such a month are stale from then on (scores.ts), and each API process drops what it
 * holds of them (read-cache.ts). Only under COUNT_LOCK, so change numbers follow commit order.
 */
const stampMonths = (months: string) => `
    insert into quality_counter_changes (month, change_seq, changed_at)
    select m.month, (select coalesce(max(change_seq), 0) + 1 from quality_counter_changes), now() from (${months}) m
    order by 1
    on conflict (month) do update set change_seq = excluded.change_seq, changed_at = excluded.changed_at
    returning 1`;

/**
 * Adds the events in `batch` (a CTE of dossier_events rows) to the daily counters, the monthly ones (what the
 * index reads) and the online-use table (indicator 3.2), by the local day of each event. The dossier's
 * dimensions change only when a restructuring moves it (a `transferred` event): an event counts under the desk, unit
 * and agency the dossier had when it happened (the next transfer's `from`, else its own); and what is read of its
 * state (timeliness, supplement requests, result reference) is fixed by its first ending, so counting an event
 * later gives the same rows.
 */
const addToCounters = (batchCte: string) => `
  with ${batchCte},
  contrib as (
    select (b.at at time zone 'Asia/Ho_Chi_Minh')::date as day, coalesce(tr.f->>'deskCode', d.desk_code) as desk_code,
      coalesce(tr.f->>'unitCode', d.unit_code) as unit_code, coalesce(tr.f->>'authorityAgencyCode', d.authority_agency_code) as agency_code,
      d.procedure_id, d.procedure_code, d.field_code, d.channel,
      ${Object.entries(MEASURES).map(([k, e]) => `${e} as ${k}`).join(',\n      ')}
    from batch b join dossiers d on d.id = b.dossier_id left join procedures p on p.id = d.procedure_id
      left join lateral (select t.data->'from' as f from dossier_events t
        where t.dossier_id = b.dossier_id and t.type = 'transferred' and t.id > b.id order by t.id limit 1) tr on true
    where b.type in (${COUNTED_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})
  ),
  daily as (${upsertSums('quality_counters', KEY, 'contrib', ['procedure_code', 'field_code'])}),
  monthly as (${upsertSums('quality_counters_monthly', ['month', 'unit_code', 'agency_code', 'channel'], 'contrib')}),
  online as (
    insert into quality_online_use (month, unit_code, agency_code, procedure_id, procedure_code, received)
    select date_trunc('month', day)::date, unit_code, agency_code, procedure_id, min(procedure_code), sum(received) from contrib
    where channel = 'online' and received > 0
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (month, unit_code, agency_code, procedure_id) do update set received = quality_online_use.received + excluded.received
    returning 1
  ),
  changed as (${stampMonths('select distinct date_trunc(\'month\', day)::date as month from contrib')})
  select (select count(*) from batch)::int as events, (select count(*) from daily)::int as rows,
    (select count(*) from monthly)::int as monthly, (select count(*) from online)::int as online,
    (select count(*) from changed)::int as months`;

/**
 * Counts the dossier events not yet counted, in batches, each batch in one transaction with the events marked
 * counted: a job run twice, or two workers at once, count each event exactly once; an event whose transaction
 * commits late is simply taken by a later run (no high-water mark to overtake it). Fed by `dossier.changed`
 * jobs, so an event reaches the index within seconds, and by the SLA sweep as a safety net.
 */
export async function countNewEvents(deps: Deps, opts: { batchSize?: number } = {}) {
  const batchSize = opts.batchSize ?? 5000;
  let events = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${COUNT_LOCK.toString()})`);
      const res = await tx.execute<{ events: number }>(
        sql.raw(
          addToCounters(`batch as (
            update dossier_events set counted_at = now()
            where id in (select id from dossier_events where counted_at is null order by id limit ${Math.trunc(batchSize)})
            returning id, dossier_id, type, at, data)`),
        ),
      );
      return res.rows[0]?.events ?? 0;
    });
    events += n;
    if (n < batchSize) return { events };
  }
}

/**
 * Recomputes every counter from the events (the counters are a projection of dossier_events; this proves it, and
 * repairs them after a formula of counting changes). One transaction: readers see the old counters or the new.
 */
export async function rebuildCounters(deps: Deps) {
  const started = performance.now();
  const res = await deps.db.transaction(async (tx: Tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${COUNT_LOCK.toString()})`);
    // Every month counted before is stamped changed (the months counted anew are stamped by addToCounters): a
    // stored score of any period is recomputed from the rebuilt counters.
    await tx.execute(sql.raw(stampMonths('select distinct month from quality_counters_monthly')));
    await tx.execute(sql`delete from quality_counters`);
    await tx.execute(sql`delete from quality_counters_monthly`);
    await tx.execute(sql`delete from quality_online_use`);
    // Mark first, then count what is marked: each statement sees the events committed when it starts, so an
    // event committed between the two stays unmarked and uncounted (a later countNewEvents takes it), never
    // marked without being counted.
    await tx.execute(sql`update dossier_events set counted_at = now() where counted_at is null`);
    const r = await tx.execute<{ events: number; rows: number; monthly: number; online: number }>(
      sql.raw(
        addToCounters(
          `batch as (select id, dossier_id, type, at, data from dossier_events where counted_at is not null and type in (${COUNTED_EVENT_TYPES.map((t) => `'${t}'`).join(', ')}))`,
        ),
      ),
    );
    return r.rows[0] ?? { events: 0, rows: 0, monthly: 0, online: 0 };
  });
  // The planner must know the new sizes (a rebuild after a history load changes them by orders of magnitude).
  await deps.db.execute(sql`analyze quality_counters, quality_counters_monthly, quality_online_use`);
  return { ...res, ms: Math.round(performance.now() - started) };
}
