import type { Deps } from '../../deps.js';
import type { Payload } from '../../jobs/topics.js';
import { countNewEvents } from './count-events.js';

/**
 * A dossier changed state: its event (and any other not yet counted) goes into the quality-index counters
 * (QĐ 766/QĐ-TTg: the index is real time). Notices hang off the same topic (workers.ts). Idempotent: each event is counted once however often
 * the job runs.
 */
export async function processDossierChanged(deps: Deps, payload: Payload<'dossier.changed'>) {
  const counted = await countNewEvents(deps);
  deps.logger.debug({ dossier: payload.code, event: payload.event, counted: counted.events }, 'dossier event relayed');
  return { seen: payload.event, counted: counted.events };
}
