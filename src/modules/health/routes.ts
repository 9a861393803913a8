import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ postgres: z.enum(['ok', 'down']), redis: z.enum(['ok', 'down']) }),
});

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export const healthRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/health/live',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('live') }) } } },
    async () => ({ status: 'live' as const }),
  );
  app.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'PostgreSQL and Redis answer', response: { 200: readiness, 503: readiness } } },
    async (_req, reply) => {
      const [postgres, redis] = await Promise.all([
        withTimeout(deps.db.execute(sql`select 1`), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        withTimeout(deps.redis.ping(), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
      ]);
      const ok = postgres === 'ok' && redis === 'ok';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: { postgres, redis } });
    },
  );
};
