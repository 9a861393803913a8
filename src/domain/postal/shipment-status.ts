/**
 * A shipment's status from the partner's reports. Pure. Reports may arrive repeated and out of
 * order; the status only moves forward in rank order
 *
 *   requested < picked_up < in_transit < delivered | failed | returned
 *
 * and the three last are final: once one is reached no report changes it. A report of a lower or equal rank is
 * kept in the history but does not move the status.
 */
export const shipmentStatuses = ['requested', 'picked_up', 'in_transit', 'delivered', 'failed', 'returned'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];
export type ReportedStatus = Exclude<ShipmentStatus, 'requested'>;

const rank: Record<ShipmentStatus, number> = { requested: 0, picked_up: 1, in_transit: 2, delivered: 3, failed: 3, returned: 3 };

export const isFinal = (s: ShipmentStatus) => rank[s] === 3;

export type StatusDecision = { applied: true; status: ShipmentStatus } | { applied: false; status: ShipmentStatus; why: 'final' | 'not_forward' };

export function applyReport(current: ShipmentStatus, reported: ReportedStatus): StatusDecision {
  if (isFinal(current)) return { applied: false, status: current, why: 'final' };
  if (rank[reported] <= rank[current]) return { applied: false, status: current, why: 'not_forward' };
  return { applied: true, status: reported };
}

/** The status a set of reports leads to, whatever order they arrived in (first final report wins). */
export function statusAfter(reports: readonly ReportedStatus[]): ShipmentStatus {
  return reports.reduce<ShipmentStatus>((s, r) => applyReport(s, r).status, 'requested');
}
