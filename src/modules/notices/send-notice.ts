import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { dossiers, notifications } from '../../db/schema/index.js';
import type { Notifier } from './notifier.js';

/**
 * Sends one message through the notifier, once: a row already sent is skipped (a job run twice does not send
 * twice, unless the gateway accepted it and the process died before the row was marked: the webhook carries an
 * Idempotency-Key for that case). A failure counts the attempt and rethrows, so BullMQ retries with backoff.
 */
export async function sendNotice(deps: Deps, notifier: Notifier, id: number) {
  const [n] = await deps.db.select().from(notifications).where(eq(notifications.id, id));
  if (!n || n.status !== 'pending') return { skipped: true };
  const [d] = await deps.db.select({ code: dossiers.code }).from(dossiers).where(eq(dossiers.id, n.dossierId));
  try {
    await notifier.send({ id: n.id, channel: n.channel, recipient: n.recipient, body: n.body, dossierCode: d?.code ?? '', kind: n.kind });
  } catch (err) {
    await deps.db
      .update(notifications)
      .set({ attempts: sql`${notifications.attempts} + 1`, lastError: (err as Error).message.slice(0, 500) })
      .where(eq(notifications.id, id));
    throw err;
  }
  await deps.db.update(notifications).set({ status: 'sent', sentAt: deps.now(), attempts: sql`${notifications.attempts} + 1` }).where(eq(notifications.id, id));
  return { sent: true };
}

/** After the last attempt: the message is dead-lettered, listed for a person to handle. */
export async function deadLetter(deps: Deps, id: number, error: string) {
  await deps.db.update(notifications).set({ status: 'dead', lastError: error.slice(0, 500) }).where(eq(notifications.id, id));
}
