import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { webhookDeliveries } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';

/** An administrator sends a dead webhook again: pending, with a new round of attempts (the log keeps counting). */
export async function replayWebhook(deps: Deps, id: number) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', replays: sql`${webhookDeliveries.replays} + 1`, nextAttemptAt: deps.now() })
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'dead')))
      .returning();
    if (!row) {
      const [exists] = await tx.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
      if (!exists) throw new DomainError('WEBHOOK_NOT_FOUND', `Webhook ${id} not found`);
      throw new DomainError('WEBHOOK_NOT_DEAD', `Webhook ${id} is ${exists.status}; only a dead webhook is replayed`);
    }
    await enqueueInTx(tx, 'postal.webhook.send', { id, round: row.replays });
    return row;
  });
}
