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
 * Failures counted per target (e.g. per dossier code), whatever the client's address: a code with `limit`
 * failed attempts in the window is locked for the rest of it. Counted for unknown codes too, so a lock does not
 * tell whether a code exists.
 */
export async function guardFailures<T>(redis: Redis, key: string, limit: number, windowSeconds: number, attempt: () => Promise<T>): Promise<T> {
  const k = `fail:${key}`;
  const failures = Number((await redis.get(k).catch(() => null)) ?? 0);
  if (failures >= limit) throw new DomainError('TOO_MANY_REQUESTS', `Too many failed attempts for this code; try again later`);
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'DOSSIER_NOT_FOUND') {
      await redis.multi().incr(k).expire(k, windowSeconds).exec().catch(() => undefined);
    }
    throw err;
  }
}
