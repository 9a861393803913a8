import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { roles } from '../../db/schema/auth.js';

/** What an access token says about its holder: the account and the roles it holds over units and agencies. */
export const principalSchema = z.object({
  sub: z.number().int(),
  username: z.string(),
  roles: z.array(z.object({ role: z.enum(roles), scopeKind: z.enum(['unit', 'agency']), scopeCode: z.string() })),
  /** The account's token version when issued (staff_accounts.token_version); a lower one than now is refused. */
  ver: z.number().int().nonnegative().optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type Principal = z.infer<typeof principalSchema>;

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

/** Signs a compact JWT (HS256). */
export function issueToken(claims: Omit<Principal, 'iat' | 'exp'>, secret: string, ttlSeconds: number, now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  const body = b64(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
  return `${header}.${body}.${sign(`${header}.${body}`, secret).toString('base64url')}`;
}

/** Verifies signature, algorithm and expiry; returns null for any token that is not good now. */
export function verifyToken(token: string, secret: string, now: Date): Principal | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== header) return null;
  const expected = sign(`${parts[0]}.${parts[1]}`, secret);
  const given = Buffer.from(parts[2] ?? '', 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = principalSchema.parse(JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')));
    return claims.exp > now.getTime() / 1000 ? claims : null;
  } catch {
    return null;
  }
}
