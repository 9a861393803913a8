import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps, type Deps } from '../../src/deps.js';
import { notifications } from '../../src/db/schema/index.js';
import { QUEUE } from '../../src/jobs/topics.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { createLogger } from '../../src/lib/logger.js';
import { fromRoot } from '../../src/lib/paths.js';
import { createAccount } from '../../src/modules/auth/index.js';
import { enqueueNotice, requeuePendingNotices } from '../../src/modules/notices/index.js';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';

/**
 * What happens when parts die: a worker process killed mid-job, and Redis stopped and started again
 * empty. Redis here is a server of this file's own (the `redis-server` binary), so that it can be killed.
 */
const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
let redisPort = 0;
let REDIS_URL = '';
const PREFIX = 'resilience';
let redis: ChildProcess | undefined;
let database: { url: string; drop: () => Promise<void> };
let deps: Deps;
let app: App;
let auth: { authorization: string };
let procedureCode = '';
let documents: { name: string; required: boolean; originals: number }[] = [];
const children: ChildProcess[] = [];

async function startRedis() {
  if (!redisPort) {
    redisPort = await freePort();
    REDIS_URL = `redis://127.0.0.1:${redisPort}`;
  }
  redis = spawn(REDIS_BIN, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redis.on('error', (err) => {
    throw new Error(`${REDIS_BIN} could not be started (${err.message}); set REDIS_SERVER_BIN`);
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.connect(redisPort, '127.0.0.1');
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the private Redis did not start');
}
async function killRedis() {
  const r = redis!;
  const exited = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGKILL');
  await exited;
}

const waitFor = async (what: string, check: () => Promise<boolean>, ms = 40_000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  await startRedis();
  database = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'silent', REDIS_KEY_PREFIX: PREFIX, JOB_LOCK_MS: '1000' });
  // A Monday morning: the receipt messages go at once (not held for working hours).
  const at = new Date('2024-06-03T09:00:00+07:00');
  deps = await buildDeps(config, { logger: createLogger('silent'), now: () => at });
  await deps.calendar.refresh();
  app = await buildApp(deps);
  await app.ready();
  await createAccount(deps.db, { username: 'desk', fullName: 'Cán bộ', password: 'a-long-test-password', roles: [{ role: 'desk_officer', scopeKind: 'unit', scopeCode: '502' }] });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'desk', password: 'a-long-test-password' } });
  auth = { authorization: `Bearer ${login.json().accessToken}` };
  const p = (await deps.db.execute<{ code: string; documents: typeof documents }>(sql`
    select code, documents from procedures where level = 'district' and time_unit = 'working_day' and not location_independent order by code limit 1`)).rows[0]!;
  procedureCode = p.code;
  documents = p.documents;
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await app?.close();
  if (deps) await closeDeps(deps);
  await database?.drop();
  redis?.kill('SIGKILL');
});

const intake = (phone: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: auth,
    payload: {
      channel: 'desk',
      procedureCode,
      deskCode: 'H502',
      applicant: { kind: 'person', name: 'Trần Thị Bình', citizenId: '049090001234', phone, address: 'Tam Kỳ' },
      documents: documents.filter((d) => d.required).map((d) => ({ name: d.name, original: d.originals > 0, digitised: true })),
      resultDelivery: { method: 'desk' },
    },
  });

function startWorkerProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fromRoot(),
    env: { ...process.env, DATABASE_URL: database.url, REDIS_URL, REDIS_KEY_PREFIX: PREFIX, ROLE: 'worker', LOG_LEVEL: 'warn', JOB_LOCK_MS: '1000', PORT: '0', ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

describe('resilience', () => {
  it('a worker killed in the middle of sending a message: another runs the job again, the message is sent once', async () => {
    const received = await intake('0905000001');
    expect(received.statusCode, received.body).toBe(201);
    const [dossier] = (await deps.db.execute<{ id: number }>(sql`select id from dossiers where code = ${received.json().dossierCode}`)).rows;
    const [notice] = await deps.db
      .insert(notifications)
      .values({ dossierId: Number(dossier!.id), kind: 'result_ready', channel: 'sms', recipient: '0905000001', body: 'Ket qua da co', urgent: false, status: 'pending', notBefore: new Date(Date.now() - 3_600_000) })
      .returning();

    // The gateway: the first request for this message is held open (the worker is killed while it waits), later
    // ones answered. (The dossier's receipt goes through it too, at once in working hours: the worker's clock is real.)
    const key = `notification-${notice!.id}`;
    const requests: string[] = [];
    let firstArrived!: () => void;
    const first = new Promise<void>((r) => (firstArrived = r));
    const gateway = http.createServer((req, res) => {
      req.resume();
      const k = String(req.headers['idempotency-key']);
      requests.push(k);
      if (k === key && requests.filter((r) => r === key).length === 1) return firstArrived();
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    try {
      const queue = new Queue(QUEUE, { connection: { url: REDIS_URL }, prefix: PREFIX });
      await enqueueNotice(deps, queue, { id: notice!.id, notBefore: new Date(0) });
      await queue.close();

      const a = startWorkerProcess({ NOTIFIER: 'webhook', NOTIFY_WEBHOOK_URL: url });
      await first;
      a.kill('SIGKILL');
      startWorkerProcess({ NOTIFIER: 'webhook', NOTIFY_WEBHOOK_URL: url });
      await waitFor('the message to be sent by the second worker', async () => {
        const [row] = await deps.db.select().from(notifications).where(sql`id = ${notice!.id}`);
        return row?.status === 'sent';
      });
      // The job ran twice, as one message: the same idempotency key both times, one row, sent.
      expect(requests.filter((k) => k === key).length).toBeGreaterThanOrEqual(2);
      const rows = await deps.db.select().from(notifications).where(sql`dossier_id = ${dossier!.id} and kind = 'result_ready'`);
      expect(rows).toHaveLength(1);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      gateway.closeAllConnections();
      await new Promise((r) => gateway.close(r));
    }
  });

  it('Redis stopped and started again empty: intake goes on, nothing is lost, the events go out when it is back', async () => {
    const workers = await startWorkers(deps);
    try {
      await killRedis();
      const codes: string[] = [];
      for (const phone of ['0905000011', '0905000012', '0905000013']) {
        const res = await intake(phone);
        expect(res.statusCode, res.body).toBe(201);
        codes.push(res.json().dossierCode);
      }
      const ids = (await deps.db.execute<{ id: string }>(sql`select id from dossiers where code in ${codes}`)).rows.map((r) => Number(r.id));
      const waiting = await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where published_at is null and (payload->>'dossierId')::bigint in ${ids}`);
      expect(waiting.rows[0]!.n).toBe(3);

      await startRedis();
      await waitFor('the outbox to drain and the receipts to be sent', async () => {
        const r = await deps.db.execute<{ unpublished: number; sent: number; counted: number }>(sql`
          select (select count(*)::int from outbox where published_at is null) as unpublished,
            (select count(*)::int from notifications where dossier_id in ${ids} and kind = 'receipt' and status = 'sent') as sent,
            (select count(*)::int from dossier_events where dossier_id in ${ids} and counted_at is null) as counted`);
        const x = r.rows[0]!;
        return x.unpublished === 0 && x.sent === 3 && x.counted === 0;
      });

      // A message whose job Redis lost with its data: the sweep's pass queues it again.
      const [lost] = await deps.db
        .insert(notifications)
        .values({ dossierId: ids[0]!, kind: 'result_ready', channel: 'sms', recipient: '0905000011', body: 'Ket qua da co', urgent: false, status: 'pending', notBefore: new Date('2024-06-03T07:00:00+07:00') })
        .returning();
      expect(await requeuePendingNotices(deps, workers.queue, 0)).toBeGreaterThanOrEqual(1);
      await waitFor('the lost message to be sent', async () => (await deps.db.select().from(notifications).where(sql`id = ${lost!.id}`))[0]?.status === 'sent');
    } finally {
      await workers.close();
    }
  });
});
