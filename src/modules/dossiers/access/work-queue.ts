import { and, eq, inArray, isNotNull, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import { dossiers } from '../../../db/schema/index.js';
import { isOpenSql } from '../../../db/open-statuses.js';
import type { StaffActor } from '../../../domain/actor.js';
import { deskCodePattern, deskCodesOfUnit } from '../../../domain/dossier/desk-code.js';

/**
 * The dossiers in the caller's work queue (`GET /dossiers?mine=true`): the open ones whose current step they hold,
 * plus, for a desk officer, the processed dossiers whose result waits to be returned at their unit's desk (returning
 * is the returning desk's, whoever held the last step: who-may-act.ts's returnUnitOf). "Holds the step" is who-may-act.ts's holdsStep written as SQL, branch
 * for branch (tests/integration/access-rules.test.ts checks that the two agree on generated cases):
 * - at a desk's step (a desk code, or the desk officer's role): the person it was handed to, or any desk officer
 *   of the desk's unit (a shared counter), or of a desk the role names directly;
 * - at an agency: the person it was handed to; else the agency's staff in the step's role (the chairman's `leader`
 *   steps through a head account), or in any role but auditor when the step names none.
 */
export function workQueueCondition(who: StaffActor): SQL {
  const acting = who.roles.filter((r) => r.role !== 'auditor');
  const named = eq(dossiers.holderUsername, who.username);
  const deskUnits = acting.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'unit').map((r) => r.scopeCode);
  const deskAgencies = acting.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'agency').map((r) => r.scopeCode);
  const holderIsDesk = sql`${dossiers.holderAgencyCode} ~ ${deskCodePattern}`;

  // `is not distinct from`: a step with no role is not a desk step (never NULL, which `not` would keep NULL).
  const atDeskStep = or(sql`${dossiers.holderRole} is not distinct from 'desk_officer'`, holderIsDesk)!;
  const deskOfficerThere = or(
    deskUnits.length ? inArray(dossiers.holderAgencyCode, deskUnits.flatMap(deskCodesOfUnit)) : sql`false`,
    // A desk officer's step at something that is not a desk: the receiving unit's officers hold it.
    deskUnits.length ? and(not(holderIsDesk), inArray(dossiers.unitCode, deskUnits)) : sql`false`,
    deskAgencies.length ? inArray(dossiers.holderAgencyCode, deskAgencies) : sql`false`,
  )!;
  const holdsDeskStep = and(atDeskStep, or(and(isNotNull(dossiers.holderUsername), named), deskOfficerThere));

  const atAgencies = acting
    .filter((r) => r.scopeKind === 'agency')
    .map((r) => {
      const stepRoles = r.role === 'agency_head' ? ['agency_head', 'leader'] : [r.role];
      return and(eq(dossiers.holderAgencyCode, r.scopeCode), or(isNull(dossiers.holderRole), inArray(dossiers.holderRole, stepRoles)));
    });
  const holdsAgencyStep = and(
    not(atDeskStep),
    or(and(isNotNull(dossiers.holderUsername), named), and(isNull(dossiers.holderUsername), atAgencies.length ? or(...atAgencies) : sql`false`)),
  );

  // The unit of the desk that returns the result: the applicant's chosen desk (returnUnitOf), else the receiving unit.
  const returnUnit = sql`coalesce(substring(${dossiers.resultDelivery}->>'deskCode' from ${deskCodePattern}), ${dossiers.unitCode})`;
  const toReturn = deskUnits.length ? and(eq(dossiers.status, 'processed'), inArray(returnUnit, deskUnits)) : sql`false`;
  return or(and(isOpenSql(dossiers.status), or(holdsDeskStep, holdsAgencyStep)), toReturn)!;
}
