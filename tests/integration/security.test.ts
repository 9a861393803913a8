import { spawn } from 'node:child_process';
import { DrizzleQueryError, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRETS } from '../../src/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { fromRoot } from '../../src/lib/paths.js';
import { issueToken, setAccountRoles } from '../../src/modules/auth/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2024-06-03T08:00:00'); // Monday, a working day
const DESK = 'X20335';
let ctx: TestContext;
let procedure: ProcedurePick;
let desk: { authorization: string; username: string };
/** Every line the app logged, as written (JSON). */
const logLines: string[] = [];

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, logger: createLogger('info', { write: (line: string) => void logLines.push(line) }) });
  procedure = await pickProcedure(ctx, sql`level = 'commune' and time_unit = 'working_day' and cutoff_hour is null and jsonb_array_length(documents) >= 1`);
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20335' });
});
afterAll(async () => ctx?.close());

async function receive(phone: string) {
  const body = intakeBody(procedure, DESK);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: { ...body, applicant: { ...body.applicant, phone } } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().dossierCode as string;
}
// Each test looks up from an address of its own: the per-address limit (30 a minute) is not what is tested here.
let client = '10.0.0.1';
const lookup = (code: string, last4: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=${last4}`, remoteAddress: client });

describe('the public lookup', () => {
  it('evaluates at most 5 wrong phone endings per code, however many guesses arrive at once', async () => {
    client = '10.0.0.1';
    const code = await receive('0905557391');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => lookup(code, String(1000 + i))));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 404)).toHaveLength(5); // evaluated: wrong
    expect(statuses.filter((s) => s === 429)).toHaveLength(15); // refused before being evaluated
    // The right ending is refused too while the code is locked; another code is not affected.
    expect((await lookup(code, '7391')).statusCode).toBe(429);
    const other = await receive('0905557392');
    expect((await lookup(other, '7392')).statusCode).toBe(200);
  });

  it('lets a citizen look a dossier up again and again: a right answer does not count as a failure', async () => {
    client = '10.0.0.2';
    const code = await receive('0905557393');
    for (let i = 0; i < 8; i++) expect((await lookup(code, '7393')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await lookup(code, '0000')).statusCode).toBe(404);
    for (let i = 0; i < 8; i++) expect((await lookup(code, '7393')).statusCode).toBe(200);
    expect((await lookup(code, '0000')).statusCode).toBe(404); // the fifth failure
    expect((await lookup(code, '7393')).statusCode).toBe(429);
  });

  it('never writes the phone digits to the log: request lines and errors carry the URL scrubbed', async () => {
    client = '10.0.0.3';
    const code = await receive('0905558642');
    logLines.length = 0;
    expect((await lookup(code, '8642')).statusCode).toBe(200);
    expect((await lookup(code, '8643')).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=8642&x=1`, remoteAddress: client })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/public/nowhere?phone=8642`, remoteAddress: client })).statusCode).toBe(404);
    // An error whose text quotes the URL (any unhandled error is logged with its message and stack).
    ctx.app.log.error({ err: new Error(`failed on /api/v1/public/dossiers/${code}?phone=8642`) }, 'unhandled error');
    const text = logLines.join('');
    expect(logLines.filter((l) => l.includes('"incoming request"'))).toHaveLength(4);
    expect(text).toContain(`/api/v1/public/dossiers/${code}?phone=[redacted]`);
    expect(text).toContain('?phone=[redacted]&x=1');
    expect(text).not.toMatch(/864[23]/);
  });

  it("never writes a failed query's values (an applicant's data) to the log, only its SQL", async () => {
    logLines.length = 0;
    const failed = new DrizzleQueryError('insert into dossiers (applicant, phone_last4) values ($1, $2)', [{ name: 'Nguyễn Văn Riêng', phone: '0905551234' }, '1234'], new Error('Connection terminated'));
    ctx.app.log.error({ err: failed }, 'unhandled error');
    const text = logLines.join('');
    expect(text).toContain('insert into dossiers');
    expect(text).toContain('Connection terminated');
    expect(text).not.toMatch(/Riêng|0905551234|1234/);
  });
});

describe('access tokens', () => {
  const list = (authorization: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/dossiers?limit=1', headers: { authorization } });
  const sign = (claims: Parameters<typeof issueToken>[0]) => `Bearer ${issueToken(claims, ctx.deps.config.JWT_SECRET, 600, new Date())}`;
  const admin49 = [{ role: 'province_admin' as const, scopeKind: 'unit' as const, scopeCode: '49' }];

  it('are refused when they name an account that does not exist, though signed with the secret', async () => {
    const res = await list(sign({ sub: 999_999, username: 'nobody', roles: admin49 }));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    // An existing account's id under another username is not that account either.
    const me = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: desk })).json();
    expect((await list(sign({ sub: me.sub, username: 'someone-else', roles: me.roles, ver: me.ver }))).statusCode).toBe(401);
    expect((await list(sign({ sub: me.sub, username: desk.username, roles: me.roles, ver: me.ver }))).statusCode).toBe(200);
  });

  it('are refused when they claim roles the account does not hold, or a token version it never had', async () => {
    const officer = await loginAs(ctx, 'specialist', { kind: 'unit', code: '20335' });
    const me = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: officer })).json();
    expect((await list(sign({ sub: me.sub, username: officer.username, roles: admin49, ver: me.ver }))).statusCode).toBe(401);
    expect((await list(sign({ sub: me.sub, username: officer.username, roles: me.roles, ver: (me.ver ?? 0) + 1 }))).statusCode).toBe(401);
    expect((await list(officer.authorization)).statusCode).toBe(200);
    // Its roles changed: the token version rises, the old token is refused and a new login works at once.
    await setAccountRoles(ctx.deps.db, officer.username, [{ role: 'desk_officer', scopeKind: 'unit', scopeCode: '20335' }]);
    ctx.deps.accessTokens.accountChanged();
    expect((await list(officer.authorization)).statusCode).toBe(401);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: officer.username, password: 'a-long-test-password' } });
    expect((await list(`Bearer ${again.json().accessToken}`)).statusCode).toBe(200);
  });
});

describe('the start of a process', () => {
  /** src/main.ts with this environment (no database needed: the secrets are checked first). */
  function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const rest = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NODE_ENV', 'JWT_SECRET', 'PERSONAL_DATA_KEY'].includes(k)));
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: fromRoot(),
        env: { ...rest, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (code) => resolve({ code, output }));
    });
  }
  const strong = 'x7Rk2vQ9pL4mN8sT1wY6zB3cD5fG0hJ-aE';

  it('stops outside a development mode when a secret is the development default, naming the variable', async () => {
    const bare = await start({});
    expect(bare.code).toBe(78);
    expect(bare.output).toMatch(/JWT_SECRET: is the development default/);
    expect(bare.output).toMatch(/PERSONAL_DATA_KEY: is the development default/);
    const production = await start({ NODE_ENV: 'production', JWT_SECRET: strong, PERSONAL_DATA_KEY: DEVELOPMENT_SECRETS.PERSONAL_DATA_KEY });
    expect(production.code).toBe(78);
    expect(production.output).not.toMatch(/JWT_SECRET/);
    expect(production.output).toMatch(/PERSONAL_DATA_KEY: is the development default/);
    // A short secret is refused in every mode by the configuration's schema (tests/unit/config.test.ts).
  }, 120_000);
});
