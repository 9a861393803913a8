import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import { dossiers, postalSubmissions } from '../../db/schema/index.js';
import { receiveDossier, type IntakeResult } from '../dossiers/index.js';
import type { PostalIntakeBody } from './schemas.js';
import type { PartnerPrincipal } from './verify-signature.js';

/**
 * Postal intake: the desk's own intake (receiveDossier: competence including the operator's coverage, the
 * document list, the appointment) with channel `postal`, acting as `postal:<partner code>`. Whatever the
 * outcome, the submission (partner, postal clerk, post office) is recorded in the intake's transaction, with the
 * idempotency record when the partner sent an Idempotency-Key.
 */
export async function submitPostalDossier(
  deps: Deps,
  partner: PartnerPrincipal,
  body: PostalIntakeBody,
  rememberKey?: (tx: Tx, result: IntakeResult) => Promise<unknown>,
): Promise<IntakeResult> {
  const { postalClerk, postOfficeCode, ...intake } = body;
  const submittedAt = deps.now();
  return receiveDossier(deps, { ...intake, channel: 'postal' }, `postal:${partner.code}`, {
    remember: async (tx, result) => {
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
      if (rememberKey) await rememberKey(tx, result);
    },
  });
}
