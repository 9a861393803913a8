import type { Logger } from '../../lib/logger.js';
import type { DossierEffects } from '../dossiers/index.js';
import { onResultReady } from './create-shipment.js';
import { onDossierCancelled } from './notify-cancellation.js';

/** The postal partner's part in a dossier's ending, registered with the dossier module at start-up (src/deps.ts). */
export const postalDossierEffects = (logger: Logger): DossierEffects => ({
  resultReady: (tx, dossier, at) => onResultReady(tx, logger, dossier, at),
  cancelled: onDossierCancelled,
});
