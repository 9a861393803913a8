import type { Redis } from 'ioredis';
import { DomainError } from '../../lib/errors.js';

/**
 * Fixed-window rate limit in Redis (shared by every api process): at most `limit` calls per `windowSeconds` per
 * key. The public lookup is guessable by brute force without it, so when Redis cannot count, it refuses (503).
 */
export async function rateLimit(redis: Redis, key: string, limit: number, windowSeconds: number, nowMs: number) {
  const window = Math.floor(nowMs / 1000 / windowSeconds);
  const k = `motcua:rl:${key}:${window}`;
  let count: number;
  try {
    const res = await redis.multi().incr(k).expire(k, windowSeconds + 1).exec();
    count = Number(res?.[0]?.[1] ?? 0);
  } catch {
    throw new DomainError('SERVICE_UNAVAILABLE', 'The lookup service is temporarily unavailable; try again shortly');
  }
  if (count > limit) throw new DomainError('TOO_MANY_REQUESTS', `Too many lookups; try again in ${windowSeconds} seconds`);
}
