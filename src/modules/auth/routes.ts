import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDateOf } from '../../lib/local-date.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors, errorSchema } from '../../lib/http.js';
import { findAccountWithRoles, setPassword } from './accounts.js';
import { requirePrincipal } from './authenticate.js';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from './password.js';
import { randomBytes } from 'node:crypto';
import { rateLimit } from '../../lib/rate-limit.js';
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
        summary: "Log in: a staff account's access token",
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ accessToken: z.string(), expiresIn: z.number().int() }), ...authErrors, 429: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      // Password guessing: 10 attempts a minute per address and name.
      await rateLimit(deps.redis, `login:${req.ip}:${req.body.username}`, 10, 60, Date.now());
      const found = await findAccountWithRoles(deps.db, req.body.username, localDateOf(deps.now()));
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
  app.post(
    '/auth/password',
    {
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'Change your own password',
        description:
          'Needs the current password. Every token issued before, this one included, is refused from now on (at once by this process, within ACCOUNT_STATUS_REFRESH_MS by the others); the answer carries a new one.',
        body: z.object({
          currentPassword: z.string().min(1).max(256),
          newPassword: z.string().min(PASSWORD_MIN_LENGTH, `must have at least ${PASSWORD_MIN_LENGTH} characters`).max(256),
        }),
        response: { 200: z.object({ accessToken: z.string(), expiresIn: z.number().int() }), ...authErrors, 429: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      const who = requirePrincipal(req);
      // Guessing the current password with a stolen token: as limited as guessing at login.
      await rateLimit(deps.redis, `password:${who.username}`, 10, 60, Date.now());
      const found = await findAccountWithRoles(deps.db, who.username, localDateOf(deps.now()));
      if (!found || found.account.disabledAt) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
      if (!(await verifyPassword(found.account.passwordHash, req.body.currentPassword))) {
        throw new DomainError('VALIDATION_FAILED', 'body.currentPassword: not your current password');
      }
      if (req.body.newPassword === req.body.currentPassword) {
        throw new DomainError('VALIDATION_FAILED', 'body.newPassword: the same as the current password');
      }
      const changed = await setPassword(deps.db, who.username, req.body.newPassword);
      if (changed === 'unknown') throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
      deps.accessTokens.accountChanged();
      const accessToken = issueToken(
        { sub: found.account.id, username: found.account.username, roles: found.roles, ver: changed.tokenVersion },
        deps.config.JWT_SECRET,
        deps.config.JWT_TTL_SECONDS,
        new Date(),
      );
      return { accessToken, expiresIn: deps.config.JWT_TTL_SECONDS };
    },
  );
  app.get(
    '/auth/me',
    { schema: { tags, summary: "Who you are: the token's account and roles", security: [{ bearer: [] }], response: { 200: principalSchema, ...authErrors } } },
    async (req) => {
      requirePrincipal(req);
      return req.principal!;
    },
  );
};
