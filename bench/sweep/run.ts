/**
 * SLA sweep benchmark (prints figures; not a test). On a database with the simulated history (npm run simulate),
 * every simulated dossier is reopened as "in processing" with its appointment kept, so the sweep has 1.27 million
 * open dossiers to judge at 2024-01-02 09:00. Then, in the same run:
 *  1. the ceiling: a bare UPDATE that sets the overdue flag on the same rows;
 *  2. the sweep itself (all four flags, events and outbox rows), in this process, with its RSS.
 * Each phase starts from the same state (flags cleared). Usage: DATABASE_URL=… npx tsx bench/sweep/run.ts
 */
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { runSlaSweep } from '../../src/modules/sla/sweep.js';

const at = new Date('2024-01-02T09:00:00+07:00');
const config = loadConfig();
await prepareDatabase(config, createLogger('warn')); // this run's migrations (e.g. the table's fillfactor)
const deps = await buildDeps(config, { logger: createLogger('warn'), now: () => at });
const q = (text: string, params: unknown[] = []) => deps.pool.query(text, params);
try {
  const { rows } = await q(`select count(*)::int as n from dossiers where created_by = 'simulator'`);
  if (!rows[0].n) throw new Error('no simulated history: run npm run simulate first');
  const reset = async () => {
    await q(`delete from dossier_events where dossier_id in (select id from dossiers where created_by = 'simulator')`);
    await q(`delete from apologies where dossier_id in (select id from dossiers where created_by = 'simulator')`);
    await q(`delete from outbox where published_at is null and (topic = 'sla.flagged' or payload->>'event' in ('due_soon','overdue','overdue_without_apology','late_after_apology'))`);
    await q(`update dossiers set status = 'in_processing', ended_at = null, timeliness = null, returned_at = null,
      due_soon_at = null, overdue_at = null, overdue_without_apology_at = null, late_after_apology_at = null
      where created_by = 'simulator'`);
    // Rewritten at the table's fillfactor, as a table loaded row by row would be (not with the half-empty pages
    // that updating every row leaves): the ceiling and the sweep start from the same realistic layout.
    await q('vacuum full dossiers');
    await q('vacuum analyze dossiers');
  };
  await reset();
  let t = performance.now();
  const ceiling = await q(`update dossiers set overdue_at = $1 where status in ('received','in_processing','supplement_requested') and due_at < $1 and overdue_at is null`, [at]);
  const ceilingMs = performance.now() - t;
  await reset();
  const rss0 = process.memoryUsage().rss;
  t = performance.now();
  const result = await runSlaSweep(deps);
  const sweepMs = performance.now() - t;
  const rss = process.memoryUsage().rss;
  console.log(`open dossiers: ${rows[0].n}`);
  console.log(`ceiling (bare UPDATE of the overdue flag): ${ceiling.rowCount} rows in ${(ceilingMs / 1000).toFixed(1)} s`);
  console.log(`sweep (4 flags + their events + one outbox row + apology drafts): ${JSON.stringify(result)} in ${(sweepMs / 1000).toFixed(1)} s`);
  console.log(`ratio sweep/ceiling: ${(sweepMs / ceilingMs).toFixed(2)}× (target ≤ 3× and ≤ 60 s); RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MiB (target ≤ 300 MB)`);
  console.log('second sweep (idempotent):', JSON.stringify(await runSlaSweep(deps)));
} finally {
  await closeDeps(deps);
}
