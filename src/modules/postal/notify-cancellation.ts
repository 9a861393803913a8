import type { Tx } from '../../db/client.js';
import type { DossierRow } from '../dossiers/index.js';
import { queueWebhook } from './queue-webhook.js';
import { submittingPartner } from './submitting-partner.js';

/** A dossier submitted by a partner was withdrawn or stopped (in that act's transaction): `dossier_cancelled`. */
export async function onDossierCancelled(tx: Tx, dossier: DossierRow, reason: string, at: Date) {
  const partner = await submittingPartner(tx, dossier.id);
  if (!partner) return;
  await queueWebhook(tx, partner, 'dossier_cancelled', dossier.code, { dossierCode: dossier.code, status: dossier.status, reason }, at);
}
