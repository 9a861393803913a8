import { z } from 'zod';

/**
 * The secrets' defaults, for a laptop and the tests. They are in the source, so anyone can sign a staff token or
 * compute an ID hash with them: outside a development mode a process refuses to start with them.
 */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'motcua-development-secret-change-me-please',
  PERSONAL_DATA_KEY: 'motcua-development-personal-data-key-0001',
} as const;

/**
 * The one place that reads the environment. Parsed once at boot; a bad value stops the process with a
 * message naming the variable (see README "Configuration").
 */
const configSchema = z.object({
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/motcua'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Group commit of intakes (src/modules/dossiers/intake-writer.ts): at most this many intakes in one statement and
   * commit, and at most INTAKE_WRITERS such commits in flight (each holds a pooled connection).
   */
  INTAKE_GROUP_MAX: z.coerce.number().int().min(1).max(500).default(64),
  INTAKE_WRITERS: z.coerce.number().int().min(1).max(20).default(1),
  /**
   * How far back an intake may be dated (`receivedAt`: a dossier picked up by the postal operator, or received on
   * paper while the system was down, recorded after the fact). The postal operator's time limits are unconfirmed
   * (DOMAIN.md §7), hence a setting. Older dates would rewrite closed periods of the index.
   */
  INTAKE_BACKDATE_MAX_HOURS: z.coerce.number().int().min(0).max(24 * 31).default(72),
  /**
   * How many working days before its appointment the sweep warns about a dossier not yet processed and drafts its
   * apology (DOMAIN.md §6). The apology must reach the applicant no later than one working day before the
   * appointment; warning two working days ahead leaves the agency's head one full working day to sign the draft in
   * time. 1 warns on the apology's own deadline (every apology from the draft is then late).
   */
  SLA_WARNING_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(2),
  /** Secret for signing staff access tokens (HS256). The default is for development only (see developmentMode). */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_SECRETS.JWT_SECRET),
  /**
   * Key for the keyed hash under which citizen ID numbers are stored (matchable, not readable; DOMAIN.md §11).
   * Changing it makes stored numbers unmatchable. The default is for development only (see developmentMode).
   */
  PERSONAL_DATA_KEY: z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_SECRETS.PERSONAL_DATA_KEY),
  /**
   * `development` or `test` is a development mode: the secrets' development defaults are accepted. Any other value,
   * or none, is production: the process refuses to start with them (secretsRefused).
   */
  NODE_ENV: z.string().optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /**
   * How often each process reads which staff accounts were disabled or had their roles changed: such an account's
   * earlier tokens are refused within this time (milliseconds; 0 reads on every authenticated request).
   */
  ACCOUNT_STATUS_REFRESH_MS: z.coerce.number().int().min(0).max(300_000).default(5000),
  /** Load the province's reference data at start-up (idempotent). */
  LOAD_REFERENCE_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Grace period for in-flight requests and jobs on SIGTERM. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits count per client). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * How long the api waits for Redis to answer one command (rate limits, replay records, readiness) before it
   * answers 503: a Redis that is frozen must not hold requests (ms).
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Prefix of the api's own Redis keys (rate limits), so several deployments or test runs can share a Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[\w.-]{1,40}$/).default('motcua'),
  /** Where applicant messages go: `record` keeps them in the notifications table only; `webhook` also posts them. */
  NOTIFIER: z.enum(['record', 'webhook']).default('record'),
  /** With NOTIFIER=webhook: the URL messages are POSTed to as JSON (an SMS / e-mail / Zalo OA gateway). */
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  /** Delivery attempts before a message is dead-lettered (exponential backoff from 1 s). */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /**
   * When set, GET /metrics asks for `Authorization: Bearer <this token>` (a Prometheus scrape credential);
   * unset, it is open, as is usual for a port that only the monitoring network reaches. It holds no personal data.
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Postal partners: how long an old API key keeps working after a rotation (seconds; default 24 h). */
  POSTAL_KEY_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(86_400),
  /** Postal partners: delivery attempts of an outbound webhook before it is dead-lettered. */
  POSTAL_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Postal partners: first retry delay of a webhook (ms); doubles at each attempt (exponential backoff). */
  POSTAL_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  /** Postal partners: time allowed for the partner's endpoint to answer a webhook (ms). */
  POSTAL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /**
   * How long a worker holds a job's lock, and how often stalled jobs are looked for: a worker that dies mid-job
   * has its job run again by another after about this long (BullMQ stalled-job recovery).
   */
  JOB_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Working days added to the appointment of each open dossier a restructuring moves to another desk (a transition
   * plan's default): 0, the appointment stands, since the applicant did not cause the change; no rule was found.
   */
  TRANSITION_APPOINTMENT_EXTENSION_DAYS: z.coerce.number().int().min(0).max(60).default(0),
  /**
   * What Redis keeps of finished jobs (BullMQ removeOnComplete / removeOnFail): completed jobs at most this many
   * and this old (a recent history for the dashboard), failed jobs (after their last attempt) at most this many
   * and this old, for an operator to look at. PostgreSQL holds the outcome of every job; without a bound each
   * intake left about 2.4 KB in Redis for good.
   */
  JOBS_KEEP_COMPLETED: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  JOBS_KEEP_COMPLETED_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(3600),
  JOBS_KEEP_FAILED: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  JOBS_KEEP_FAILED_SECONDS: z.coerce.number().int().min(0).max(90 * 86_400).default(7 * 86_400),
  /**
   * How often each worker re-derives from PostgreSQL what Redis may have lost (src/jobs/recovery.ts): job
   * schedulers missing, outbox rows published whose work is not done, messages pending without a job. Also run at
   * once whenever the worker's Redis connection comes back (ms).
   */
  RECOVERY_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /**
   * How long a published outbox row or a due message may wait for its job before the periodic recovery pass sends
   * it again (ms). Re-sending a job that still exists is a no-op (same job id), so this only bounds the pass's work.
   */
  RECOVERY_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /**
   * Where dossier files are kept (src/modules/documents): `fs`, content-addressed under FILE_DATA_DIR; or `s3`, any
   * S3-compatible object store (the FILE_S3_* settings). Either way uploads are spooled under FILE_DATA_DIR/tmp.
   */
  FILE_STORAGE: z.enum(['fs', 's3']).default('fs'),
  /** The data directory for files (and the upload spool), created at start; relative paths are from the working directory. */
  FILE_DATA_DIR: z.string().min(1).default('data/files'),
  /** With FILE_STORAGE=s3: the endpoint (unset: AWS itself), bucket, region, credentials and path-style addressing. */
  FILE_S3_ENDPOINT: z.url().optional(),
  FILE_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  FILE_S3_REGION: z.string().min(1).default('us-east-1'),
  FILE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  FILE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  FILE_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Largest file accepted (bytes; default 25 MiB): a scanned A4 page at 300 dpi is well under 1 MiB. */
  FILE_MAX_BYTES: z.coerce.number().int().min(1024).max(2 ** 32).default(25 * 1024 * 1024),
  /** Largest total of the files of one dossier (bytes; default 200 MiB). */
  FILE_DOSSIER_MAX_BYTES: z.coerce.number().int().min(1024).max(2 ** 40).default(200 * 1024 * 1024),
  /** How long a result link given to the applicant by the public lookup works (seconds; default 15 min). */
  FILE_LINK_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /**
   * A stored file that no row refers to is removed by the orphan sweep once it is older than this (seconds): an
   * upload between its storage write and its row's commit is younger, so the sweep never takes it.
   */
  FILE_ORPHAN_GRACE_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(3600),
  /**
   * The first day (local date) whose dossiers are printed on the forms of Thông tư 03/2025/TT-VPCP; dossiers received
   * before keep those of Thông tư 01/2018/TT-VPCP (src/domain/dossier/forms-circular.ts). The circular guides
   * Nghị định 118/2025, in force 2025-07-01, but was signed on 2025-09-15 and its own effect date was not read
   * (docs/domain.md §4a): hence a setting, defaulting to the decree's date.
   */
  FORMS_TT03_2025_FROM: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date')
    .default('2025-07-01'),
  /**
   * The key of the province's working hours (`province:<code>`), which apply when a desk has no override: the row
   * kept from Quảng Nam (49) is the city's. Who is province-wide is not this setting's: it follows the
   * province-level unit in force on the day, from the units table (src/domain/province-level.ts).
   */
  PROVINCE_CODE: z.string().regex(/^\d{2}$/).default('49'),
  /**
   * How the holidays of a year whose official schedule is not loaded are computed (DOMAIN.md §5; Bộ luật Lao động
   * 2019 Art. 112(3): the Prime Minister fixes the days of Tết and Quốc khánh's second day each year, so they are
   * unconfirmed until the notice is loaded). Tết's 5 days begin this many days before mùng 1 (2: the notices
   * 2021-2027 all give the weekdays this rule gives).
   */
  CALENDAR_TET_DAYS_BEFORE: z.coerce.number().int().min(0).max(4).default(2),
  /** Quốc khánh's adjacent day in such a year: `auto` the weekday that joins a weekend (as 2021-2027), or always `before` / `after` 02/09. */
  CALENDAR_NATIONAL_DAY_ADJACENT: z.enum(['auto', 'before', 'after']).default('auto'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.FILE_STORAGE === 's3' && !parsed.data.FILE_S3_BUCKET) {
    throw new ConfigError('Invalid configuration:\n  FILE_S3_BUCKET: required when FILE_STORAGE=s3');
  }
  return parsed.data;
}

/** Whether the process runs in a development mode (NODE_ENV=development or test), where the default secrets do. */
export function developmentMode(config: Pick<Config, 'NODE_ENV'>): boolean {
  return config.NODE_ENV === 'development' || config.NODE_ENV === 'test';
}

/**
 * Why a process must not start with these secrets, one line per variable (empty: it may). Outside a development
 * mode a secret left at its published default lets anyone forge a province administrator's token (JWT_SECRET) or
 * match citizen ID hashes (PERSONAL_DATA_KEY). A short secret is already refused by the schema, in every mode.
 */
export function secretsRefused(config: Pick<Config, 'NODE_ENV' | 'JWT_SECRET' | 'PERSONAL_DATA_KEY'>): string[] {
  if (developmentMode(config)) return [];
  return (['JWT_SECRET', 'PERSONAL_DATA_KEY'] as const)
    .filter((name) => config[name] === DEVELOPMENT_SECRETS[name])
    .map(
      (name) =>
        `  ${name}: is the development default, which is published in the source; set a secret of at least 32 random characters (e.g. openssl rand -base64 48), or NODE_ENV=development on a development machine`,
    );
}
