/**
 * History simulator: npm run simulate [-- --scale 0.01] [--replace]
 * Loads the province's 2021-2023 dossiers (report 2.3.2: 1,273,706 received, 441,909 online, 1,151,470 resolved,
 * 1,017,300 on time; yearly late rates 20.78 / 11.44 / 6.74 %) into DATABASE_URL with COPY. The reference data must
 * are loaded first, as `npm start` does (migrations and reference data). Prints the yearly figures as judged by the deadline engine, and the load time.
 */
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { simulateHistory } from './simulate-history.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, replace: { type: 'boolean', default: false } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
const config = loadConfig();
await prepareDatabase(config, createLogger('warn'));
const deps = await buildDeps(config, { logger: createLogger('warn') });
let failed = false;
try {
  const r = await simulateHistory(deps, { scale, replace: values.replace ?? false });
  console.log(`loaded ${r.rows} dossiers in ${(r.ms / 1000).toFixed(1)} s (generation and COPY ${(r.copyMs / 1000).toFixed(1)} s)`);
  console.log(`quality-index counters rebuilt from ${r.counters.events} events into ${r.counters.rows} rows in ${(r.counters.ms / 1000).toFixed(1)} s`);
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
