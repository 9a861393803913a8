import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../src/db/schema/index.js';
import { webhookNotifier } from '../../src/modules/notices/index.js';
import { sendNotice } from '../../src/modules/notices/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

/**
 * A worker killed mid-send sent again (805 deliveries for 800 messages after two SIGKILLs). The attempt is
 * recorded before the gateway is called; the attempt after one cut off is a resend with the same Idempotency-Key,
 * a gateway that kept the key says it already sent it, and resends are counted in /metrics.
 */
let ctx: TestContext;
let server: Server;
let url = '';
let dossierId = 0;
/** The gateway: holds the first request with a key unanswered when `hold` is set; answers a known key as a replay. */
const gateway = { hold: false, delivered: new Map<string, number>(), requests: [] as { key: string; resend: boolean }[] };

beforeAll(async () => {
  ctx = await startTestApp();
  const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  const p = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day'`);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'H502'), headers: officer });
  expect(res.statusCode, res.body).toBe(201);
  dossierId = Number((await ctx.deps.db.execute<{ id: string }>(sql`select id from dossiers where code = ${res.json().dossierCode}`)).rows[0]!.id);
  server = createServer((req, res) => {
    req.resume();
    const key = String(req.headers['idempotency-key']);
    gateway.requests.push({ key, resend: req.headers['x-motcua-resend'] === 'true' });
    const known = gateway.delivered.has(key);
    gateway.delivered.set(key, (gateway.delivered.get(key) ?? 0) + (known ? 0 : 1));
    if (gateway.hold && !known) return; // received (and sent on), the answer never comes back
    res.writeHead(200, known ? { 'idempotent-replayed': 'true' } : {}).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

async function notice(kind: 'receipt' | 'result_ready' | 'apology' | 'supplement_request') {
  const [n] = await ctx.deps.db
    .insert(notifications)
    .values({ dossierId, kind, channel: 'sms', recipient: '0905000001', body: 'Tin nhan', urgent: false, status: 'pending', notBefore: new Date(0) })
    .returning();
  return n!;
}
const resends = async () => {
  const m = (await ctx.deps.metrics.registry.getSingleMetric('motcua_notice_resends_total')?.get())?.values ?? [];
  return Object.fromEntries(m.map((v) => [v.labels.result, v.value]));
};
const row = async (id: number) => (await ctx.deps.db.select().from(notifications).where(eq(notifications.id, id)))[0]!;

describe('a message whose send was cut off', () => {
  it('is sent again as a resend, the gateway answers it had it, it is delivered once and counted', async () => {
    const n = await notice('result_ready');
    // First attempt: the gateway takes the message and its answer never arrives (the worker is killed, or times out).
    gateway.hold = true;
    await expect(sendNotice(ctx.deps, webhookNotifier(url, 300), n.id)).rejects.toThrow();
    gateway.hold = false;
    expect((await row(n.id)).sendingSince, 'the attempt is recorded before the gateway is called, and stays').not.toBeNull();
    expect((await row(n.id)).status).toBe('pending');

    const result = await sendNotice(ctx.deps, webhookNotifier(url), n.id);
    expect(result).toMatchObject({ sent: true, resend: true, alreadySent: true });
    expect(await row(n.id)).toMatchObject({ status: 'sent', sendingSince: null });
    const key = `notification-${n.id}`;
    expect(gateway.requests.filter((r) => r.key === key)).toEqual([
      { key, resend: false },
      { key, resend: true },
    ]);
    expect(gateway.delivered.get(key)).toBe(1);
    expect(await resends()).toMatchObject({ already_sent: 1 });
  });

  it('after a worker died mid-send (the mark left behind), the next attempt is a resend; a plain send is not', async () => {
    const plain = await notice('apology');
    expect(await sendNotice(ctx.deps, webhookNotifier(url), plain.id)).toMatchObject({ sent: true, resend: false, alreadySent: false });

    const cut = await notice('supplement_request');
    // What a SIGKILL between "attempt recorded" and "answer recorded" leaves: the mark, and a gateway that never got it.
    await ctx.deps.db.update(notifications).set({ sendingSince: new Date(Date.now() - 60_000) }).where(eq(notifications.id, cut.id));
    expect(await sendNotice(ctx.deps, webhookNotifier(url), cut.id)).toMatchObject({ sent: true, resend: true, alreadySent: false });
    expect(await resends()).toMatchObject({ already_sent: 1, sent: 1 });
    const text = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^motcua_notice_resends_total\{result="already_sent"\} 1$/m);
    expect(text).toMatch(/^motcua_notice_resends_total\{result="sent"\} 1$/m);
  });
});
