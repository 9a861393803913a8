import type { Queue } from 'bullmq';
import { inArray, sql } from 'drizzle-orm';
import { outbox } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { retryOf } from './topics.js';

const BATCH = 200;

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis timeout')), ms).unref())]);

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with SKIP LOCKED so several relays can run; the job
 * id `outbox-<id>` makes a row relayed twice (relay died after add, before marking) one job. When Redis is down
 * the add fails, the transaction rolls back and the rows wait for the next pass.
 */
export async function relayOnce(deps: Deps, queue: Queue): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; topic: string; payload: unknown }>(
      sql`select id, topic, payload from outbox where published_at is null order by id limit ${BATCH} for update skip locked`,
    );
    if (rows.rows.length === 0) return 0;
    // Bounded: a Redis that does not answer must not hold the claimed rows' locks for long.
    await withTimeout(
      queue.addBulk(
        rows.rows.map((r) => ({
          name: r.topic,
          data: r.payload,
          opts: { jobId: `outbox-${r.id}`, ...retryOf(r.topic, deps.config) },
        })),
      ),
      5000,
    );
    const ids = rows.rows.map((r) => Number(r.id));
    await tx
      .update(outbox)
      .set({ publishedAt: new Date(), attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, ids));
    return ids.length;
  });
}

/** Polls the outbox until stopped; returns a stop function that waits for the current pass. */
export function startRelay(deps: Deps, queue: Queue, intervalMs = 500) {
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const loop = async () => {
    while (running) {
      current = relayOnce(deps, queue).catch((err) => {
        deps.logger.warn({ err: (err as Error).message }, 'outbox relay pass failed; rows will be retried');
        return 0;
      });
      const moved = (await current) as number;
      if (moved < BATCH) await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
  void loop();
  return async () => {
    running = false;
    await current;
  };
}
