import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import type { Deps } from '../../src/deps.js';
import { CATALOGUE_SEED } from '../catalog/index.js';
import { columns, generateYear, type SimProcedure, type SimUnit } from './generate.js';
import { historyPlan } from './plan.js';
import { rebuildCounters } from '../../src/modules/quality/index.js';

export interface YearFigures {
  year: number;
  received: number;
  online: number;
  resolved: number;
  onTime: number;
  lateRate: number;
}

/**
 * The events of the simulated dossiers, as the acts would have written them: received; then complete (result
 * ready, with the working minutes used) and return_result, or stop / withdraw. The quality-index counters are
 * built from them by rebuildCounters right after the load, so they are written as counted already (marking
 * three million rows afterwards would rewrite every index of the table).
 */
const SIMULATED_EVENTS = `
  insert into dossier_events (dossier_id, type, from_status, to_status, actor, at, data, counted_at)
  select d.id, e.type, e.from_status, e.to_status, 'simulator', e.at, e.data, now()
  from dossiers d
  left join sim_minutes m on m.code = d.code
  cross join lateral (values
    ('received', null, 'received', d.received_at, '{}'::jsonb),
    (case d.status when 'returned' then 'complete' when 'stopped' then 'stop' else 'withdraw' end,
     'in_processing', case d.status when 'returned' then 'processed' else d.status end, d.ended_at,
     case when d.status = 'returned' then jsonb_build_object('resultReference', null, 'workingMinutesUsed', m.minutes) else '{}'::jsonb end),
    (case when d.status = 'returned' then 'return_result' end, 'processed', 'returned', d.returned_at, '{}'::jsonb)
  ) as e(type, from_status, to_status, at, data)
  where d.created_by = 'simulator' and e.type is not null`;

/** Rows in chunks of about a thousand: COPY is fed large writes, not one per row. */
async function* chunks(lines: Iterable<string>, size = 1000) {
  let buf: string[] = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length >= size) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

/** The report's table for the simulated years, as the stored (engine-judged) dossiers say. */
export async function yearFigures(deps: Deps): Promise<YearFigures[]> {
  const res = await deps.db.execute<{ year: number; received: string; online: string; resolved: string; on_time: string }>(sql`
    select extract(year from received_at at time zone 'Asia/Ho_Chi_Minh')::int as year,
      count(*) as received,
      count(*) filter (where channel = 'online') as online,
      count(*) filter (where status = 'returned') as resolved,
      count(*) filter (where status = 'returned' and timeliness in ('early', 'on_time')) as on_time
    from dossiers where created_by = 'simulator' group by 1 order by 1`);
  return res.rows.map((r) => {
    const resolved = Number(r.resolved);
    const onTime = Number(r.on_time);
    return { year: r.year, received: Number(r.received), online: Number(r.online), resolved, onTime, lateRate: resolved ? (resolved - onTime) / resolved : 0 };
  });
}

/**
 * Loads the simulated 2021-2023 history (seeds/simulate/plan.ts) in one transaction with COPY: a failure leaves
 * nothing. Refuses to load twice unless `replace`, which first removes the earlier simulated dossiers.
 */
export async function simulateHistory(deps: Deps, opts: { scale: number; replace: boolean }) {
  const started = performance.now();
  const [{ n } = { n: 0 }] = (await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from dossiers where created_by = 'simulator'`)).rows;
  if (n > 0 && !opts.replace) throw new Error(`${n} simulated dossiers are already loaded; run with --replace to load again`);
  const procedures = (
    await deps.db.execute<SimProcedure & Record<string, unknown>>(sql`
      select p.id, p.code, p.level, p.field_code as "fieldCode", p.agency_code as "agencyCode", p.authority,
        p.time_amount as "timeAmount", p.time_unit as "timeUnit", p.cutoff_hour as "cutoffHour",
        p.supplement_policy as "supplementPolicy", (select count(*)::int from procedure_steps s where s.procedure_id = p.id) as steps
      from procedures p where p.valid_from <= '2021-01-01' and (p.valid_to is null or p.valid_to > '2023-12-31') order by p.code`)
  ).rows;
  if (procedures.length === 0) throw new Error('no catalogue: start the service once (npm start) to load the reference data');
  const units = (
    await deps.db.execute<SimUnit & Record<string, unknown>>(sql`select code, level, parent_code as "parentCode" from units where valid_from <= '2022-01-01' and (valid_to is null or valid_to > '2022-01-01')`)
  ).rows;
  const cal = await deps.calendar.forDesk();
  const plan = historyPlan(opts.scale);
  const client = await deps.pool.connect();
  let copyMs = 0;
  try {
    await client.query('begin');
    if (n > 0) {
      await client.query(`delete from dossier_events where dossier_id in (select id from dossiers where created_by = 'simulator')`);
      await client.query(`delete from dossiers where created_by = 'simulator'`);
    }
    const copyStarted = performance.now();
    await client.query('create temp table sim_minutes (code text primary key, minutes int not null) on commit drop');
    for (const year of plan) {
      const minutes: string[] = [];
      const stream = client.query(copyFrom(`copy dossiers (${columns.join(', ')}) from stdin with (format csv)`));
      await pipeline(Readable.from(chunks(generateYear(year, cal, procedures, units, CATALOGUE_SEED, minutes))), stream);
      await pipeline(Readable.from(chunks(minutes)), client.query(copyFrom('copy sim_minutes (code, minutes) from stdin with (format csv)')));
    }
    copyMs = performance.now() - copyStarted;
    await client.query(SIMULATED_EVENTS);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  await deps.db.execute(sql`analyze dossiers`);
  await deps.db.execute(sql`analyze dossier_events`);
  // The quality-index counters, from all events (the simulated ones with the live ones).
  const counters = await rebuildCounters(deps);
  return { rows: plan.reduce((s, y) => s + y.received, 0), ms: performance.now() - started, copyMs, counters, years: await yearFigures(deps) };
}
