/**
 * Admin command: applies a transition plan (the same as POST /api/v1/transition-plans/{id}/application), for plans
 * too large to wait on over HTTP. Resumable: run it again after an interruption and it goes on.
 *   npm run transition:apply -- --plan 1 --by admin [--batch 500]
 * Prints the result as JSON; exit code 2 for bad arguments or an unknown plan.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { buildDeps, closeDeps } from '../src/deps.js';
import { createLogger } from '../src/lib/logger.js';
import { DomainError } from '../src/lib/errors.js';
import { applyPlan } from '../src/modules/restructuring/index.js';

const { values } = parseArgs({ options: { plan: { type: 'string' }, by: { type: 'string' }, batch: { type: 'string' } } });
const plan = Number(values.plan);
const batchSize = values.batch === undefined ? undefined : Number(values.batch);
if (!Number.isInteger(plan) || plan < 1 || !values.by || (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1))) {
  process.stderr.write('usage: npm run transition:apply -- --plan <id> --by <username> [--batch <n>]\n');
  process.exit(2);
}
const deps = await buildDeps(loadConfig(), { logger: createLogger('warn') });
try {
  const result = await applyPlan(deps, plan, values.by, { batchSize });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 2;
} finally {
  await closeDeps(deps);
}
