import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { postalPartnerKeys, postalPartners, webhookAttempts, webhookDeliveries } from '../../db/schema/index.js';
import { sign } from '../../domain/postal/signature.js';
import { decryptSecret } from './secrets.js';

/**
 * Sends one webhook to its partner, signed like the partner's own requests (the partner's newest valid key; its
 * id in X-Partner-Key) with an Idempotency-Key header. A delivered row is never sent again. Every attempt is
 * logged; a failure counts the attempt, sets the next attempt's time and rethrows, so BullMQ retries with
 * exponential backoff; after the last attempt the worker dead-letters the row (deadLetterWebhook).
 */
export async function deliverWebhook(deps: Deps, id: number) {
  const [row] = await deps.db
    .select({ w: webhookDeliveries, partner: postalPartners })
    .from(webhookDeliveries)
    .innerJoin(postalPartners, eq(postalPartners.id, webhookDeliveries.partnerId))
    .where(eq(webhookDeliveries.id, id));
  if (!row || row.w.status !== 'pending') return { skipped: true };
  const { w, partner } = row;
  const now = deps.now();
  const [key] = await deps.db
    .select()
    .from(postalPartnerKeys)
    .where(and(eq(postalPartnerKeys.partnerId, partner.id), or(isNull(postalPartnerKeys.expiresAt), gt(postalPartnerKeys.expiresAt, now))))
    .orderBy(desc(postalPartnerKeys.createdAt), desc(postalPartnerKeys.id))
    .limit(1);
  const attempt = w.attempts + 1;
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    if (partner.disabledAt) throw new Error('the partner is disabled');
    if (!partner.webhookUrl) throw new Error('the partner has no webhook URL');
    if (!key) throw new Error('the partner has no valid key to sign with');
    const url = new URL(partner.webhookUrl);
    const body = JSON.stringify(w.payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(decryptSecret(key.secretEncrypted, deps.config.PERSONAL_DATA_KEY), 'POST', `${url.pathname}${url.search}`, timestamp, body);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': w.idempotencyKey,
        'x-webhook-kind': w.kind,
        'x-partner-key': key.id,
        'x-timestamp': timestamp,
        'x-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(deps.config.POSTAL_WEBHOOK_TIMEOUT_MS),
      redirect: 'manual',
    });
    statusCode = res.status;
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`partner answered ${res.status}`);
  } catch (err) {
    error = ((err as Error).message || String(err)).slice(0, 500);
  }
  const durationMs = Date.now() - started;
  const backoff = deps.config.POSTAL_WEBHOOK_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  await deps.db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ deliveryId: w.id, attempt, at: now, statusCode, error, durationMs });
    await tx
      .update(webhookDeliveries)
      .set(
        error === null
          ? { status: 'delivered', deliveredAt: now, attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: null, lastError: null }
          : { attempts: sql`${webhookDeliveries.attempts} + 1`, lastError: error, nextAttemptAt: new Date(now.getTime() + backoff) },
      )
      .where(eq(webhookDeliveries.id, w.id));
  });
  if (error !== null) throw new Error(error);
  return { delivered: true, attempt };
}

/** After the last attempt: dead, listed for an administrator to replay. A row delivered meanwhile stays delivered. */
export async function deadLetterWebhook(deps: Deps, id: number, error: string) {
  await deps.db
    .update(webhookDeliveries)
    .set({ status: 'dead', lastError: error.slice(0, 500), nextAttemptAt: null })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
}
