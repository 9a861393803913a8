import { roles, type Role } from '../src/db/schema/auth.js';

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
