import type { Queue } from 'bullmq';
import { and, asc, eq, gt, lt, lte } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { notifications } from '../../db/schema/index.js';
import { reviveJobs } from '../../jobs/revive-jobs.js';

/** The send job of one message (see enqueueNotice). */
const sendJob = (deps: Deps, n: { id: number; notBefore: Date }) => ({
  name: 'notification.send',
  data: { id: n.id },
  opts: {
    jobId: `notice-${n.id}`,
    delay: Math.max(0, n.notBefore.getTime() - deps.now().getTime()),
    attempts: deps.config.NOTIFY_ATTEMPTS,
    backoff: { type: 'exponential', delay: 1000 },
  },
});

/**
 * Queues the send job of one message: job id `notice-<id>` (adding it again while it exists is a no-op), delayed
 * until the message may go (working hours), retried with exponential backoff up to NOTIFY_ATTEMPTS.
 */
export async function enqueueNotice(deps: Deps, queue: Queue, n: { id: number; notBefore: Date }) {
  const job = sendJob(deps, n);
  await queue.add(job.name, job.data, job.opts);
}

const PAGE = 1000;

/**
 * Messages still pending `graceMs` after they were due (all pending ones when `graceMs` is null): their send job
 * may have been lost (a Redis restarted without its data) or have ended without sending (failed by stalling, a
 * worker killed twice mid-job). Their jobs are revived (reviveJobs: a job waiting, delayed or running is left
 * alone), so a message already sent is never queued again and one pending always has a job. Messages whose
 * attempts are spent wait for the dead-letter handler, not for this. Run by the worker's recovery pass
 * (src/jobs/recovery.ts) and the SLA sweep. Pages through all of them. Returns how many jobs were revived.
 */
export async function requeuePendingNotices(deps: Deps, queue: Queue, graceMs: number | null = 10 * 60_000) {
  const due = graceMs === null ? null : new Date(deps.now().getTime() - graceMs);
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = await deps.db
      .select({ id: notifications.id, notBefore: notifications.notBefore })
      .from(notifications)
      .where(
        and(
          eq(notifications.status, 'pending'),
          due ? lte(notifications.notBefore, due) : undefined,
          lt(notifications.attempts, deps.config.NOTIFY_ATTEMPTS),
          gt(notifications.id, after),
        ),
      )
      .orderBy(asc(notifications.id))
      .limit(PAGE);
    total += (await reviveJobs(queue, rows.map((n) => sendJob(deps, n)))).length;
    if (rows.length < PAGE) return total;
    after = rows[rows.length - 1]!.id;
  }
}
