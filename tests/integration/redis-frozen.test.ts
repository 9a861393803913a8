import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/domain/postal/signature.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { PrivateRedis } from '../helpers/private-servers.js';

/**
 * Redis frozen (SIGSTOP: connections stay open, nothing is answered). Issue 14: public lookups and postal calls
 * hung up to 60 s, the api's Redis client having no command timeout. Each must answer within a few seconds: 503
 * (fail closed: the guess limit and the replay record cannot be checked) or as designed without Redis.
 */
let redis: PrivateRedis;
let ctx: TestContext;
let key: { id: string; secret: string };
let officer: { authorization: string };
let procedure: ProcedurePick;

beforeAll(async () => {
  redis = await PrivateRedis.create();
  ctx = await startTestApp({ env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '500' } });
  const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/postal/partners', payload: { code: 'FROZEN', name: 'Bưu điện' }, headers: admin });
  expect(res.statusCode, res.body).toBe(201);
  key = res.json().key;
  procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day'`);
});
afterAll(async () => {
  redis?.thaw();
  await ctx?.close();
  await redis?.kill();
});

/** An answer, or 'no answer' after `ms`. */
const within = async <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms))]);

describe('Redis frozen', () => {
  it('public lookup, postal call, readiness and /metrics answer within seconds; intake does not need Redis', async () => {
    redis.freeze();
    try {
      const started = Date.now();
      const timestamp = new Date().toISOString();
      const body = JSON.stringify({ procedureCode: procedure.code, deskCode: 'H502', documents: [] });
      const [lookup, postal, ready, metrics, intake] = await Promise.all([
        within(ctx.app.inject({ method: 'GET', url: '/api/v1/public/dossiers/H502-000000-0001?phone=1234' }), 4000),
        within(
          ctx.app.inject({
            method: 'POST',
            url: '/api/v1/postal/precheck',
            payload: body,
            headers: { 'content-type': 'application/json', 'x-partner-key': key.id, 'x-timestamp': timestamp, 'x-signature': sign(key.secret, 'POST', '/api/v1/postal/precheck', timestamp, body) },
          }),
          4000,
        ),
        within(ctx.app.inject({ method: 'GET', url: '/health/ready' }), 4000),
        within(ctx.app.inject({ method: 'GET', url: '/metrics' }), 4000),
        within(ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(procedure, 'H502'), headers: officer }), 4000),
      ]);
      expect(Date.now() - started).toBeLessThan(4000);
      for (const [name, res] of Object.entries({ lookup, postal, ready })) {
        expect(res, `${name} while Redis is frozen`).not.toBe('no answer');
        if (res !== 'no answer') expect(res.statusCode, `${name}: ${res.body}`).toBe(503);
      }
      expect(lookup !== 'no answer' && lookup.headers['retry-after']).toBeTruthy();
      expect(metrics !== 'no answer' && metrics.statusCode).toBe(200);
      // Intake writes PostgreSQL only (the outbox): it goes on.
      expect(intake !== 'no answer' && intake.statusCode).toBe(201);
    } finally {
      redis.thaw();
    }
    // Thawed: as before.
    const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/public/dossiers/H502-000000-0001?phone=1234' });
    expect(after.statusCode, after.body).toBe(404);
  });
});
