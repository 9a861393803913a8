import { z } from 'zod';

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
  /** Secret for signing staff access tokens (HS256). The default is for a laptop only. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default('motcua-development-secret-change-me-please'),
  /**
   * Key for the keyed hash under which citizen ID numbers are stored (matchable, not readable; DOMAIN.md §11).
   * Changing it makes stored numbers unmatchable. The default is for a laptop only.
   */
  PERSONAL_DATA_KEY: z.string().min(32, 'must be at least 32 characters').default('motcua-development-personal-data-key-0001'),
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
  /** Province whose working hours apply when a desk has no override. */
  PROVINCE_CODE: z.string().regex(/^\d{2}$/).default('49'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
