import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { dossiers } from '../../../db/schema/index.js';
import { localDateOf } from '../../../domain/calendar/index.js';
import type { StaffActor } from '../../../domain/actor.js';

/**
 * The dossiers whose current step the caller holds: a work queue (`GET /dossiers?mine=true`). The same rule as
 * who-may-act.ts's holder, as SQL: handed to them by name; at an agency where they hold the step's role (the
 * chairman's `leader` steps through a head account), or any role when the step names none; at the desk of a unit
 * where they are a desk officer. Open dossiers only, plus, for a desk officer, the processed dossiers of their unit
 * whose result waits to be returned (returning is the desk's, whoever held the last step). Auditors hold nothing.
 */
export async function heldBy(deps: Deps, who: StaffActor): Promise<SQL> {
  const acting = who.roles.filter((r) => r.role !== 'auditor');
  const atAgencies = acting
    .filter((r) => r.scopeKind === 'agency')
    .map((r) => {
      const roles = r.role === 'agency_head' ? ['agency_head', 'leader'] : [r.role];
      return and(eq(dossiers.holderAgencyCode, r.scopeCode), or(isNull(dossiers.holderRole), inArray(dossiers.holderRole, roles)));
    });
  const day = localDateOf(deps.now().getTime());
  const deskUnits = acting.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'unit').map((r) => r.scopeCode);
  const deskCodes = (await Promise.all(deskUnits.map((u) => deps.reference.deskOfUnit(u, day)))).flatMap((d) => (d ? [d.code] : []));
  const unnamed = [...atAgencies, ...(deskCodes.length ? [inArray(dossiers.holderAgencyCode, deskCodes)] : [])];
  const holding = or(eq(dossiers.holderUsername, who.username), unnamed.length ? and(isNull(dossiers.holderUsername), or(...unnamed)) : sql`false`);
  const open = inArray(dossiers.status, ['received', 'in_processing', 'supplement_requested']);
  const toReturn = deskUnits.length ? and(eq(dossiers.status, 'processed'), inArray(dossiers.unitCode, deskUnits)) : sql`false`;
  return or(and(open, holding), toReturn)!;
}
