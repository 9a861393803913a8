import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { disableAccount, enableAccount, setAccountRoles } from '../../src/modules/auth/index.js';
import { AccountStatuses } from '../../src/modules/auth/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';

/** The admin commands run as child processes through tsx: their start-up alone can take seconds on a loaded 2-core machine. */
const ADMIN_COMMAND_TIMEOUT_MS = 120_000;

let ctx: TestContext;
beforeAll(async () => {
  // Read the disabled accounts on every request: the refusal is immediate here (the default waits up to 5 s).
  ctx = await startTestApp({ env: { ACCOUNT_STATUS_REFRESH_MS: '0' } });
});
afterAll(async () => ctx?.close());
afterEach(() => vi.useRealTimers());

const me = (authorization: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
const listAtDesk = (authorization: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/dossiers?desk=H502', headers: { authorization } });

describe("a disabled staff account", () => {
  it('has its unexpired tokens refused, cannot log in again, and leaves other accounts alone', async () => {
    const leaving = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    const staying = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    expect((await me(leaving.authorization)).statusCode).toBe(200);
    expect((await listAtDesk(leaving.authorization)).statusCode).toBe(200);

    expect(await disableAccount(ctx.deps.db, leaving.username, new Date())).toBe('disabled');

    const refused = await listAtDesk(leaving.authorization);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
    expect((await me(leaving.authorization)).statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: leaving.username, password: 'a-long-test-password' } });
    expect(login.statusCode).toBe(401);
    expect((await listAtDesk(staying.authorization)).statusCode).toBe(200);

    expect(await disableAccount(ctx.deps.db, leaving.username, new Date())).toBe('already_disabled');
    expect(await disableAccount(ctx.deps.db, 'nobody-of-that-name', new Date())).toBe('unknown');
  });

  it('loses the queue dashboard too (its cookie is the same token)', async () => {
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
    const cookie = `motcua_token=${encodeURIComponent(admin.authorization.slice(7))}`;
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode).toBe(200);
    await disableAccount(ctx.deps.db, admin.username, new Date());
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode).toBe(401);
  });

  it('is refused by a process only once that process reads the list again (ACCOUNT_STATUS_REFRESH_MS)', async () => {
    const officer = await loginAs(ctx, 'specialist', { kind: 'unit', code: '502' });
    const token = (await me(officer.authorization)).json();
    const claims = { sub: token.sub as number, username: officer.username, ver: 0, roles: token.roles };
    vi.useFakeTimers({ toFake: ['performance'] });
    const list = new AccountStatuses(ctx.deps.db, 60_000);
    expect(await list.refuses(claims)).toBe(false);
    await disableAccount(ctx.deps.db, officer.username, new Date());
    expect(await list.refuses(claims)).toBe(false); // read less than a minute ago
    vi.advanceTimersByTime(60_000);
    expect(await list.refuses(claims)).toBe(true);
  });

  it('enabled again, logs in anew; the tokens issued before it was disabled stay refused', async () => {
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    await disableAccount(ctx.deps.db, officer.username, new Date());
    expect(await enableAccount(ctx.deps.db, officer.username)).toBe('enabled');
    expect(await enableAccount(ctx.deps.db, officer.username)).toBe('not_disabled');
    expect((await me(officer.authorization)).statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: officer.username, password: 'a-long-test-password' } });
    expect(login.statusCode).toBe(200);
    expect((await me(`Bearer ${login.json().accessToken}`)).statusCode).toBe(200);
  });
});

describe("changing an account's roles", () => {
  it('refuses the tokens carrying the old roles; a new login carries the new ones', async () => {
    const moved = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    expect((await listAtDesk(moved.authorization)).statusCode).toBe(200);
    expect(await setAccountRoles(ctx.deps.db, moved.username, [{ role: 'desk_officer', scopeKind: 'unit', scopeCode: '503' }])).toBe('changed');
    expect((await listAtDesk(moved.authorization)).statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: moved.username, password: 'a-long-test-password' } });
    const fresh = `Bearer ${login.json().accessToken}`;
    expect((await me(fresh)).json().roles).toEqual([{ role: 'desk_officer', scopeKind: 'unit', scopeCode: '503' }]);
    expect(await setAccountRoles(ctx.deps.db, 'nobody-of-that-name', [])).toBe('unknown');
  });

  it('is disabled by the admin command, which names an unknown account with exit code 2', async () => {
    const officer = await loginAs(ctx, 'agency_head', { kind: 'unit', code: '502' });
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: ctx.deps.config.DATABASE_URL, LOG_LEVEL: 'silent' };
    const done = await run(process.execPath, ['--import', 'tsx', 'scripts/disable-account.ts', '--username', officer.username], { env });
    expect(done.stdout).toBe(`disabled account ${officer.username}\n`);
    expect((await me(officer.authorization)).statusCode).toBe(401);
    const unknown = await run(process.execPath, ['--import', 'tsx', 'scripts/disable-account.ts', '--username', 'nobody-of-that-name'], { env }).catch((err: { code: number; stderr: string }) => err);
    expect(unknown).toMatchObject({ code: 2, stderr: 'no account nobody-of-that-name\n' });

    const moved = await loginAs(ctx, 'specialist', { kind: 'unit', code: '502' });
    const roles = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/set-account-roles.ts', '--username', moved.username, ...args], { env });
    expect(await roles('--role', 'specialist', '--scope', 'department:502').catch((err: { code: number; stderr: string }) => err)).toMatchObject({
      code: 2,
      stderr: 'scope must be unit:<GSO code> or agency:<code>\n',
    });
    expect(await roles('--role', 'specialist', '--scope', 'unit:999999').catch((err: { code: number; stderr: string }) => err)).toMatchObject({
      code: 2,
      stderr: `no unit 999999: roles of ${moved.username} unchanged\n`,
    });
    expect((await roles('--role', 'specialist', '--scope', 'agency:502-TP')).stdout).toBe(`roles of ${moved.username} replaced; the account logs in again\n`);
    // Creating: a scope that names nothing, or a username taken, is said plainly (exit code 2), nothing written.
    const create = (username: string, scope: string) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/create-account.ts', '--username', username, '--name', 'Lê Văn E', '--role', 'specialist', '--scope', scope], {
        env: { ...env, MOTCUA_PASSWORD: 'a-long-test-password' },
      }).catch((err: { code: number; stderr: string }) => err);
    expect(await create('new-officer', 'agency:NOPE-XYZ')).toMatchObject({ code: 2, stderr: 'no agency NOPE-XYZ\n' });
    expect(await create(moved.username, 'agency:502-TP')).toMatchObject({ code: 2, stderr: `an account ${moved.username} exists already\n` });
    expect((await ctx.deps.pool.query(`select count(*) from staff_accounts where username = 'new-officer'`)).rows[0].count).toBe('0');
    expect((await me(moved.authorization)).statusCode).toBe(401);
  }, ADMIN_COMMAND_TIMEOUT_MS);
});

describe('a password change', () => {
  const change = (authorization: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { authorization }, payload });
  const login = (username: string, password: string) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const passwordHash = async (username: string) =>
    (await ctx.deps.pool.query('select password_hash, token_version from staff_accounts where username = $1', [username])).rows[0];

  it("by the officer: needs the current password, ends the sessions opened before, and gives a new token", async () => {
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    const other = await login(officer.username, 'a-long-test-password'); // a second session, on another computer
    const before = await passwordHash(officer.username);
    for (const [payload, field] of [
      [{ currentPassword: 'not-the-password', newPassword: 'a-new-long-password' }, 'body.currentPassword'],
      [{ currentPassword: 'a-long-test-password', newPassword: 'short' }, 'newPassword'],
      [{ currentPassword: 'a-long-test-password', newPassword: 'a-long-test-password' }, 'body.newPassword'],
      [{ currentPassword: 'a-long-test-password', newPassword: 'a-new-long-password', username: 'someone-else' }, 'username'],
    ] as const) {
      const refused = await change(officer.authorization, payload);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().error.message).toContain(field);
    }
    expect(await passwordHash(officer.username)).toEqual(before); // nothing changed
    expect((await change('Bearer not-a-token', { currentPassword: 'a-long-test-password', newPassword: 'a-new-long-password' })).statusCode).toBe(401);

    const changed = await change(officer.authorization, { currentPassword: 'a-long-test-password', newPassword: 'a-new-long-password' });
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh = `Bearer ${changed.json().accessToken}`;
    expect((await listAtDesk(fresh)).statusCode).toBe(200);
    expect((await me(officer.authorization)).statusCode).toBe(401);
    expect((await me(`Bearer ${other.json().accessToken}`)).statusCode).toBe(401);
    expect((await login(officer.username, 'a-long-test-password')).statusCode).toBe(401);
    expect((await login(officer.username, 'a-new-long-password')).statusCode).toBe(200);
  });

  it('ends the earlier sessions at once on the process that changed it, whatever ACCOUNT_STATUS_REFRESH_MS', async () => {
    const slow = await startTestApp({ env: { ACCOUNT_STATUS_REFRESH_MS: '60000' } });
    try {
      const officer = await loginAs(slow, 'desk_officer', { kind: 'unit', code: '502' });
      const meThere = (authorization: string) => slow.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
      expect((await meThere(officer.authorization)).statusCode).toBe(200); // the list of changed accounts is read now
      const changed = await slow.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { authorization: officer.authorization },
        payload: { currentPassword: 'a-long-test-password', newPassword: 'a-new-long-password' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await meThere(officer.authorization)).statusCode).toBe(401);
      expect((await meThere(`Bearer ${changed.json().accessToken}`)).statusCode).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('by the admin command (a forgotten password), from standard input, which refuses a short one', async () => {
    const officer = await loginAs(ctx, 'specialist', { kind: 'agency', code: '502-TP' });
    const env = { ...process.env, DATABASE_URL: ctx.deps.config.DATABASE_URL, LOG_LEVEL: 'silent' };
    const run = (password: string, username = officer.username) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, ['--import', 'tsx', 'scripts/set-password.ts', '--username', username], { env }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin!.end(`${password}\n`);
      });
    expect(await run('short')).toMatchObject({ code: 2, stderr: 'the password must have at least 12 characters\n' });
    expect(await run('a-reset-long-password', 'nobody-of-that-name')).toMatchObject({ code: 2, stderr: 'no account nobody-of-that-name\n' });
    expect((await me(officer.authorization)).statusCode).toBe(200);
    expect(await run('a-reset-long-password')).toMatchObject({ code: 0, stdout: `password of ${officer.username} set; its tokens issued before are refused\n` });
    expect((await me(officer.authorization)).statusCode).toBe(401);
    expect((await login(officer.username, 'a-reset-long-password')).statusCode).toBe(200);
  }, ADMIN_COMMAND_TIMEOUT_MS);
});
