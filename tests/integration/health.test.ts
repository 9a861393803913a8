import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => ctx?.close());

describe('health', () => {
  it('is live', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    await ctx.deps.redis.ping().catch(() => undefined);
    const res = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    expect(res.statusCode).toBe(200);
  });

  it('is not ready, naming the part, when Redis does not answer', async () => {
    const { buildDeps, closeDeps } = await import('../../src/deps.js');
    const { buildApp } = await import('../../src/app.js');
    const { createLogger } = await import('../../src/lib/logger.js');
    // Same database, a Redis address where nothing listens.
    const deps = await buildDeps({ ...ctx.deps.config, REDIS_URL: 'redis://127.0.0.1:1' }, { logger: createLogger('silent') });
    const app = await buildApp(deps);
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not_ready', checks: { postgres: 'ok', redis: 'down' } });
    } finally {
      await app.close();
      await closeDeps(deps);
    }
  });

  it('answers an unknown route with the error shape and a request id', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /nowhere', requestId: 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});
