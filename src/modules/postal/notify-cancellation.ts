import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { postalPartners, postalSubmissions } from '../../db/schema/index.js';
import type { DossierRow } from '../dossiers/apply-act.js';
import { queueWebhook } from './queue-webhook.js';

/** A dossier submitted by a partner was withdrawn or stopped (in that act's transaction): `dossier_cancelled`. */
export async function onDossierCancelled(tx: Tx, dossier: DossierRow, reason: string, at: Date) {
  const [submitted] = await tx
    .select({ partner: postalPartners })
    .from(postalSubmissions)
    .innerJoin(postalPartners, eq(postalPartners.id, postalSubmissions.partnerId))
    .where(eq(postalSubmissions.dossierId, dossier.id));
  if (!submitted) return;
  await queueWebhook(tx, submitted.partner, 'dossier_cancelled', dossier.code, { dossierCode: dossier.code, status: dossier.status, reason }, at);
}
