import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccount, issueToken } from '../../src/modules/auth/index.js';
import { startTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
const roles = [{ role: 'desk_officer' as const, scopeKind: 'unit' as const, scopeCode: '502' }];
const claims = { sub: 0, username: 'officer-502', roles };
beforeAll(async () => {
  ctx = await startTestApp();
  claims.sub = await createAccount(ctx.deps.db, { username: claims.username, fullName: 'Cán bộ một cửa', password: 'a-long-test-password', roles });
});
afterAll(async () => ctx?.close());
afterEach(() => vi.useRealTimers());

const list = (token: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/dossiers?desk=H502', headers: { authorization: `Bearer ${token}` } });

describe('access tokens, verified once per process', () => {
  it('still refuses a token once it has expired, though it was accepted (and kept) before', async () => {
    const issuedAt = new Date();
    const token = issueToken(claims, ctx.deps.config.JWT_SECRET, 60, issuedAt);
    expect((await list(token)).statusCode).toBe(200);
    expect((await list(token)).statusCode).toBe(200); // the kept verification
    // Only Date is faked: expiry is wall-clock time.
    vi.useFakeTimers({ toFake: ['Date'], now: issuedAt.getTime() + 61_000 });
    const late = await list(token);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token whose signature or claims were altered, even next to a good one kept', async () => {
    const token = issueToken(claims, ctx.deps.config.JWT_SECRET, 60, new Date());
    expect((await list(token)).statusCode).toBe(200);
    const [head, body, signature] = token.split('.') as [string, string, string];
    const otherSignature = `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await list(otherSignature)).statusCode).toBe(401);
    const promoted = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), roles: [{ role: 'province_admin', scopeKind: 'unit', scopeCode: '49' }] })).toString('base64url');
    expect((await list(`${head}.${promoted}.${signature}`)).statusCode).toBe(401);
    expect((await list(issueToken(claims, 'another-secret-of-at-least-32-characters', 60, new Date()))).statusCode).toBe(401);
  });
});
