import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';

const METRICS_TOKEN = 'scrape-token-0123456789';
let ctx: TestContext;
let admin: { authorization: string };
let officer: { authorization: string };
beforeAll(async () => {
  ctx = await startTestApp({ env: { METRICS_TOKEN } });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
});
afterAll(async () => ctx?.close());

const metrics = async () => {
  const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.body;
};
const sample = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('operations: Prometheus metrics and the queue dashboard', () => {
  it('serves /metrics to the scraper only, with HTTP latency by route pattern, queue depths, outbox backlog and the sweep', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    await ctx.app.inject({ method: 'GET', url: '/api/v1/procedures/NO-SUCH/authority' });
    const sweep = await ctx.app.inject({ method: 'POST', url: '/api/v1/sla/sweep', headers: admin });
    expect(sweep.statusCode).toBe(200);
    const text = await metrics();
    // A route pattern, not the URL with its code.
    expect(text).toMatch(/motcua_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/procedures\/:code\/authority",status="4xx"\} 1/);
    expect(text).not.toContain('NO-SUCH');
    expect(sample(text, 'motcua_sla_sweep_duration_seconds_count')).toBe(1);
    expect(text).toMatch(/motcua_sla_sweep_flagged_total\{flag="overdue"\} 0/);
    expect(text).toMatch(/motcua_queue_jobs\{state="waiting"\} \d+/);
    expect(sample(text, 'motcua_outbox_unpublished')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('motcua_process_resident_memory_bytes');
  });

  it('opens the BullMQ dashboard to province administrators only, by bearer token or cookie', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/queues', headers: officer })).statusCode).toBe(403);
    const page = await ctx.app.inject({ method: 'GET', url: '/admin/queues', headers: admin });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const token = admin.authorization.slice('Bearer '.length);
    const api = await ctx.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie: `motcua_token=${token}` } });
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json().queues.map((q: { name: string }) => q.name)).toContain('motcua-events');
  });
});
