import type { Queue } from 'bullmq';
import { and, eq, lte } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { notifications } from '../../db/schema/index.js';

/**
 * Queues the send job of one message: job id `notice-<id>` (adding it again while it exists is a no-op), delayed
 * until the message may go (working hours), retried with exponential backoff up to NOTIFY_ATTEMPTS.
 */
export async function enqueueNotice(deps: Deps, queue: Queue, n: { id: number; notBefore: Date }) {
  await queue.add(
    'notification.send',
    { id: n.id },
    {
      jobId: `notice-${n.id}`,
      delay: Math.max(0, n.notBefore.getTime() - deps.now().getTime()),
      attempts: deps.config.NOTIFY_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
    },
  );
}

/**
 * Messages still pending a while after they were due: their send job was lost (a Redis restarted without its
 * data). Queued again under the same job id, so a job that still exists is not doubled, and a message already
 * sent is skipped by sendNotice. Run by the SLA sweep (every 5 minutes).
 */
export async function requeuePendingNotices(deps: Deps, queue: Queue, graceMs = 10 * 60_000) {
  const due = new Date(deps.now().getTime() - graceMs);
  const rows = await deps.db
    .select({ id: notifications.id, notBefore: notifications.notBefore })
    .from(notifications)
    .where(and(eq(notifications.status, 'pending'), lte(notifications.notBefore, due)))
    .limit(10_000);
  for (const n of rows) await enqueueNotice(deps, queue, n);
  return rows.length;
}
