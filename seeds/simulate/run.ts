/**
 * History simulator: npm run simulate [-- --scale 0.01] [--replace] [--until 2023-12-31]
 * Loads the province's 2021-2023 dossiers (report 2.3.2: 1,273,706 received, 441,909 online, 1,151,470 resolved,
 * 1,017,300 on time; yearly late rates 20.78 / 11.44 / 6.74 %) into DATABASE_URL with COPY, then 2024, 2025 (across
 * the 2025-07-01 organisation change, whose transition plan it applies) and 2026 up to `--until` (default: yesterday).
 * The reference data are loaded first, as `npm start` does (migrations and reference data, the organisation up to
 * today). Prints the yearly figures as judged by the deadline engine, the transition, and the load time.
 */
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { simulateHistory } from './simulate-history.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, replace: { type: 'boolean', default: false }, until: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
const config = loadConfig();
await prepareDatabase(config, createLogger('warn'));
const deps = await buildDeps(config, { logger: createLogger('warn') });
let failed = false;
try {
  const r = await simulateHistory(deps, { scale, replace: values.replace ?? false, ...(values.until ? { until: values.until } : {}) });
  console.log(`loaded ${r.rows} dossiers in ${(r.ms / 1000).toFixed(1)} s (generation and COPY ${(r.copyMs / 1000).toFixed(1)} s)`);
  console.log(`quality-index counters rebuilt from ${r.counters.events} events into ${r.counters.rows} rows in ${(r.counters.ms / 1000).toFixed(1)} s`);
  if (r.transition) {
    const t = r.transition;
    console.log(`transition of 2025-07-01 (plan ${t.planId}): ${t.transferred} open dossiers moved in ${t.batches} batches, ${t.unplaced} not placed, in ${(t.ms / 1000).toFixed(1)} s`);
  }
  console.log(`history up to ${r.until}: ${r.openAtEnd} dossiers open at its end; ${r.generatedVolume} at units formed from old Đà Nẵng (generated volume, marked)`);
  for (const y of r.years) {
    console.log(`${y.year}: received ${y.received}, online ${y.online}, resolved ${y.resolved}, on time ${y.onTime}, late rate ${(100 * y.lateRate).toFixed(2)} %`);
  }
} catch (err) {
  // Said and exited with 1: a failed load must not look like a finished one to a script or CI.
  console.error(err);
  failed = true;
} finally {
  await closeDeps(deps);
  process.exit(failed ? 1 : 0);
}
