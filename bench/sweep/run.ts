/**
 * SLA sweep benchmark (prints figures; not a test). On a database with the simulated history (npm run simulate),
 * every simulated dossier of 2021-2023 is reopened as "in processing" with its appointment kept, so the sweep has 1.27
 * million open dossiers to judge at 2024-01-02 09:00 (a history that goes on to date keeps its later dossiers as they
 * are: received after that instant, they are not the sweep's). The history's events stay (the flags' index and the events table are
 * as large as in use). Then, in the same run:
 *  1. the ceiling: the bare SQL that flags the same rows overdue. A flag is the dossier's event of that type
 *     (src/modules/sla/flags.ts), so this is one INSERT … SELECT of a bare event row per overdue dossier;
 *  2. the sweep itself (all four flags, their events, the apology drafts and the outbox row), in this process,
 *     with its RSS.
 * Each phase starts from the same state (flags removed, dossiers rewritten compactly). Usage:
 *   DATABASE_URL=… npx tsx bench/sweep/run.ts
 */
import { availableParallelism, loadavg } from 'node:os';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { runSlaSweep } from '../../src/modules/sla/index.js';

const at = new Date('2024-01-02T09:00:00+07:00');
const config = loadConfig();
await prepareDatabase(config, createLogger('warn')); // this run's migrations (e.g. the table's fillfactor)
const deps = await buildDeps(config, { logger: createLogger('warn'), now: () => at });
const q = (text: string, params: unknown[] = []) => deps.pool.query(text, params);
/** The simulated dossiers of 2021-2023, the ones reopened. */
const REOPENED = `created_by = 'simulator' and received_at < '2024-01-01T00:00:00+07:00'`;
try {
  const { rows } = await q(`select count(*)::int as n from dossiers where ${REOPENED}`);
  if (!rows[0].n) throw new Error('no simulated history: run npm run simulate first');
  const reset = async () => {
    await q(`delete from dossier_events where type in ('due_soon', 'overdue', 'overdue_without_apology', 'late_after_apology')
      and dossier_id in (select id from dossiers where created_by = 'simulator')`);
    await q(`delete from apologies where dossier_id in (select id from dossiers where created_by = 'simulator')`);
    await q(`delete from outbox where published_at is null and (topic = 'sla.flagged' or payload->>'event' in ('due_soon','overdue','overdue_without_apology','late_after_apology'))`);
    // Only the rows not yet reopened (all of them on the first run; none after a phase, which changes no dossier).
    await q(`update dossiers set status = 'in_processing', ended_at = null, timeliness = null, returned_at = null,
      new_due_at = null
      where ${REOPENED} and (status <> 'in_processing' or ended_at is not null or timeliness is not null
        or returned_at is not null or new_due_at is not null)`);
    // Rewritten at the table's fillfactor, as a table loaded row by row would be (not with the half-empty pages
    // that updating every row leaves): the ceiling and the sweep start from the same realistic layout.
    await q('vacuum full dossiers');
    await q('vacuum analyze dossiers');
    await q('vacuum analyze dossier_events');
    // The previous phase's drafts, deleted above: their dead rows would be read by the sweep's join and probes.
    await q('vacuum analyze apologies');
    await q('checkpoint');
  };
  await reset();
  let t = performance.now();
  const ceiling = await q(
    `insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
     select id, 'overdue', 'system', $1, '{}', $1 from dossiers where status in ('received','in_processing','supplement_requested') and due_at < $1`,
    [at],
  );
  const ceilingMs = performance.now() - t;
  await reset();
  const rss0 = process.memoryUsage().rss;
  t = performance.now();
  const result = await runSlaSweep(deps);
  const sweepMs = performance.now() - t;
  const rss = process.memoryUsage().rss;
  console.log(`open dossiers: ${rows[0].n}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores`);
  console.log(`ceiling (bare INSERT of the overdue flag's event): ${ceiling.rowCount} rows in ${(ceilingMs / 1000).toFixed(1)} s`);
  console.log(`sweep (4 flags + their events + one outbox row + apology drafts): ${JSON.stringify(result)} in ${(sweepMs / 1000).toFixed(1)} s`);
  console.log(`ratio sweep/ceiling: ${(sweepMs / ceilingMs).toFixed(2)}× (target ≤ 3× and ≤ 60 s); RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MiB (target ≤ 300 MB)`);
  console.log('second sweep (idempotent):', JSON.stringify(await runSlaSweep(deps)));
} finally {
  await closeDeps(deps);
}
