/**
 * The dossier state machine (DOMAIN.md §4; the national reporting vocabulary). Pure: it says whether an act is
 * allowed in a state and which state follows; the acts in src/modules/dossiers apply it inside a transaction.
 *
 *   received ─handoff→ in_processing ─handoff→ in_processing
 *   received | in_processing ─request_supplement→ supplement_requested ─receive_supplement→ in_processing
 *   in_processing ─complete→ processed ─return_result→ returned
 *   received | in_processing | supplement_requested ─stop→ stopped        (Dừng xử lý / Từ chối)
 *   received | in_processing | supplement_requested ─withdraw→ withdrawn  (Công dân yêu cầu rút hồ sơ)
 */
export const dossierStatuses = [
  'received',
  'in_processing',
  'supplement_requested',
  'processed',
  'returned',
  'stopped',
  'withdrawn',
] as const;
export type DossierStatus = (typeof dossierStatuses)[number];

export const dossierActs = [
  'handoff',
  'request_supplement',
  'receive_supplement',
  'complete',
  'return_result',
  'stop',
  'withdraw',
] as const;
export type DossierAct = (typeof dossierActs)[number];

/** The states in which a dossier is still being handled: the one list every query and rule uses. */
export const openStatuses = ['received', 'in_processing', 'supplement_requested'] as const satisfies readonly DossierStatus[];
const open: readonly DossierStatus[] = openStatuses;

const transitions: Record<DossierAct, { from: readonly DossierStatus[]; to: DossierStatus | 'same' }> = {
  handoff: { from: ['received', 'in_processing'], to: 'in_processing' },
  request_supplement: { from: ['received', 'in_processing'], to: 'supplement_requested' },
  receive_supplement: { from: ['supplement_requested'], to: 'in_processing' },
  complete: { from: ['in_processing'], to: 'processed' },
  return_result: { from: ['processed'], to: 'returned' },
  stop: { from: open, to: 'stopped' },
  withdraw: { from: open, to: 'withdrawn' },
};

export const isAllowed = (status: DossierStatus, act: DossierAct) => transitions[act].from.includes(status);

/** The state after `act`, or null when the act is not allowed in `status`. */
export function nextStatus(status: DossierStatus, act: DossierAct): DossierStatus | null {
  const t = transitions[act];
  if (!t.from.includes(status)) return null;
  return t.to === 'same' ? status : t.to;
}

/** The acts allowed in a state (for clients and for the 409 message). */
export const allowedActs = (status: DossierStatus): DossierAct[] => dossierActs.filter((a) => isAllowed(status, a));

/** States in which the dossier's handling has ended; the first reached fixes its timeliness (DOMAIN.md §5). */
export const endingStatuses: readonly DossierStatus[] = ['processed', 'returned', 'stopped', 'withdrawn'];
export const isOpen = (status: DossierStatus) => open.includes(status);
