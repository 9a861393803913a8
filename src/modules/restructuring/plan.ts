import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  agencies,
  desks,
  organisationVersions,
  staffAccounts,
  staffRoles,
  transitionPlanItems,
  transitionPlans,
  unitPredecessors,
  units,
} from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import { destinationOf, type OpenDossier, type OrgSnapshot } from './destinations.js';
import { linksOfChange } from './history.js';

export interface PlanInput {
  effectiveFrom: string;
  basis: string;
  districtRules?: Record<string, string>;
  appointmentExtensionDays?: number;
}

/** Dossiers not ended: a processed one still waits at the desk for its return. */
export const OPEN_STATUSES = ['received', 'in_processing', 'supplement_requested', 'processed'] as const;

/** The organisation around a change: what ends on `on` and what is in force from it. */
export async function orgSnapshot(db: DbOrTx, on: string): Promise<OrgSnapshot> {
  const validOn = <T extends typeof units | typeof desks | typeof agencies>(t: T) => and(lte(t.validFrom, on), or(isNull(t.validTo), gt(t.validTo, on)));
  // One after another: inside a transaction the queries share one connection.
  const closingUnits = await db.select().from(units).where(eq(units.validTo, on));
  const openUnits = await db.select().from(units).where(validOn(units));
  const links = await db.select().from(unitPredecessors).where(sql`exists (select 1 from unit_predecessors p where p.id = ${unitPredecessors.id} and ${linksOfChange(on)})`);
  const openDesks = await db.select().from(desks).where(validOn(desks));
  const closingAgencies = await db.select().from(agencies).where(eq(agencies.validTo, on));
  const openAgencies = await db.select().from(agencies).where(validOn(agencies));
  const province = openUnits.find((u) => u.level === 'province');
  if (!province) throw new DomainError('VALIDATION_FAILED', `body.effectiveFrom: no province-level unit is in force on ${on}`);
  const closing = new Map(closingUnits.map((u) => [u.code, u]));
  const successors = new Map<string, { code: string; partial: string | null; basis: string }[]>();
  for (const l of links) {
    const old = closing.get(l.predecessorCode);
    if (!old || old.validFrom !== l.predecessorValidFrom) continue;
    successors.set(l.predecessorCode, [...(successors.get(l.predecessorCode) ?? []), { code: l.unitCode, partial: l.partial, basis: l.basis }]);
  }
  return {
    on,
    closingUnits: closing,
    openUnits: new Map(openUnits.map((u) => [u.code, u])),
    successors,
    desksByUnit: new Map(openDesks.map((d) => [d.unitCode, d])),
    closingAgencies: new Map(closingAgencies.map((a) => [a.code, a])),
    openAgencies,
    province,
  };
}

/** Checks a plan's district rules: each names a district that ends on the date and a unit with an open desk then. */
function checkRules(org: OrgSnapshot, rules: Record<string, string>) {
  for (const [district, unit] of Object.entries(rules)) {
    const old = org.closingUnits.get(district);
    if (!old || old.level !== 'district') throw new DomainError('VALIDATION_FAILED', `body.districtRules.${district}: no district ends on ${org.on} with this code`);
    if (!org.openUnits.has(unit)) throw new DomainError('VALIDATION_FAILED', `body.districtRules.${district}: no unit ${unit} is in force on ${org.on}`);
    if (!org.desksByUnit.has(unit)) throw new DomainError('VALIDATION_FAILED', `body.districtRules.${district}: unit ${unit} has no desk open on ${org.on}`);
  }
}

const sameRules = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Makes the transition plan of a restructuring: every open dossier of a desk or agency that ends on the date, with
 * its destination or why it has none, and the staff roles over the units and agencies that end (they end with them).
 * Written in one transaction. A second request for the same date with the same rules answers the plan made; with
 * other rules it is refused (409): the plan is amended, not made twice.
 */
export async function createPlan(deps: Deps, input: PlanInput, who: string): Promise<{ id: number; created: boolean }> {
  const on = input.effectiveFrom;
  const rules = input.districtRules ?? {};
  const extension = input.appointmentExtensionDays ?? deps.config.TRANSITION_APPOINTMENT_EXTENSION_DAYS;
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('transition-plan'), hashtext(${on}))`);
    const [version] = await tx.select().from(organisationVersions).where(eq(organisationVersions.effectiveFrom, on));
    if (!version) throw new DomainError('VALIDATION_FAILED', `body.effectiveFrom: no organisation version takes effect on ${on}`);
    const [existing] = await tx.select().from(transitionPlans).where(eq(transitionPlans.effectiveFrom, on));
    if (existing) {
      if (sameRules(existing.districtRules, rules) && existing.appointmentExtensionDays === extension) return { id: existing.id, created: false };
      throw new DomainError(
        'CONFLICT',
        `A transition plan for ${on} exists (id ${existing.id}) with other district rules or appointment extension; amend its dossiers instead`,
      );
    }
    const org = await orgSnapshot(tx, on);
    checkRules(org, rules);

    const closingDesks = (await tx.select({ code: desks.code }).from(desks).where(eq(desks.validTo, on))).map((d) => d.code);
    const closingHolders = [...closingDesks, ...org.closingAgencies.keys()];
    const open = await tx.execute<{ id: string; code: string; procedure_level: string; desk_code: string; unit_code: string; authority_agency_code: string; holder_agency_code: string }>(sql`
      select d.id, d.code, p.level as procedure_level, d.desk_code, d.unit_code, d.authority_agency_code, d.holder_agency_code
        from dossiers d join procedures p on p.id = d.procedure_id
       where d.status in ('received', 'in_processing', 'supplement_requested', 'processed')
         and (d.desk_code in (select code from desks where valid_to = ${on})
              or d.holder_agency_code in (select code from desks where valid_to = ${on} union select code from agencies where valid_to = ${on})
              or d.authority_agency_code in (select code from agencies where valid_to = ${on}))
       order by d.id`);

    const roles = await tx
      .select({ id: staffRoles.id, username: staffAccounts.username, role: staffRoles.role, scopeKind: staffRoles.scopeKind, scopeCode: staffRoles.scopeCode })
      .from(staffRoles)
      .innerJoin(staffAccounts, eq(staffAccounts.id, staffRoles.accountId))
      .where(
        and(
          or(isNull(staffRoles.endsOn), gt(staffRoles.endsOn, on)),
          or(
            and(eq(staffRoles.scopeKind, 'unit'), inArray(staffRoles.scopeCode, [...org.closingUnits.keys(), '__none__'])),
            and(eq(staffRoles.scopeKind, 'agency'), inArray(staffRoles.scopeCode, [...closingHolders, '__none__'])),
          ),
        ),
      );

    const [plan] = await tx
      .insert(transitionPlans)
      .values({ effectiveFrom: on, basis: input.basis, districtRules: rules, appointmentExtensionDays: extension, status: 'draft', createdBy: who, createdAt: deps.now(), roles })
      .returning({ id: transitionPlans.id });
    if (!plan) throw new Error('plan insert returned nothing');
    const items = open.rows.map((r) => {
      const d: OpenDossier = {
        id: Number(r.id),
        code: r.code,
        procedureLevel: r.procedure_level,
        deskCode: r.desk_code,
        unitCode: r.unit_code,
        authorityAgencyCode: r.authority_agency_code,
        holderAgencyCode: r.holder_agency_code,
      };
      const to = destinationOf(org, d, rules);
      return {
        planId: plan.id,
        dossierId: d.id,
        dossierCode: d.code,
        fromDeskCode: d.deskCode,
        fromUnitCode: d.unitCode,
        fromAuthorityAgencyCode: d.authorityAgencyCode,
        fromHolderAgencyCode: d.holderAgencyCode,
        toDeskCode: to.placed ? to.deskCode : null,
        toUnitCode: to.placed ? to.unitCode : null,
        toAuthorityAgencyCode: to.placed ? to.authorityAgencyCode : null,
        toHolderAgencyCode: to.placed ? to.holderAgencyCode : null,
        basis: to.basis,
        state: to.placed ? ('placed' as const) : ('unplaced' as const),
      };
    });
    for (let i = 0; i < items.length; i += 2000) await tx.insert(transitionPlanItems).values(items.slice(i, i + 2000));
    return { id: plan.id, created: true };
  });
}
