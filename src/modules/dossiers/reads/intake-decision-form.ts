import { eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { auditLog, intakeDecisions } from '../../../db/schema/index.js';
import { unitOfDesk } from '../../../domain/dossier/desk-code.js';
import { DomainError } from '../../../lib/errors.js';
import type { StaffActor } from '../../../domain/actor.js';
import { canSee } from '../access/visibility.js';

/**
 * The form given at an intake that made no dossier (Mẫu 02 guidance when documents were missing, Mẫu 03 refusal
 * when the desk was not competent), by the reference the intake answered with: the desk prints it again or hands
 * it over later. Staff of the desk's unit see it; anyone else gets 404, as for a dossier.
 */
export async function intakeDecisionForm(deps: Deps, who: StaffActor, reference: string) {
  const [decision] = await deps.db.select().from(intakeDecisions).where(eq(intakeDecisions.reference, reference));
  const unitCode = decision ? unitOfDesk(decision.deskCode) : null;
  if (!decision || !unitCode || !canSee(who, { code: decision.reference, unitCode, authorityAgencyCode: '', holderAgencyCode: decision.deskCode, receivedAt: decision.decidedAt }, await deps.provinceLevel())) {
    throw new DomainError('NOT_FOUND', `No intake decision ${reference}`);
  }
  await deps.db.insert(auditLog).values({ actor: who.username, action: `read_form:${decision.outcome}`, dossierCode: reference });
  return { ...(decision.form as Record<string, unknown>), reference: decision.reference, outcome: decision.outcome };
}
