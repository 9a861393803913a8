import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { dossiers, notifications } from '../../db/schema/index.js';
import { GatewayRefused, type Notifier } from './notifier.js';

/**
 * Sends one message through the notifier, at least once and, with a gateway that keeps idempotency keys, once.
 *
 * A row already sent is skipped. Before the gateway is called the attempt is recorded (`sending_since`), and it is
 * cleared with the answer. An attempt that finds it set follows one cut off mid-send (the worker was killed while
 * the gateway had the message), or one that got no answer: the gateway may have sent it. It is sent again, as a resend, with the same
 * Idempotency-Key: a gateway that honours the key answers with its earlier result (already sent) rather than
 * sending twice. Resends are counted by what the gateway said (`motcua_notice_resends_total`). A failure counts the
 * attempt and rethrows, so BullMQ retries with backoff.
 */
export async function sendNotice(deps: Deps, notifier: Notifier, id: number) {
  // Marks the attempt and reads the mark it replaces, in one statement (the row lock orders two attempts).
  const claimed = await deps.db.execute<{ previous: Date | null }>(sql`
    with before as (select id, sending_since from notifications where id = ${id} and status = 'pending' for update)
    update notifications n set sending_since = now() from before where n.id = before.id
    returning before.sending_since as previous`);
  const claim = claimed.rows[0];
  if (!claim) return { skipped: true };
  const resend = claim.previous !== null;
  const [n] = await deps.db.select().from(notifications).where(eq(notifications.id, id));
  if (!n) return { skipped: true };
  const [d] = await deps.db.select({ code: dossiers.code }).from(dossiers).where(eq(dossiers.id, n.dossierId));
  let result;
  try {
    result = await notifier.send(
      { id: n.id, channel: n.channel, recipient: n.recipient, body: n.body, dossierCode: d?.code ?? '', kind: n.kind },
      { resend },
    );
  } catch (err) {
    if (resend) deps.metrics.noticeResends.inc({ result: 'failed' });
    // A refusal is an outcome (not sent); a timeout or a broken connection is not: the mark stays, and the next
    // attempt is a resend.
    const outcomeKnown = err instanceof GatewayRefused;
    await deps.db
      .update(notifications)
      .set({
        attempts: sql`${notifications.attempts} + 1`,
        lastError: (err as Error).message.slice(0, 500),
        ...(outcomeKnown ? { sendingSince: null } : {}),
      })
      .where(eq(notifications.id, id));
    throw err;
  }
  const alreadySent = result?.alreadySent === true;
  if (resend) deps.metrics.noticeResends.inc({ result: alreadySent ? 'already_sent' : 'sent' });
  await deps.db
    .update(notifications)
    .set({ status: 'sent', sentAt: deps.now(), attempts: sql`${notifications.attempts} + 1`, sendingSince: null })
    .where(eq(notifications.id, id));
  return { sent: true, resend, alreadySent };
}

/** After the last attempt: the message is dead-lettered, listed for a person to handle. */
export async function deadLetter(deps: Deps, id: number, error: string) {
  await deps.db.update(notifications).set({ status: 'dead', lastError: error.slice(0, 500), sendingSince: null }).where(eq(notifications.id, id));
}
