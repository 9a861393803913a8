import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';

/** Canonical JSON (keys sorted) so the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown) => createHash('sha256').update(canonical(body)).digest('hex');

/**
 * Idempotency-Key (per caller): the same key and body return the first response; the same key with another
 * body is a 422. The key is recorded in the same transaction as the intake, so a concurrent duplicate loses on
 * the key's primary key and its intake rolls back entirely.
 */
export async function replayed(db: Db, key: string, hash: string): Promise<{ statusCode: number; response: unknown } | null> {
  const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  if (!row) return null;
  if (row.requestHash !== hash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body');
  }
  return { statusCode: row.statusCode, response: row.response };
}

export const remember = (key: string, hash: string, statusCode: number, response: unknown) => (tx: Tx) =>
  tx.insert(idempotencyKeys).values({ key, requestHash: hash, statusCode, response });

export const isKeyConflict = (err: unknown) => {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const c = e.cause ?? e;
  return c.code === '23505' && (c.constraint ?? '').startsWith('idempotency_keys');
};
