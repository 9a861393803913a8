import { createBullBoard } from '@bull-board/api';
import { isProvinceWide } from '../../domain/province-level.js';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { bullConnection } from '../../jobs/connection.js';
import { QUEUE } from '../../jobs/topics.js';
import { DomainError } from '../../lib/errors.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized', 'waiting-children'] as const;
const DASHBOARD_BASE = '/admin/queues';

/** A queue handle for reading (depths, the dashboard), opened on first use and closed with the app. */
function queueReader(deps: Deps, app: FastifyInstance) {
  let queue: Queue | undefined;
  app.addHook('onClose', async () => {
    if (!queue) return;
    // Closing while the connection is still being made is safe (jobs/connection.ts).
    await queue.close();
  });
  return () => {
    if (!queue) {
      queue = new Queue(QUEUE, { connection: bullConnection(deps.config.REDIS_URL), prefix: deps.config.REDIS_KEY_PREFIX });
      queue.on('error', (err) => deps.logger.warn({ err: err.message }, 'queue connection error'));
    }
    return queue;
  };
}

/**
 * Operations: GET /metrics in Prometheus text format, and the BullMQ dashboard (bull-board) at
 * /admin/queues for province administrators.
 */
export const opsRoutes = (deps: Deps) => async (app: FastifyInstance) => {
  const queue = queueReader(deps, app);

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const token = deps.config.METRICS_TOKEN;
    if (token) {
      const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('UNAUTHENTICATED', 'GET /metrics needs the metrics token');
    }
    const m = deps.metrics;
    // Read at scrape time: a gauge of Redis or PostgreSQL that cannot be read is left out, not reported as 0.
    try {
      // Bounded: the queue's connection waits for Redis (it is the workers' kind), and a frozen Redis must not hold
      // the scrape.
      const counts = await Promise.race([
        queue().getJobCounts(...JOB_STATES),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis did not answer in time')), deps.config.REDIS_COMMAND_TIMEOUT_MS).unref()),
      ]);
      for (const state of JOB_STATES) m.queueJobs.set({ state }, counts[state] ?? 0);
    } catch (err) {
      req.log.warn({ err: (err as Error).message }, 'queue depths unavailable');
      m.queueJobs.reset();
    }
    try {
      const [row] = (
        await deps.db.execute<{ n: number; undone: number }>(sql`
          select (select count(*)::int from outbox where published_at is null) as n,
            (select count(*)::int from outbox where done_at is null and published_at < now() - make_interval(secs => ${deps.config.RECOVERY_GRACE_MS / 1000})) as undone`)
      ).rows;
      m.outboxBacklog.set(row?.n ?? 0);
      m.outboxUndone.set(row?.undone ?? 0);
    } catch {
      m.outboxBacklog.reset();
      m.outboxUndone.reset();
    }
    return reply.type(m.registry.contentType).send(await m.registry.metrics());
  });

  // The dashboard: its own encapsulated plugin, behind the province administrator role. The token comes as the
  // bearer header or, for a browser, the `motcua_token` cookie.
  await app.register(async (board) => {
    // The dashboard's routes have bull-board's own error handler, so the refusal is sent here, in our envelope.
    board.addHook('onRequest', async (req, reply) => {
      let principal = req.principal;
      if (!principal) {
        const cookie = /(?:^|;\s*)motcua_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
        if (cookie) principal = await deps.accessTokens.principalOf(decodeURIComponent(cookie));
      }
      const refuse = (status: number, code: string, message: string) => reply.code(status).send({ error: { code, message, requestId: req.id } });
      if (!principal) return refuse(401, 'UNAUTHENTICATED', 'The queue dashboard needs a province administrator token');
      const province = await deps.provinceLevel();
      if (!principal.roles.some((r) => r.role === 'province_admin' && isProvinceWide(r, province))) {
        return refuse(403, 'FORBIDDEN', 'The queue dashboard is for province administrators');
      }
    });
    const adapter = new FastifyAdapter();
    adapter.setBasePath(DASHBOARD_BASE);
    createBullBoard({ queues: [new BullMQAdapter(queue(), { readOnlyMode: false })], serverAdapter: adapter });
    await board.register(adapter.registerPlugin(), { prefix: DASHBOARD_BASE });
  });
};
