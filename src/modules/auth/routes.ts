import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors } from '../../lib/http.js';
import { findAccountWithRoles } from './accounts.js';
import { requirePrincipal } from './authenticate.js';
import { verifyPassword } from './password.js';
import { issueToken, principalSchema } from './tokens.js';

// A hash of a random password, verified when the username is unknown so both failures take the same time.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0y0m2H3mJ8wQb2b1r3t1c8xJ8m1Yq5m6o7p8q9r0s1t';

export const authRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ accessToken: z.string(), expiresIn: z.number().int() }), ...authErrors },
      },
    },
    async (req) => {
      const found = await findAccountWithRoles(deps.db, req.body.username);
      const ok = await verifyPassword(found?.account.passwordHash ?? DUMMY_HASH, req.body.password);
      if (!found || !ok || found.account.disabledAt) {
        throw new DomainError('UNAUTHENTICATED', 'Unknown username or wrong password');
      }
      const accessToken = issueToken(
        { sub: found.account.id, username: found.account.username, roles: found.roles },
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
