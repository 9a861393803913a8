import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2024-06-03T08:00:00'); // Monday, a working day
const DESK = 'X20335';
let ctx: TestContext;
let procedure: ProcedurePick;
let desk: Record<string, string>;
let admin: Record<string, string>;
const logLines: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, logger: createLogger('warn', { write: (line: string) => void logLines.push(line) }) });
  procedure = await pickProcedure(ctx, sql`level = 'commune' and time_unit = 'working_day' and cutoff_hour is null and jsonb_array_length(documents) >= 1`);
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20335' });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ctx?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload: object, headers: Record<string, string>) => ctx.app.inject({ method, url, payload, headers });
const count = async (table: string) => Number((await ctx.deps.pool.query(`select count(*) from ${table}`)).rows[0].count);
/** A 400 whose message names the field. */
function refused(res: { statusCode: number; body: string; json: () => { error: { code: string; message: string } } }, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error.code).toBe('VALIDATION_FAILED');
  expect(res.json().error.message).toContain(field);
}

describe('a NUL character in any text', () => {
  it('is a 400 naming the field, in a search, a note, an applicant\'s name, and writes nothing', async () => {
    refused(await get('/api/v1/procedures?q=khai%00sinh'), 'querystring.q');
    refused(await get('/api/v1/agencies?q=t%C6%B0%00ph%C3%A1p'), 'querystring.q');
    refused(await get('/api/v1/notifications?dossier=X%00', admin), 'querystring.dossier');
    refused(await get('/api/v1/dossiers/X20335-240603-%000001', desk), 'params.code');

    const before = { dossiers: await count('dossiers'), events: await count('dossier_events'), outbox: await count('outbox') };
    const body = intakeBody(procedure, DESK);
    refused(await send('POST', '/api/v1/dossiers', { ...body, applicant: { ...body.applicant, name: 'Nguyễn\u0000Văn An' } }, desk), 'body.applicant.name');
    refused(await send('POST', '/api/v1/dossiers', { ...body, note: 'ghi chú\u0000' }, desk), 'body.note');
    refused(await send('POST', '/api/v1/dossiers', { ...body, documents: [{ name: 'Tờ khai\u0000', original: true }] }, desk), 'body.documents.0.name');
    expect({ dossiers: await count('dossiers'), events: await count('dossier_events'), outbox: await count('outbox') }).toEqual(before);

    const received = await send('POST', '/api/v1/dossiers', body, desk);
    expect(received.statusCode, received.body).toBe(201);
    const code = received.json().dossierCode as string;
    const events = await count('dossier_events');
    refused(await send('POST', `/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', note: 'chuyển\u0000' }, desk), 'body.note');
    refused(await send('POST', `/api/v1/dossiers/${code}/withdrawal`, { reason: 'rút\u0000 hồ sơ' }, desk), 'body.reason');
    expect(await count('dossier_events')).toBe(events);
    expect((await get(`/api/v1/dossiers/${code}`, desk)).json().status).toBe('received');
  });
});

describe('a query parameter the operation does not take', () => {
  it('is a 400 naming it on a write too, not ignored', async () => {
    const body = intakeBody(procedure, DESK);
    const before = await count('dossiers');
    const res = await send('POST', '/api/v1/dossiers?priority=urgent', body, desk);
    refused(res, 'priority');
    expect(await count('dossiers')).toBe(before);
  });
});

describe('dates and numbers outside what the calendar and the database hold', () => {
  it('are a 400 naming the field, in report and list ranges and in calendar arithmetic', async () => {
    refused(await get('/api/v1/reports/dossiers?from=0001-01-01&to=9999-12-31&groupBy=year'), 'querystring.from');
    refused(await get('/api/v1/reports/dossiers?from=2024-01-01&to=9999-12-31&groupBy=unit'), 'querystring.to');
    refused(await get('/api/v1/reports/lateness?from=0001-01-01&to=2024-12-31', admin), 'querystring.from');
    refused(await get('/api/v1/reports/delegations/dossiers?from=2024-01-01&to=9999-12-31'), 'querystring.to');
    refused(await get('/api/v1/dossiers?receivedFrom=0001-01-01', desk), 'querystring.receivedFrom');
    refused(await get('/api/v1/dossiers?receivedTo=9999-12-31', desk), 'querystring.receivedTo');
    refused(await get('/api/v1/dossiers?dueBefore=0001-01-01T00:00:00Z', desk), 'querystring.dueBefore');
    refused(await get('/api/v1/quality-index?unit=502&period=9999'), 'querystring.period');
    refused(await get('/api/v1/units?asOf=0001-01-01'), 'querystring.asOf');
    refused(await get('/api/v1/calendar/due-date?start=2025-01-24T16:00:00%2B07:00&amount=1e9&unit=working_day'), 'querystring.amount');
    refused(await get('/api/v1/calendar/due-date?start=9999-01-24T16:00:00%2B07:00&amount=3&unit=working_day'), 'querystring.start');
    refused(await get('/api/v1/calendar/days?year=9999'), 'querystring.year');
    // The edges of the supported range are accepted.
    expect((await get('/api/v1/reports/dossiers?from=2000-01-01&to=2060-12-31&groupBy=year')).statusCode).toBe(200);
  });
});

describe('a calendar day outside the supported years', () => {
  const day = { kind: 'holiday', name: 'Ngày lễ', status: 'official', reason: 'Gõ nhầm năm' };

  it('is refused by the API (400), and nothing is written', async () => {
    const before = { days: await count('calendar_days'), changes: await count('calendar_changes') };
    refused(await send('PUT', '/api/v1/calendar/days/0050-06-15', day, admin), 'params.date');
    refused(await send('PUT', '/api/v1/calendar/days/2999-06-15', day, admin), 'params.date');
    expect({ days: await count('calendar_days'), changes: await count('calendar_changes') }).toEqual(before);
  });

  it('already in the database, is logged and ignored: the calendar compiles, a process starts, and DELETE removes it', async () => {
    await ctx.deps.pool.query(`insert into calendar_days (date, kind, name, source, status, updated_by) values ('0050-06-15', 'holiday', 'Gõ nhầm', null, 'official', 'sql')`);
    await ctx.deps.pool.query('update calendar_revision set revision = revision + 1');
    logLines.length = 0;
    await ctx.deps.calendar.refresh();
    expect(logLines.join('')).toMatch(/0050-06-15.*calendar days outside 2000-01-01 \.\. 2060-12-31 ignored/);
    const due = await get('/api/v1/calendar/due-date?start=2024-06-03T08:00:00%2B07:00&amount=1&unit=working_day');
    expect(due.statusCode, due.body).toBe(200);

    // The real entry point on this database: it starts and serves.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fromRoot(),
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: ctx.deps.config.DATABASE_URL, REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: ctx.deps.config.REDIS_KEY_PREFIX, PORT: '0', ROLE: 'api', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const until = Date.now() + 90_000;
    while (!output.includes('"msg":"motcua started"') && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('"msg":"motcua started"');
    expect(output).toMatch(/0050-06-15/);
    const address = /"address":"([^"]+)"/.exec(output)![1]!.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${address}/api/v1/calendar/due-date?start=2024-06-03T08:00:00%2B07:00&amount=1&unit=working_day`)).status).toBe(200);
    child.kill('SIGTERM');

    const removed = await send('DELETE', '/api/v1/calendar/days/0050-06-15', { reason: 'Xoá ngày gõ nhầm năm' }, admin);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ date: '0050-06-15', provisional: true, name: null });
    expect((await ctx.deps.pool.query(`select count(*) from calendar_days where date = '0050-06-15'`)).rows[0].count).toBe('0');
    logLines.length = 0;
    await ctx.deps.calendar.refresh();
    expect(logLines.join('')).not.toMatch(/0050-06-15/);
  }, 120_000);
});
