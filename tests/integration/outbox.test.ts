import { Queue, QueueEvents } from 'bullmq';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { enqueueInTx } from '../../src/jobs/enqueue.js';
import { relayOnce } from '../../src/jobs/outbox-relay.js';
import { startTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
let queue: Queue;
const name = `motcua-test-outbox-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  ctx = await startTestApp();
  queue = new Queue(name, { connection: { url: inject('redisUrl') } });
});
afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await ctx?.close();
});

describe('transactional outbox', () => {
  it('writes nothing when the transaction rolls back', async () => {
    await expect(
      ctx.deps.db.transaction(async (tx) => {
        await enqueueInTx(tx, 'calendar.changed', { changeId: 1, date: '2026-01-01', scope: 'day' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await ctx.deps.db.select().from(outbox)).length).toBe(0);
  });

  it('relays committed rows as jobs with deterministic ids, once even when relayed twice', async () => {
    await ctx.deps.db.transaction((tx) => enqueueInTx(tx, 'calendar.changed', { changeId: 7, date: '2026-01-02', scope: 'day' }));
    const [row] = await ctx.deps.db.select().from(outbox);
    expect(await relayOnce(ctx.deps, queue)).toBe(1);
    expect(await relayOnce(ctx.deps, queue)).toBe(0);
    // Simulate a relay that died after adding the job but before marking the row: the row is relayed again.
    await ctx.deps.db.execute(sql`update outbox set published_at = null`);
    expect(await relayOnce(ctx.deps, queue)).toBe(1);
    const job = await queue.getJob(`outbox-${row!.id}`);
    expect(job?.name).toBe('calendar.changed');
    expect(job?.data).toEqual({ changeId: 7, date: '2026-01-02', scope: 'day' });
    expect(await queue.count()).toBe(1);
  });

  it('keeps rows waiting while Redis does not answer, and relays them when it does', async () => {
    await ctx.deps.db.transaction((tx) => enqueueInTx(tx, 'calendar.changed', { changeId: 8, date: null, scope: 'province:49' }));
    const dead = new Queue(name, { connection: { host: '127.0.0.1', port: 1, maxRetriesPerRequest: 1, retryStrategy: () => null } });
    dead.on('error', () => undefined);
    await expect(relayOnce(ctx.deps, dead)).rejects.toThrow();
    await dead.close().catch(() => undefined);
    const waiting = await ctx.deps.db.execute(sql`select count(*)::int as n from outbox where published_at is null`);
    expect(waiting.rows[0]).toEqual({ n: 1 });
    expect(await relayOnce(ctx.deps, queue)).toBe(1);
  });

  it('a worker consumes the relayed job (real BullMQ)', async () => {
    const events = new QueueEvents(name, { connection: { url: inject('redisUrl') } });
    await events.waitUntilReady();
    const { Worker } = await import('bullmq');
    const seen: unknown[] = [];
    const worker = new Worker(name, async (job) => void seen.push(job.data), { connection: { url: inject('redisUrl') } });
    await ctx.deps.db.transaction((tx) => enqueueInTx(tx, 'calendar.changed', { changeId: 9, date: '2026-05-01', scope: 'day' }));
    await relayOnce(ctx.deps, queue);
    await new Promise<void>((resolve) => {
      const check = () => (seen.some((d) => (d as { changeId: number }).changeId === 9) ? resolve() : setTimeout(check, 50));
      check();
    });
    await worker.close();
    await events.close();
    expect(seen).toContainEqual({ changeId: 9, date: '2026-05-01', scope: 'day' });
  });
});
