import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { dossiers } from '../../../db/schema/index.js';
import type { Principal } from '../../auth/index.js';
import { unitOfDesk } from '../../../domain/dossier/desk-code.js';

/**
 * Which dossiers a caller may see (DOMAIN.md §11; the brief: "another unit's dossier is a 404"): those received
 * at or handed to a desk of a unit it holds a role over, or decided or held by an agency it holds a role over. A province
 * administrator or auditor over the province unit sees the whole province.
 */
export function provinceWide(p: Principal, provinceCode: string): boolean {
  return p.roles.some((r) => (r.role === 'province_admin' || r.role === 'auditor') && r.scopeKind === 'unit' && r.scopeCode === provinceCode);
}

export function scopeCondition(p: Principal, provinceCode: string): SQL {
  if (provinceWide(p, provinceCode)) return sql`true`;
  const unitCodes = p.roles.filter((r) => r.scopeKind === 'unit').map((r) => r.scopeCode);
  const agencyCodes = p.roles.filter((r) => r.scopeKind === 'agency').map((r) => r.scopeCode);
  const parts: SQL[] = [];
  // A unit's dossiers: received at its desks, or handed to one of them (T/H/X + its code).
  if (unitCodes.length) parts.push(inArray(dossiers.unitCode, unitCodes), inArray(dossiers.holderAgencyCode, unitCodes.flatMap((u) => [`T${u}`, `H${u}`, `X${u}`])));
  if (agencyCodes.length) parts.push(inArray(dossiers.authorityAgencyCode, agencyCodes), inArray(dossiers.holderAgencyCode, agencyCodes));
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

export function canSee(p: Principal, d: { unitCode: string; authorityAgencyCode: string; holderAgencyCode: string }, provinceCode: string) {
  if (provinceWide(p, provinceCode)) return true;
  return p.roles.some((r) =>
    r.scopeKind === 'unit'
      ? r.scopeCode === d.unitCode || r.scopeCode === unitOfDesk(d.holderAgencyCode)
      : r.scopeCode === d.authorityAgencyCode || r.scopeCode === d.holderAgencyCode,
  );
}

/** Whether the caller holds a role that acts on dossiers (auditors only read) over the dossier's scope. */
export function canAct(p: Principal, d: { unitCode: string; authorityAgencyCode: string; holderAgencyCode: string }, provinceCode: string) {
  const acting = { ...p, roles: p.roles.filter((r) => r.role !== 'auditor') };
  return canSee(acting, d, provinceCode);
}

export const byCode = (code: string) => eq(dossiers.code, code);
