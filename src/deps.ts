import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Config } from './config.js';
import { createDb, createPool, type Db } from './db/client.js';
import { createLogger, type Logger } from './lib/logger.js';
import { CalendarService } from './modules/calendar/index.js';
import { ReferenceCache } from './modules/catalog/index.js';
import { createMetrics, type Metrics } from './lib/metrics.js';
import { IntakeWriter, type DossierEffects } from './modules/dossiers/index.js';
import { AccessTokens, StaffNames } from './modules/auth/index.js';
import { postalDossierEffects } from './modules/postal/index.js';
import { createFiles, type Files } from './modules/documents/index.js';
import { LocationIndependentLists } from './modules/location-independent/index.js';
import type { ProvinceLevel } from './modules/org/index.js';
import { localDateOf } from './lib/local-date.js';

/**
 * The composition root: everything a route, a job or a script needs, built the same way for the api and
 * worker roles (docs/architecture.md).
 */
export interface Deps {
  config: Config;
  logger: Logger;
  pool: pg.Pool;
  db: Db;
  redis: Redis;
  calendar: CalendarService;
  reference: ReferenceCache;
  /** The city's lists of procedures received anywhere in the city (Nghị định 118/2025), by version. */
  locationIndependentLists: LocationIndependentLists;
  /** The clock, injectable for tests. */
  now: () => Date;
  metrics: Metrics;
  /** Writes received dossiers, grouping those that arrive together into one commit. */
  intakeWriter: IntakeWriter;
  /** Bearer token → staff member (verified once per process; disabled accounts refused). */
  accessTokens: AccessTokens;
  staffNames: StaffNames;
  /** What other modules do in a dossier act's transaction (the postal partner's shipment): registered here. */
  dossierEffects: DossierEffects;
  /** Where dossier files are stored (FILE_STORAGE) and where uploads are spooled. */
  files: Files;
  /**
   * The province-level units on a day (today by `now` when omitted), from the units the reference cache holds: who
   * is province-wide is decided against it (src/domain/province-level.ts), never against a configured code.
   */
  provinceLevel: (day?: string) => Promise<ProvinceLevel>;
}

export async function buildDeps(config: Config, overrides: Partial<Pick<Deps, 'now' | 'logger'>> = {}): Promise<Deps> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  // A connection lost (PostgreSQL restarted) is logged, never thrown: the pool makes new connections and the
  // requests in flight fail with 503 (src/lib/unavailable.ts).
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE, (err) =>
    logger.warn({ err: err.message, code: (err as { code?: string }).code }, 'PostgreSQL connection lost'),
  );
  const db = createDb(pool);
  // The api's own connection (rate limits, replay records, readiness): one retry per command so a dead Redis
  // fails fast, and a command timeout so a Redis that accepts connections but does not answer (frozen, SIGSTOP)
  // fails fast too instead of holding the request (lookups hung up to 60 s). lazyConnect so it never
  // blocks boot. BullMQ workers open their own connections.
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    keyPrefix: `${config.REDIS_KEY_PREFIX}:`,
  });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'Redis connection error'));
  redis.connect().catch(() => undefined);
  const calendar = new CalendarService(db, pool, config.PROVINCE_CODE, logger, {
    tetDaysBefore: config.CALENDAR_TET_DAYS_BEFORE,
    nationalDayAdjacent: config.CALENDAR_NATIONAL_DAY_ADJACENT,
  });
  const reference = new ReferenceCache(db);
  const locationIndependentLists = new LocationIndependentLists(db);
  const metrics = createMetrics();
  const intakeWriter = new IntakeWriter(db, pool, { maxGroup: config.INTAKE_GROUP_MAX, maxConcurrent: config.INTAKE_WRITERS }, {
    observeGroup: (n) => metrics.intakeGroupSize.observe(n),
    logger,
  });
  const accessTokens = new AccessTokens(db, config);
  const staffNames = new StaffNames(db);
  const dossierEffects = postalDossierEffects(logger);
  const files = await createFiles(config);
  const now = overrides.now ?? (() => new Date());
  const provinceLevel = (day?: string) => reference.provinceLevel(day ?? localDateOf(now()));
  return { config, logger, pool, db, redis, calendar, reference, locationIndependentLists, now, metrics, intakeWriter, accessTokens, staffNames, dossierEffects, files, provinceLevel };
}

export async function closeDeps(deps: Deps): Promise<void> {
  deps.redis.disconnect();
  deps.files.storage.close?.();
  await deps.pool.end();
}
