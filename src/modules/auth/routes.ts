import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors, errorSchema } from '../../lib/http.js';
import { findAccountWithRoles } from './accounts.js';
import { requirePrincipal } from './authenticate.js';
import { hashPassword, verifyPassword } from './password.js';
import { randomBytes } from 'node:crypto';
import { rateLimit } from '../public/rate-limit.js';
import { issueToken, principalSchema } from './tokens.js';

// A real hash of a random password, verified when the username is unknown, so an unknown name and a wrong
// password take the same time (a name's existence does not leak through timing).
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export const authRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ accessToken: z.string(), expiresIn: z.number().int() }), ...authErrors, 429: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      // Password guessing: 10 attempts a minute per address and name.
      await rateLimit(deps.redis, `login:${req.ip}:${req.body.username}`, 10, 60, Date.now());
      const found = await findAccountWithRoles(deps.db, req.body.username);
      const ok = await verifyPassword(found?.account.passwordHash ?? (await dummy()), req.body.password);
      if (!found || !ok || found.account.disabledAt) {
        throw new DomainError('UNAUTHENTICATED', 'Unknown username or wrong password');
      }
      const accessToken = issueToken(
        { sub: found.account.id, username: found.account.username, roles: found.roles, ver: found.account.tokenVersion },
        deps.config.JWT_SECRET,
        deps.config.JWT_TTL_SECONDS,
        new Date(),
      );
      return { accessToken, expiresIn: deps.config.JWT_TTL_SECONDS };
    },
  );
  app.get(
    '/auth/me',
    { schema: { tags, security: [{ bearer: [] }], response: { 200: principalSchema, ...authErrors } } },
    async (req) => requirePrincipal(req),
  );
};
