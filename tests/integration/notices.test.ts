import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { recordingNotifier, webhookNotifier, type Notifier } from '../../src/modules/notices/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2025-03-09T10:00:00'); // a Sunday
let ctx: TestContext;
let officer: { authorization: string; username: string };
let admin: { authorization: string };
let procedure: ProcedurePick;
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and cutoff_hour is null`);
});
afterAll(async () => ctx?.close());

async function receive(channel = 'desk', email?: string) {
  const body = intakeBody(procedure, 'H502', { channel });
  if (email) (body.applicant as Record<string, unknown>).email = email;
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: body, headers: officer });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().dossierCode as string;
}
const notices = async (code: string) =>
  (await ctx.app.inject({ method: 'GET', url: `/api/v1/notifications?dossier=${code}`, headers: admin })).json().items as {
    kind: string;
    channel: string;
    status: string;
    body: string;
    notBefore: string;
    attempts: number;
  }[];
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function withWorkers<T>(notifier: Notifier, run: (w: Workers) => Promise<T>) {
  const w = await startWorkers(ctx.deps, notifier);
  try {
    return await run(w);
  } finally {
    await w.close();
    await w.queue.obliterate({ force: true }).catch(() => undefined);
  }
}

describe('notifications to applicants', () => {
  it('holds a non-urgent message received on a Sunday until Monday 07:00', async () => {
    clock.setLocal('2025-03-09T10:00:00');
    const code = await receive('online', 'an@example.vn');
    await withWorkers(recordingNotifier, async () => {
      const rows = await until(() => notices(code), (r) => r.length === 2);
      expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
      for (const r of rows) {
        expect(r).toMatchObject({ kind: 'receipt', status: 'pending' });
        expect(new Date(r.notBefore).toISOString()).toBe(new Date('2025-03-10T07:00:00+07:00').toISOString());
      }
      const sms = rows.find((r) => r.channel === 'sms')!;
      expect(sms.body).toMatch(/^Ho so .* da duoc tiep nhan/);
      expect(rows.find((r) => r.channel === 'email')!.body).toMatch(/đã được tiếp nhận/);
    });
  });

  it('sends during working hours, once, through the recording adapter', async () => {
    clock.setLocal('2025-03-10T09:00:00');
    const code = await receive();
    await withWorkers(recordingNotifier, async () => {
      const rows = await until(() => notices(code), (r) => r.length === 1 && r[0]!.status === 'sent');
      expect(rows).toMatchObject([{ kind: 'receipt', channel: 'sms', status: 'sent', attempts: 1 }]);
    });
  });

  it('retries a failing gateway with backoff and delivers once when it recovers', async () => {
    clock.setLocal('2025-03-10T10:00:00');
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(String(req.headers['idempotency-key']));
      res.statusCode = seen.length <= 2 ? 503 : 200;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    try {
      const code = await receive();
      await withWorkers(webhookNotifier(url), async () => {
        const rows = await until(() => notices(code), (r) => r[0]?.status === 'sent', 20_000);
        expect(rows[0]).toMatchObject({ status: 'sent', attempts: 3 });
      });
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(1);
    } finally {
      server.close();
    }
  }, 30_000);

  it('dead-letters a message after its last attempt', async () => {
    clock.setLocal('2025-03-10T11:00:00');
    (ctx.deps.config as { NOTIFY_ATTEMPTS: number }).NOTIFY_ATTEMPTS = 2;
    const code = await receive();
    const failing: Notifier = { send: async () => Promise.reject(new Error('gateway down')) };
    await withWorkers(failing, async () => {
      const rows = await until(() => notices(code), (r) => r[0]?.status === 'dead', 20_000);
      expect(rows[0]).toMatchObject({ status: 'dead', attempts: 2 });
    });
    const dead = (await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications?status=dead', headers: admin })).json().items;
    expect(dead.length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
