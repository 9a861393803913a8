import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { dossiers, postalPartners, shipments } from '../../db/schema/index.js';
import { returnByPost } from './report-shipment-status.js';

/**
 * Shipments the partner reported delivered whose dossier is still `processed`: the process died between the
 * report's commit and the return act (report-shipment-status.ts). Completed here, by the SLA sweep's pass; the
 * state machine makes a return happen once however often this runs.
 */
export async function reconcileDeliveries(deps: Deps) {
  const rows = await deps.db
    .select({ id: shipments.id, dossierId: shipments.dossierId, partnerId: postalPartners.id, partnerCode: postalPartners.code })
    .from(shipments)
    .innerJoin(dossiers, eq(dossiers.id, shipments.dossierId))
    .innerJoin(postalPartners, eq(postalPartners.id, shipments.partnerId))
    .where(and(eq(shipments.status, 'delivered'), eq(dossiers.status, 'processed')))
    .limit(1000);
  for (const r of rows) await returnByPost(deps, { id: r.partnerId, code: r.partnerCode }, r);
  return rows.length;
}
