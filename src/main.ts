import { buildApp, type App } from './app.js';
import { prepareDatabase } from './bootstrap.js';
import { ConfigError, developmentMode, loadConfig, secretsRefused } from './config.js';
import { buildDeps, closeDeps } from './deps.js';
import { startWorkers, type Workers } from './jobs/workers.js';
import { createLogger } from './lib/logger.js';

/**
 * Entry point. ROLE=api serves HTTP, ROLE=worker runs the queues' processors and schedulers (and serves health
 * and /metrics only), ROLE=all (the default) both. SIGTERM/SIGINT: stop accepting, let in-flight requests and jobs finish, then close pools.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const refused = secretsRefused(config);
  if (refused.length) {
    process.stderr.write(`Invalid configuration (NODE_ENV=${config.NODE_ENV ?? 'unset'}: production):\n${refused.join('\n')}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (developmentMode(config)) logger.warn(`NODE_ENV=${config.NODE_ENV}: development mode, the default secrets are accepted`);
  const started = performance.now();
  await prepareDatabase(config, logger);
  const deps = await buildDeps(config, { logger });
  await deps.calendar.refresh();

  let workers: Workers | undefined;
  // A worker-only process serves health and /metrics (its job metrics live in its own memory).
  const app: App = await buildApp(deps, { surface: config.ROLE === 'worker' ? 'ops' : 'all' });
  // PORT=0 lets the system choose a free port; the address logged below says which.
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  if (config.ROLE !== 'api') workers = await startWorkers(deps);
  logger.info({ role: config.ROLE, address, ms: Math.round(performance.now() - started) }, 'motcua started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    await app.close(); // waits for in-flight requests
    await workers?.close(); // waits for active jobs
    await closeDeps(deps);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`motcua failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
