import type { Config } from './config.js';
import { createPool } from './db/client.js';
import { createDb } from './db/client.js';
import { ensureDatabase } from './db/ensure-database.js';
import { runMigrations } from './db/migrate.js';
import { localDateOf } from './lib/local-date.js';
import type { Logger } from './lib/logger.js';
import { loadReferenceData } from '../seeds/load-reference.js';

/**
 * Prepares the database before serving: creates it when missing, applies migrations under an advisory lock,
 * loads the reference data idempotently, with the organisation versions in force by today (`now`). Each step is safe when several processes start at once.
 */
export async function prepareDatabase(config: Config, logger: Logger, now: () => Date = () => new Date()): Promise<void> {
  const started = performance.now();
  if (await ensureDatabase(config.DATABASE_URL)) logger.info('created the database');
  const pool = createPool(config.DATABASE_URL, 2);
  try {
    await runMigrations(pool);
    logger.info({ ms: Math.round(performance.now() - started) }, 'migrations applied');
    if (config.LOAD_REFERENCE_DATA) {
      // Every organisation version in force by today is loaded (a later start loads the ones that came in force since).
      const result = await loadReferenceData(createDb(pool), { organisationUpTo: localDateOf(now()) });
      logger.info(
        { ms: Math.round(performance.now() - started), loaded: result.loaded, ...result.summary },
        result.loaded ? 'reference data loaded' : 'reference data already loaded',
      );
    }
  } finally {
    await pool.end();
  }
}
