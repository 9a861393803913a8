import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema/auth.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import type { StaffActor } from '../../domain/actor.js';
import { isProvinceWide, type ProvinceLevel } from '../../domain/province-level.js';
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

/** The staff member a verified token names, as the actor of what the request does. */
export const staffActorOf = (p: Principal): StaffActor => ({ kind: 'staff', accountId: p.sub, username: p.username, roles: p.roles });

/** The caller, or 401. */
export function requirePrincipal(req: FastifyRequest): StaffActor {
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
  return staffActorOf(req.principal);
}

/**
 * The caller holding `role` province-wide on the day (over the province-level unit in force: Quảng Nam 49 until
 * 2025-06-30, the city 48 from 2025-07-01), or 401/403. A role over a closed province administers nothing.
 */
export function requireProvinceRole(req: FastifyRequest, role: Role | readonly Role[], province: ProvinceLevel): StaffActor {
  const p = requirePrincipal(req);
  const allowed: readonly string[] = typeof role === 'string' ? [role] : role;
  if (!p.roles.some((r) => allowed.includes(r.role) && isProvinceWide(r, province))) {
    throw new DomainError('FORBIDDEN', `This action needs the role ${allowed.join(' or ')} over the province-level unit ${province.inForce} (in force on ${province.day})`);
  }
  return p;
}

/** The caller holding one of `allowed` (any scope), or 401/403. */
export function requireRole(req: FastifyRequest, allowed: readonly Role[]): StaffActor {
  const p = requirePrincipal(req);
  if (!p.roles.some((r) => (allowed as readonly string[]).includes(r.role))) {
    throw new DomainError('FORBIDDEN', `This action needs one of the roles: ${allowed.join(', ')}`);
  }
  return p;
}
