import type { RoleGrant } from './actor.js';

/**
 * The province-level units as the organisation stands on a day: the one in force (Quảng Nam, 49, until
 * 2025-06-30; thành phố Đà Nẵng, 48, from 2025-07-01 under Nghị quyết 202/2025/QH15), and those closed before it
 * with the codes of the units they had. Derived from the units table's rows (`provinceLevelOf`, over the units the
 * reference cache holds: `deps.provinceLevel`), never written as a code.
 */
export interface ProvinceLevel {
  day: string;
  /** The province-level unit in force on `day`. */
  inForce: string;
  /** Province-level units closed on or before `day`: the first day they no longer existed, and every unit they had. */
  closed: readonly ClosedProvince[];
}

export interface ClosedProvince {
  code: string;
  /** The first day it no longer existed (its `valid_to`, exclusive). */
  closedOn: string;
  /** Every unit it had (itself, its districts, its communes), by code: a code may be reused by a later unit. */
  unitCodes: readonly string[];
}

type Scope = Pick<RoleGrant, 'scopeKind' | 'scopeCode'>;

/**
 * Whether a role's scope is the whole province on the day: a role over the province-level unit in force. The one
 * place that decides it; auth, the dossier rules and every administrator's route ask it.
 */
export function isProvinceWide(scope: Scope, p: ProvinceLevel): boolean {
  return scope.scopeKind === 'unit' && scope.scopeCode === p.inForce;
}

/**
 * The closed province a role's scope names, if any: such a role keeps reading the dossiers its province received
 * while it existed (its history), and administers nothing (DOMAIN.md §11).
 */
export function closedProvinceOf(scope: Scope, p: ProvinceLevel): ClosedProvince | undefined {
  return scope.scopeKind === 'unit' ? p.closed.find((c) => c.code === scope.scopeCode) : undefined;
}

/** Whether a unit code is a province-level unit (in force on the day, or closed before it). */
export function isProvinceUnit(unitCode: string, p: ProvinceLevel): boolean {
  return unitCode === p.inForce || p.closed.some((c) => c.code === unitCode);
}

/** The roles of the actor that are province-wide on the day. */
export const provinceWideRoles = (roles: readonly RoleGrant[], p: ProvinceLevel) => roles.filter((r) => isProvinceWide(r, p));

/** A unit version as the units table holds it (valid_to exclusive). */
export interface UnitVersion {
  code: string;
  level: string;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
}

/**
 * The province-level units on a day, from the unit versions: the one in force, and those closed on or before it
 * with every unit they had (a unit opened before it closed whose parent chain reaches it). Exactly one is in force on
 * any day the organisation covers; none means the organisation was not loaded (a server error).
 */
export function provinceLevelOf(units: readonly UnitVersion[], day: string): ProvinceLevel {
  const provinces = units.filter((u) => u.level === 'province' && u.validFrom <= day);
  const inForce = provinces.find((p) => p.validTo === null || p.validTo > day);
  if (!inForce) throw new Error(`No province-level unit is in force on ${day}: the organisation is not loaded`);
  const closed = provinces
    .filter((p): p is UnitVersion & { validTo: string } => p.validTo !== null && p.validTo <= day)
    .map((p) => {
      const codes = new Set([p.code]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const u of units) {
          if (u.level !== 'province' && u.validFrom < p.validTo && u.parentCode !== null && codes.has(u.parentCode) && !codes.has(u.code)) {
            codes.add(u.code);
            grew = true;
          }
        }
      }
      return { code: p.code, closedOn: p.validTo, unitCodes: [...codes] };
    });
  return { day, inForce: inForce.code, closed };
}
