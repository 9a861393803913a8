import type { Tx } from '../../../db/client.js';
import type { DossierRow } from './apply-act.js';

/**
 * What other modules must do, in the act's own transaction, when a dossier's result is ready or the dossier is
 * cancelled (stopped or withdrawn). The postal partner's shipment and webhooks are the case today: a result to be
 * sent by post must never be ready without its shipment requested, so the effect cannot wait for the outbox.
 * The listeners are registered at start-up (src/deps.ts); the dossier module does not know who listens.
 */
export interface DossierEffects {
  resultReady(tx: Tx, dossier: DossierRow, at: Date): Promise<{ shipmentId: number | null }>;
  cancelled(tx: Tx, dossier: DossierRow, reason: string, at: Date): Promise<void>;
}

/** No listener: a result is ready with nothing to ship. */
export const noDossierEffects: DossierEffects = {
  resultReady: async () => ({ shipmentId: null }),
  cancelled: async () => undefined,
};
