import type { Redis } from 'ioredis';
import { DomainError } from './errors.js';

/**
 * Fixed-window rate limit in Redis (shared by every api process): at most `limit` calls per `windowSeconds` per
 * key. The public lookup is guessable by brute force without it, so when Redis cannot count, it refuses (503).
 */
export async function rateLimit(redis: Redis, key: string, limit: number, windowSeconds: number, nowMs: number) {
  const window = Math.floor(nowMs / 1000 / windowSeconds);
  const k = `rl:${key}:${window}`;
  let count: number;
  try {
    const res = await redis.multi().incr(k).expire(k, windowSeconds + 1).exec();
    count = Number(res?.[0]?.[1] ?? 0);
  } catch {
    throw new DomainError('SERVICE_UNAVAILABLE', 'The lookup service is temporarily unavailable; try again shortly');
  }
  if (count > limit) throw new DomainError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${windowSeconds} seconds`);
}

/**
 * Counts an attempt and returns the count, in one step: the key's expiry is set when the count starts, so no
 * second caller can read the count between the check and the increment.
 */
const TAKE_ATTEMPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;
/** Gives back an attempt that turned out not to be a failure (the key may have expired meanwhile: never below 0). */
const GIVE_BACK = `if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Failures counted per target (e.g. per dossier code), whatever the client's address: a code with `limit`
 * failed attempts in the window is locked for the rest of it. Counted for unknown codes too, so a lock does not
 * tell whether a code exists.
 *
 * Every attempt takes a slot first (INCR, atomic in Redis) and only the first `limit` slots are evaluated; an
 * attempt that does not fail gives its slot back. So parallel guesses cannot all pass a check made before any of
 * them is counted: at most `limit` wrong answers are ever evaluated per window. Redis unable to count: 503 (the
 * lookup is guessable without it).
 */
export async function guardFailures<T>(redis: Redis, key: string, limit: number, windowSeconds: number, attempt: () => Promise<T>): Promise<T> {
  const k = `fail:${key}`;
  let taken: number;
  try {
    taken = Number(await redis.eval(TAKE_ATTEMPT, 1, k, windowSeconds));
  } catch {
    throw new DomainError('SERVICE_UNAVAILABLE', 'The lookup service is temporarily unavailable; try again shortly');
  }
  // A refused attempt keeps its slot: the count says how hard the code is being tried, and the lock stands.
  if (taken > limit) throw new DomainError('TOO_MANY_REQUESTS', `Too many failed attempts for this code; try again later`);
  let failed = false;
  try {
    return await attempt();
  } catch (err) {
    failed = err instanceof DomainError && err.code === 'DOSSIER_NOT_FOUND';
    throw err;
  } finally {
    if (!failed) await redis.eval(GIVE_BACK, 1, k).catch(() => undefined);
  }
}
