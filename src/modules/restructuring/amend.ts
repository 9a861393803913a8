import { and, eq } from 'drizzle-orm';
import { desks, transitionPlanItems, transitionPlans } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { unitOfDesk } from '../../domain/dossier/desk-code.js';
import { DomainError } from '../../lib/errors.js';
import { successorAgency } from './destinations.js';
import { orgSnapshot } from './plan.js';

export interface AmendInput {
  toDeskCode: string;
  toAuthorityAgencyCode?: string;
  reason: string;
}

/**
 * An administrator sets the destination of one dossier of a plan (a split commune's dossier, a district's dossier
 * whose commune the rule got wrong): a desk open on the effective date; the deciding agency given, or the one of the
 * desk's unit answering for the dossier's agency. Refused for a dossier already transferred. One transaction.
 */
export async function amendItem(deps: Deps, planId: number, dossierCode: string, input: AmendInput, who: string) {
  return deps.db.transaction(async (tx) => {
    const [plan] = await tx.select().from(transitionPlans).where(eq(transitionPlans.id, planId));
    if (!plan) throw new DomainError('NOT_FOUND', `No transition plan ${planId}`);
    const [item] = await tx
      .select()
      .from(transitionPlanItems)
      .where(and(eq(transitionPlanItems.planId, planId), eq(transitionPlanItems.dossierCode, dossierCode)))
      .for('update');
    if (!item) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${dossierCode} is not in plan ${planId}`);
    if (item.state === 'transferred') throw new DomainError('CONFLICT', `Dossier ${dossierCode} was already transferred by plan ${planId}`);
    const on = plan.effectiveFrom;
    const versions = await tx.select().from(desks).where(eq(desks.code, input.toDeskCode));
    if (versions.length === 0) throw new DomainError('VALIDATION_FAILED', `body.toDeskCode: no desk ${input.toDeskCode}`);
    const desk = versions.find((d) => d.validFrom <= on && (d.validTo === null || d.validTo > on));
    if (!desk) throw new DomainError('VALIDATION_FAILED', `body.toDeskCode: desk ${input.toDeskCode} is closed on ${on}`);
    const org = await orgSnapshot(tx, on);
    let authority = input.toAuthorityAgencyCode;
    if (authority !== undefined) {
      const agency = org.openAgencies.find((a) => a.code === authority);
      if (!agency) throw new DomainError('VALIDATION_FAILED', `body.toAuthorityAgencyCode: no agency ${authority} is in force on ${on}`);
    } else {
      authority = successorAgency(org, item.fromAuthorityAgencyCode, desk.unitCode)?.code;
      if (!authority) {
        throw new DomainError('VALIDATION_FAILED', `body.toAuthorityAgencyCode: required (no agency of unit ${desk.unitCode} answers for ${item.fromAuthorityAgencyCode})`);
      }
    }
    let holder: string;
    if (unitOfDesk(item.fromHolderAgencyCode) !== null) holder = desk.code;
    else if (item.fromHolderAgencyCode === item.fromAuthorityAgencyCode) holder = authority;
    else holder = successorAgency(org, item.fromHolderAgencyCode, desk.unitCode)?.code ?? authority;
    const [updated] = await tx
      .update(transitionPlanItems)
      .set({
        toDeskCode: desk.code,
        toUnitCode: desk.unitCode,
        toAuthorityAgencyCode: authority,
        toHolderAgencyCode: holder,
        basis: `amended by ${who}: ${input.reason}`,
        state: 'placed',
        amendedBy: who,
      })
      .where(eq(transitionPlanItems.id, item.id))
      .returning();
    return updated!;
  });
}
