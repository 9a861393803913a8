import type { Tx } from '../../db/client.js';
import type { webhookKinds } from '../../db/schema/index.js';
import { webhookDeliveries } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';

export type WebhookKind = (typeof webhookKinds)[number];

/**
 * Records an outbound webhook in the transaction of the change it announces, with its outbox row: the workers
 * send it after commit. One row per idempotency key (`<kind>:<subject>`), so the same event never makes a second
 * webhook. A partner without a webhook URL gets none.
 */
export async function queueWebhook(
  tx: Tx,
  partner: { id: number; webhookUrl: string | null },
  kind: WebhookKind,
  subject: string,
  data: Record<string, unknown>,
  at: Date,
) {
  if (!partner.webhookUrl) return null;
  const idempotencyKey = `${kind}:${subject}`;
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({
      partnerId: partner.id,
      kind,
      idempotencyKey,
      payload: { id: idempotencyKey, kind, occurredAt: at.toISOString(), data },
      status: 'pending',
      nextAttemptAt: at,
      createdAt: at,
    })
    .onConflictDoNothing({ target: webhookDeliveries.idempotencyKey })
    .returning({ id: webhookDeliveries.id });
  if (row) await enqueueInTx(tx, 'postal.webhook.send', { id: row.id, round: 0 });
  return row?.id ?? null;
}
