import { and, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { dossiers } from '../../../db/schema/index.js';
import { rolesOf, type Actor } from '../../../domain/actor.js';
import { localDateOf } from '../../../lib/local-date.js';
import { deskCodesOfUnit, unitOfDesk } from '../../../domain/dossier/desk-code.js';
import { closedProvinceOf, isProvinceWide, type ClosedProvince, type ProvinceLevel } from '../../../domain/province-level.js';

/**
 * Which dossiers an actor may see (DOMAIN.md §11: another unit's dossier is a 404), written once in TypeScript
 * (`canSee`, for one dossier) and once in SQL (`scopeCondition`, for lists); tests/integration/access-rules.test.ts
 * checks on generated actors and dossiers that the two agree. Staff see the dossiers received at, handed to, or to
 * be returned at (the applicant's chosen desk: Nghị định 118/2025) a desk of a unit they hold a role over, or
 * decided or held by an agency they hold a role over; a province
 * administrator or auditor over the province-level unit in force on the day (`isProvinceWide`: 49 until
 * 2025-06-30, the city 48 from 2025-07-01) sees the whole province, its predecessors' history included (the city
 * succeeded Quảng Nam: Nghị quyết 202/2025/QH15). A role over a province closed before the day (49 after
 * 2025-06-30) still reads the dossiers received at that province's units while it existed, and no later one (a
 * code may have been reused by a city unit). The system sees every dossier; a
 * postal partner only the one whose result it delivered (its own submissions are read through the postal module);
 * a citizen none (the public lookup checks the phone instead), but the one whose electronic result they are
 * downloading through the lookup's signed link.
 */
export function provinceWide(actor: Actor, province: ProvinceLevel): boolean {
  if (actor.kind === 'system') return true;
  return rolesOf(actor).some((r) => (r.role === 'province_admin' || r.role === 'auditor') && isProvinceWide(r, province));
}

/** The closed provinces whose history the actor reads (a province administrator or auditor over one). */
function historiesRead(actor: Actor, province: ProvinceLevel): ClosedProvince[] {
  return rolesOf(actor).flatMap((r) => {
    const closed = r.role === 'province_admin' || r.role === 'auditor' ? closedProvinceOf(r, province) : undefined;
    return closed ? [closed] : [];
  });
}

/** Whether the actor reads, as a closed province's history, what a unit of it received on a day. */
export function readsHistoryOf(actor: Actor, unitCode: string, day: string, province: ProvinceLevel): boolean {
  return historiesRead(actor, province).some((c) => c.unitCodes.includes(unitCode) && day < c.closedOn);
}

export function scopeCondition(actor: Actor, province: ProvinceLevel): SQL {
  if (provinceWide(actor, province)) return sql`true`;
  if (actor.kind === 'partner') return actor.deliveredDossier ? eq(dossiers.code, actor.deliveredDossier) : sql`false`;
  if (actor.kind === 'citizen') return actor.receivesResultOf ? eq(dossiers.code, actor.receivesResultOf) : sql`false`;
  const roles = rolesOf(actor);
  const unitCodes = roles.filter((r) => r.scopeKind === 'unit').map((r) => r.scopeCode);
  const agencyCodes = roles.filter((r) => r.scopeKind === 'agency').map((r) => r.scopeCode);
  const parts: SQL[] = [];
  if (unitCodes.length) {
    const theirDesks = unitCodes.flatMap(deskCodesOfUnit);
    parts.push(inArray(dossiers.unitCode, unitCodes), inArray(dossiers.holderAgencyCode, theirDesks), inArray(returnDeskSql, theirDesks));
  }
  if (agencyCodes.length) parts.push(inArray(dossiers.authorityAgencyCode, agencyCodes), inArray(dossiers.holderAgencyCode, agencyCodes));
  for (const closed of historiesRead(actor, province)) {
    parts.push(and(inArray(dossiers.unitCode, [...closed.unitCodes]), lt(dossiers.receivedAt, sql`${closed.closedOn}::date::timestamp at time zone 'Asia/Ho_Chi_Minh'`)) as SQL);
  }
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

/** The desk the applicant chose to collect the result at, when it is not the receiving one. */
const returnDeskSql = sql<string>`${dossiers.resultDelivery}->>'deskCode'`;

type Placed = {
  code: string;
  unitCode: string;
  authorityAgencyCode: string;
  holderAgencyCode: string;
  resultDelivery?: { deskCode?: string };
  /** When it was received (a closed province's history is what it received while it existed). */
  receivedAt: Date;
};

export function canSee(actor: Actor, d: Placed, province: ProvinceLevel): boolean {
  if (provinceWide(actor, province)) return true;
  if (actor.kind === 'partner') return actor.deliveredDossier === d.code;
  if (actor.kind === 'citizen') return actor.receivesResultOf === d.code;
  if (readsHistoryOf(actor, d.unitCode, localDateOf(d.receivedAt), province)) return true;
  return rolesOf(actor).some((r) =>
    r.scopeKind === 'unit'
      ? r.scopeCode === d.unitCode || r.scopeCode === unitOfDesk(d.holderAgencyCode) || r.scopeCode === unitOfDesk(d.resultDelivery?.deskCode ?? '')
      : r.scopeCode === d.authorityAgencyCode || r.scopeCode === d.holderAgencyCode,
  );
}

/** Whether the actor may act on the dossier at all (auditors only read); which acts is who-may-act.ts's. */
export function canAct(actor: Actor, d: Placed, province: ProvinceLevel): boolean {
  // Auditors only read; a role over a closed province reads its history and acts on none of it.
  const acting: Actor =
    actor.kind === 'staff' ? { ...actor, roles: actor.roles.filter((r) => r.role !== 'auditor' && !closedProvinceOf(r, province)) } : actor;
  return canSee(acting, d, province);
}

export const byCode = (code: string) => eq(dossiers.code, code);
