import { eq } from 'drizzle-orm';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { dossiers, postalSubmissions } from '../../db/schema/index.js';
import type { PartnerActor } from '../../domain/actor.js';
import { receiveDossier } from '../dossiers/index.js';
import type { PostalIntakeBody } from './schemas.js';
import type { PartnerPrincipal } from './verify-signature.js';

/**
 * Postal intake: the desk's own intake (receiveDossier: competence including the operator's coverage, the
 * document list, the appointment) with channel `postal`, the partner acting for the applicant. Whatever the
 * outcome, the submission (partner, postal clerk, post office) is recorded in the intake's transaction, with the
 * idempotency record when the partner sent an Idempotency-Key (`idempotencyKey`, already unique per partner).
 */
export async function submitPostalDossier(deps: Deps, partner: PartnerPrincipal, body: PostalIntakeBody, idempotencyKey: string | null) {
  const { postalClerk, postOfficeCode, ...intake } = body;
  const submittedAt = deps.now();
  const actor: PartnerActor = { kind: 'partner', partnerId: partner.id, partnerCode: partner.code };
  return receiveDossier(contextOf(deps, actor), { ...intake, channel: 'postal' }, {
    idempotency: idempotencyKey ? { key: idempotencyKey, request: body } : null,
    recordWith: async (tx, result) => {
      const reference = result.outcome === 'received' ? result.dossierCode : result.reference;
      const [dossier] =
        result.outcome === 'received' ? await tx.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.code, reference)) : [];
      await tx.insert(postalSubmissions).values({
        partnerId: partner.id,
        reference,
        outcome: result.outcome,
        dossierId: dossier?.id ?? null,
        clerkId: postalClerk.id,
        clerkName: postalClerk.name,
        postOfficeCode,
        submittedAt,
      });
    },
  });
}
