import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.js';
import { idempotencyKeys } from '../../../db/schema/index.js';
import { DomainError } from '../../../lib/errors.js';

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

/** An intake's HTTP status: 201 when a dossier was received, 200 for guidance (Mẫu 02) or refusal (Mẫu 03). */
export const intakeStatus = (outcome: string): 200 | 201 => (outcome === 'received' ? 201 : 200);

/**
 * Runs an intake under an optional Idempotency-Key (the desk's and the postal partner's routes): a key already
 * used with the same body gives the first answer again (`replayed`); a new key is recorded in the intake's own
 * transaction through `remember`; of two requests racing on one new key, the loser gives the winner's answer.
 */
export async function intakeOnce<R extends { outcome: string }>(
  db: Db,
  key: string | null,
  body: unknown,
  run: (remember: ((tx: Tx, result: R) => Promise<void>) | undefined) => Promise<R>,
): Promise<{ statusCode: 200 | 201; response: unknown; replayed: boolean }> {
  const hash = key ? requestHash(body) : '';
  const earlier = async () => {
    const prior = key ? await replayed(db, key, hash) : null;
    return prior ? { statusCode: prior.statusCode as 200 | 201, response: prior.response, replayed: true } : null;
  };
  const first = await earlier();
  if (first) return first;
  try {
    const result = await run(key ? async (tx, r) => void (await remember(key, hash, intakeStatus(r.outcome), r)(tx)) : undefined);
    return { statusCode: intakeStatus(result.outcome), response: result, replayed: false };
  } catch (err) {
    if (key && isKeyConflict(err)) return (await earlier()) ?? Promise.reject(err);
    throw err;
  }
}
