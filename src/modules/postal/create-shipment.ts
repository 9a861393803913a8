import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { postalPartners, shipments } from '../../db/schema/index.js';
import type { DossierRow } from '../dossiers/index.js';
import { queueWebhook } from './queue-webhook.js';
import { submittingPartner } from './submitting-partner.js';

/**
 * The result is ready (the `complete` act), in its transaction. When the applicant chose delivery by post, a
 * shipment (one per dossier) goes to the partner that submitted the dossier, or else to the first active partner
 * that delivers results; that partner gets `shipment_requested`. A partner that submitted the dossier gets
 * `result_ready` whatever the delivery.
 */
export async function onResultReady(tx: Tx, logger: Logger, dossier: DossierRow, at: Date) {
  const submitter = await submittingPartner(tx, dossier.id);
  let shipmentId: number | null = null;
  const delivery = dossier.resultDelivery;
  if (delivery.method === 'post') {
    const carrier =
      submitter && submitter.deliversResults && !submitter.disabledAt
        ? submitter
        : (
            await tx
              .select()
              .from(postalPartners)
              .where(and(eq(postalPartners.deliversResults, true), isNull(postalPartners.disabledAt)))
              .orderBy(asc(postalPartners.id))
              .limit(1)
          )[0];
    if (!carrier) {
      logger.warn({ dossier: dossier.code }, 'result to be sent by post but no postal partner delivers results');
    } else {
      const [shipment] = await tx
        .insert(shipments)
        .values({ dossierId: dossier.id, partnerId: carrier.id, address: delivery.address ?? dossier.applicant.address ?? '', status: 'requested', statusAt: at, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: shipments.dossierId })
        .returning();
      if (shipment) {
        shipmentId = shipment.id;
        await queueWebhook(
          tx,
          carrier,
          'shipment_requested',
          String(shipment.id),
          {
            shipmentId: shipment.id,
            dossierCode: dossier.code,
            deskCode: dossier.deskCode,
            recipient: { name: dossier.applicant.name, phone: dossier.applicant.phone, address: shipment.address },
          },
          at,
        );
      }
    }
  }
  if (submitter) {
    await queueWebhook(
      tx,
      submitter,
      'result_ready',
      dossier.code,
      { dossierCode: dossier.code, resultReference: dossier.resultReference, resultDelivery: delivery.method, shipmentId },
      at,
    );
  }
  return { shipmentId };
}
