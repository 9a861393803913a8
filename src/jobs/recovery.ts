import type { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { requeuePendingNotices } from '../modules/notices/index.js';
import { countNewEvents } from '../modules/quality/index.js';
import { reviveJobs, type JobToRevive } from './revive-jobs.js';
import { keepOf, retryOf } from './topics.js';

export { reviveJobs, type JobToRevive };

/** The job schedulers every worker keeps in Redis (fixed ids: however many workers, each runs once per tick). */
export const SCHEDULERS = [
  { id: 'sla-sweep', pattern: '*/5 * * * *', name: 'sla.sweep', data: { full: false } },
  { id: 'sla-sweep-nightly', pattern: '30 0 * * *', name: 'sla.sweep', data: { full: true } },
  // Stored objects no file row refers to (an upload cut off between storage and commit), hourly.
  { id: 'files-sweep', pattern: '17 * * * *', name: 'files.sweep', data: {} },
] as const;

/** One recovery pass at a time over all workers (the pass is idempotent; two at once would only do it twice). */
const RECOVERY_LOCK = 0x6d6f74637572n; // "motcur"
const PAGE = 1000;

/** Creates the job schedulers that are missing (all of them after Redis came back empty); returns their ids. */
export async function ensureSchedulers(deps: Deps, queue: Queue, opts: { force?: boolean } = {}): Promise<string[]> {
  const created: string[] = [];
  for (const s of SCHEDULERS) {
    if (!opts.force && (await queue.getJobScheduler(s.id))) continue;
    await queue.upsertJobScheduler(
      s.id,
      { pattern: s.pattern, tz: 'Asia/Ho_Chi_Minh' },
      { name: s.name, data: s.data, opts: keepOf(deps.config) },
    );
    created.push(s.id);
  }
  return created;
}

/**
 * How many times the recovery pass gives an outbox row's work another job (outbox.attempts counts the relay's
 * publication and each of these): a row whose work still fails after that is left to an operator (its failed
 * job is kept; `motcua_outbox_undone` counts it).
 */
export const MAX_OUTBOX_ROUNDS = 6;

/**
 * Outbox rows relayed to Redis whose work is not done (`done_at` null), published at least `graceMs` ago: their
 * jobs are revived (reviveJobs). Every processor is idempotent, so work done twice has its effect once. Pages
 * through all of them.
 */
export async function republishUndone(deps: Deps, queue: Queue, graceMs: number): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = (
      await deps.db.execute<{ id: string; topic: string; payload: unknown }>(sql`
        select id, topic, payload from outbox
        where done_at is null and id > ${after} and published_at is not null and attempts < ${MAX_OUTBOX_ROUNDS}
          and published_at <= now() - make_interval(secs => ${graceMs / 1000})
        order by id limit ${PAGE}`)
    ).rows;
    const revived = await reviveJobs(
      queue,
      rows.map((r) => ({ name: r.topic, data: r.payload, opts: { jobId: `outbox-${r.id}`, ...retryOf(r.topic, deps.config), ...keepOf(deps.config) } })),
    );
    if (revived.length > 0) {
      const ids = revived.map((j) => Number(j.opts.jobId.slice('outbox-'.length)));
      await deps.db.execute(sql`update outbox set attempts = attempts + 1 where id in ${ids}`);
    }
    total += revived.length;
    if (rows.length < PAGE) return total;
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** The job of outbox row `<id>` finished its work: the recovery pass no longer relays it. */
export async function markOutboxDone(deps: Deps, jobId: string | undefined) {
  const id = /^outbox-(\d+)$/.exec(jobId ?? '')?.[1];
  if (id) await deps.db.execute(sql`update outbox set done_at = now() where id = ${id} and done_at is null`);
}

export interface RecoveryResult {
  schedulers: string[];
  republished: number;
  requeuedNotices: number;
  counted: number;
  skipped?: true;
}

/**
 * Re-derives from PostgreSQL what Redis may have lost, without a restart: the job schedulers, the work
 * of outbox rows published and not done, the send jobs of pending messages, and events not yet counted.
 * `afterReconnect`: Redis has just come back, possibly empty, so nothing is given grace (every pending message is
 * queued again, with its delay when it is held for working hours); otherwise only what waited longer than
 * RECOVERY_GRACE_MS. Runs under an advisory lock: one pass at a time across workers.
 */
export async function recoverLostWork(deps: Deps, queue: Queue, opts: { afterReconnect?: boolean } = {}): Promise<RecoveryResult> {
  const grace = opts.afterReconnect ? 0 : deps.config.RECOVERY_GRACE_MS;
  const client = await deps.pool.connect();
  let broken: Error | undefined;
  try {
    const locked = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [RECOVERY_LOCK.toString()]);
    if (!locked.rows[0]?.ok) return { schedulers: [], republished: 0, requeuedNotices: 0, counted: 0, skipped: true };
    try {
      const schedulers = await ensureSchedulers(deps, queue);
      const republished = await republishUndone(deps, queue, grace);
      const requeuedNotices = await requeuePendingNotices(deps, queue, opts.afterReconnect ? null : grace);
      const counted = (await countNewEvents(deps)).events;
      return { schedulers, republished, requeuedNotices, counted };
    } finally {
      // A connection whose unlock failed is discarded, so a lock it might still hold ends with it.
      await client.query('select pg_advisory_unlock($1)', [RECOVERY_LOCK.toString()]).catch((err: Error) => (broken = err));
    }
  } finally {
    client.release(broken);
  }
}
