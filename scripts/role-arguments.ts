import { inArray } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { roles, type Role } from '../src/db/schema/auth.js';
import { agencies, units } from '../src/db/schema/org.js';

export type HeldRole = { role: Role; scopeKind: 'unit' | 'agency'; scopeCode: string };

/** `--role r --scope unit:502 [--role … --scope …]` as roles held, or the reason they are not (admin commands). */
export function rolesFromArguments(givenRoles: readonly string[], scopes: readonly string[]): HeldRole[] | string {
  if (givenRoles.length === 0 || givenRoles.length !== scopes.length) return 'give --role and --scope in pairs';
  const held: HeldRole[] = [];
  for (const [i, role] of givenRoles.entries()) {
    if (!roles.includes(role as Role)) return `unknown role ${role}; one of ${roles.join(', ')}`;
    const [kind, code] = (scopes[i] ?? '').split(':');
    if ((kind !== 'unit' && kind !== 'agency') || !code) return 'scope must be unit:<GSO code> or agency:<code>';
    held.push({ role: role as Role, scopeKind: kind, scopeCode: code });
  }
  return held;
}

/** The first scope that names no unit or agency (a typo would give a role over nothing), or null. */
export async function unknownScope(db: Db, held: readonly HeldRole[]): Promise<string | null> {
  const wanted = (kind: 'unit' | 'agency') => [...new Set(held.filter((r) => r.scopeKind === kind).map((r) => r.scopeCode))];
  const [u, a] = await Promise.all([
    wanted('unit').length ? db.select({ code: units.code }).from(units).where(inArray(units.code, wanted('unit'))) : [],
    wanted('agency').length ? db.select({ code: agencies.code }).from(agencies).where(inArray(agencies.code, wanted('agency'))) : [],
  ]);
  const known = new Set([...u.map((r) => `unit:${r.code}`), ...a.map((r) => `agency:${r.code}`)]);
  const missing = held.find((r) => !known.has(`${r.scopeKind}:${r.scopeCode}`));
  return missing ? `no ${missing.scopeKind} ${missing.scopeCode}` : null;
}
