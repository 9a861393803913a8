import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema/auth.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import type { Principal } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Reads the bearer token, if any, into `req.principal`; routes decide what they require. */
export function registerAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ')) return;
    req.principal = await deps.accessTokens.principalOf(auth.slice(7));
  });
}

/** The caller, or 401. */
export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
  return req.principal;
}

/** The caller holding `role` over one scope exactly (e.g. province_admin over unit 49), or 401/403. */
export function requireRoleOver(req: FastifyRequest, role: Role, scope: { kind: 'unit' | 'agency'; code: string }): Principal {
  const p = requirePrincipal(req);
  if (!p.roles.some((r) => r.role === role && r.scopeKind === scope.kind && r.scopeCode === scope.code)) {
    throw new DomainError('FORBIDDEN', `This action needs the role ${role} over ${scope.kind} ${scope.code}`);
  }
  return p;
}

/** The caller holding one of `allowed` (any scope), or 401/403. */
export function requireRole(req: FastifyRequest, allowed: readonly Role[]): Principal {
  const p = requirePrincipal(req);
  if (!p.roles.some((r) => allowed.includes(r.role))) {
    throw new DomainError('FORBIDDEN', `This action needs one of the roles: ${allowed.join(', ')}`);
  }
  return p;
}
