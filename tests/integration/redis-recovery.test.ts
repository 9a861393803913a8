import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { republishUndone, SCHEDULERS } from '../../src/jobs/recovery.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { recordingNotifier } from '../../src/modules/notices/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { PrivateRedis } from '../helpers/private-servers.js';

/**
 * Redis restarted empty: the job schedulers were created only when a worker started, and work whose jobs
 * were lost was never done (1,071 of 2,306 dossiers without their receipt message). PostgreSQL is the truth: the
 * worker re-creates what Redis lost, without a restart. And Redis no longer grows with every job done.
 */
const clock = TestClock.atLocal('2025-03-10T09:00:00'); // a Monday morning: messages go at once
let redis: PrivateRedis;
let ctx: TestContext;
let officer: { authorization: string };
let procedure: ProcedurePick;
let workers: Workers | undefined;

beforeAll(async () => {
  redis = await PrivateRedis.create();
  ctx = await startTestApp({ now: clock.now, env: { REDIS_URL: redis.url, JOBS_KEEP_COMPLETED: '3', JOB_LOCK_MS: '1000' } });
  officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and cutoff_hour is null`);
});
afterAll(async () => {
  await workers?.close();
  await ctx?.close();
  await redis?.kill();
});

async function receive(n: number) {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(procedure, 'H502'), headers: officer });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().dossierCode as string;
    ids.push(Number((await ctx.deps.db.execute<{ id: string }>(sql`select id from dossiers where code = ${code}`)).rows[0]!.id));
  }
  return ids;
}
const state = async (ids: number[]) =>
  (
    await ctx.deps.db.execute<{ unpublished: number; undone: number; receipts_sent: number }>(sql`
      select (select count(*)::int from outbox where published_at is null) as unpublished,
        (select count(*)::int from outbox where done_at is null) as undone,
        (select count(*)::int from notifications where dossier_id in ${ids} and kind = 'receipt' and status = 'sent') as receipts_sent`)
  ).rows[0]!;

describe('Redis restarted empty', () => {
  it('schedulers and the lost work come back from PostgreSQL, without restarting the worker', async () => {
    workers = await startWorkers(ctx.deps, recordingNotifier);
    // A backlog: the workers take nothing while the queue is paused; the relay goes on moving the outbox to Redis.
    await workers.queue.pause();
    const ids = await receive(4);
    await expect.poll(async () => (await state(ids)).unpublished, { timeout: 10_000 }).toBe(0);
    expect((await state(ids)).receipts_sent).toBe(0);

    // Redis loses everything: the four jobs, the schedulers, the paused flag.
    await redis.restartEmpty();

    await expect.poll(async () => (await workers!.queue.getJobSchedulers()).map((s) => s.key).sort(), { timeout: 20_000 }).toEqual(SCHEDULERS.map((s) => s.id).sort());
    await expect.poll(async () => state(ids), { timeout: 20_000 }).toMatchObject({ undone: 0, receipts_sent: ids.length });
  });

  it('a job failed for good while its work is not done is given another one, once per pass', async () => {
    // A job under an outbox row's id that can only fail (an unknown topic): failed, its row not done.
    const [row] = await ctx.deps.db
      .insert(outbox)
      .values({ topic: 'calendar.changed', payload: { changeId: 0, date: null, scope: 'day' }, publishedAt: new Date(Date.now() - 120_000) })
      .returning();
    await workers!.queue.add('no.such.topic', {}, { jobId: `outbox-${row!.id}`, attempts: 1 });
    await expect.poll(() => workers!.queue.getJobState(`outbox-${row!.id}`), { timeout: 10_000 }).toBe('failed');
    expect(await republishUndone(ctx.deps, workers!.queue, 60_000)).toBe(1);
    await expect
      .poll(async () => (await ctx.deps.db.execute<{ done: boolean }>(sql`select done_at is not null as done from outbox where id = ${row!.id}`)).rows[0]!.done, { timeout: 10_000 })
      .toBe(true);
    // Done: the next pass leaves it alone.
    expect(await republishUndone(ctx.deps, workers!.queue, 0)).toBe(0);
  });

  it('keeps a bounded history of finished jobs in Redis (JOBS_KEEP_COMPLETED), and failed jobs for an operator', async () => {
    const before = await workers!.queue.getJobCounts('completed', 'failed');
    const ids = await receive(4);
    await expect.poll(async () => (await state(ids)).receipts_sent, { timeout: 20_000 }).toBe(ids.length);
    // Eight jobs more completed (four dossier events, four messages): three kept.
    const counts = await workers!.queue.getJobCounts('completed', 'failed');
    expect(counts.completed).toBeLessThanOrEqual(3);
    expect(counts.failed).toBe(before.failed);
    const [job] = await workers!.queue.getJobs(['completed'], 0, 0);
    expect(job?.opts.removeOnComplete).toEqual({ count: 3, age: 3600 });
    expect(job?.opts.removeOnFail).toEqual({ count: 5000, age: 7 * 86_400 });
  });
});
