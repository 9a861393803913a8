import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { dossiers, shipmentEvents, shipments } from '../../db/schema/index.js';
import { applyReport } from '../../domain/postal/shipment-status.js';
import { DomainError } from '../../lib/errors.js';
import type { PartnerActor } from '../../domain/actor.js';
import { contextOf } from '../../context.js';
import { returnResult } from '../dossiers/index.js';
import { shipmentOf } from './queries.js';
import type { StatusReport } from './schemas.js';
import type { PartnerPrincipal } from './verify-signature.js';

/**
 * A partner reports a shipment's status. Every report is kept (idempotent on the partner's event id: the same
 * id again changes nothing; the same id with other content is a 409); the status only moves forward in rank
 * order and a final status stays (src/domain/postal/shipment-status.ts), so reports arriving late or twice never
 * move it back. `delivered` completes the dossier's return (returned by post), once: the state machine allows
 * `return_result` only from `processed`, and a later report re-tries it if a crash came in between.
 */
export async function reportShipmentStatus(deps: Deps, partner: PartnerPrincipal, shipmentId: number, report: StatusReport) {
  const now = deps.now();
  const occurredAt = new Date(report.occurredAt);
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new DomainError('VALIDATION_FAILED', 'body.occurredAt: must not be in the future');
  }
  const outcome = await deps.db.transaction(async (tx) => {
    const [shipment] = await tx
      .select()
      .from(shipments)
      .where(and(eq(shipments.id, shipmentId), eq(shipments.partnerId, partner.id)))
      .for('update');
    if (!shipment) throw new DomainError('SHIPMENT_NOT_FOUND', `Shipment ${shipmentId} not found`);
    const [prior] = await tx
      .select()
      .from(shipmentEvents)
      .where(and(eq(shipmentEvents.partnerId, partner.id), eq(shipmentEvents.eventId, report.eventId)));
    if (prior) {
      if (prior.shipmentId !== shipment.id || prior.status !== report.status || prior.occurredAt.getTime() !== occurredAt.getTime()) {
        throw new DomainError('CONFLICT', `Event ${report.eventId} was already reported with other content`);
      }
      return { applied: false, duplicate: true, shipment };
    }
    const decision = applyReport(shipment.status, report.status);
    await tx.insert(shipmentEvents).values({
      shipmentId: shipment.id,
      partnerId: partner.id,
      eventId: report.eventId,
      status: report.status,
      occurredAt,
      reason: report.reason ?? null,
      receivedAt: now,
      applied: decision.applied,
    });
    if (!decision.applied) return { applied: false, duplicate: false, shipment };
    const [updated] = await tx
      .update(shipments)
      .set({ status: decision.status, statusAt: occurredAt, failureReason: report.status === 'failed' ? (report.reason ?? null) : null, updatedAt: now })
      .where(eq(shipments.id, shipment.id))
      .returning();
    return { applied: true, duplicate: false, shipment: updated! };
  });
  if (outcome.shipment.status === 'delivered') await returnByPost(deps, partner, outcome.shipment);
  return { applied: outcome.applied, duplicate: outcome.duplicate, shipment: await shipmentOf(deps, partner, shipmentId) };
}

/**
 * The partner returns the result it delivered, for the desk that received the dossier (who-may-act.ts grants
 * `return_result` to the carrier of that dossier's result); the event's actor is `postal:<code>`.
 */
export async function returnByPost(deps: Deps, partner: Pick<PartnerPrincipal, 'id' | 'code'>, shipment: Pick<typeof shipments.$inferSelect, 'id' | 'dossierId'>) {
  const [d] = await deps.db.select({ code: dossiers.code, status: dossiers.status }).from(dossiers).where(eq(dossiers.id, shipment.dossierId));
  if (!d || d.status !== 'processed') return;
  const carrier: PartnerActor = { kind: 'partner', partnerId: partner.id, partnerCode: partner.code, deliveredDossier: d.code };
  try {
    await returnResult(contextOf(deps, carrier), { code: d.code, method: 'post', note: `Delivered by ${partner.code}, shipment ${shipment.id}` });
  } catch (err) {
    // Returned meanwhile by a concurrent report: once is enough.
    if (!(err instanceof DomainError && err.code === 'TRANSITION_NOT_ALLOWED')) throw err;
  }
}
