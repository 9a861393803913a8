import type { Deps } from '../../deps.js';
import type { Payload } from '../../jobs/topics.js';

/**
 * A dossier changed state. The quality-index counters, notices and SLA flags (issues #5, #6) hang off this
 * topic; until they exist the processor records that the event reached the workers, which the outbox tests
 * rely on. Idempotent: it writes nothing.
 */
export async function processDossierChanged(deps: Deps, payload: Payload<'dossier.changed'>) {
  deps.logger.debug({ dossier: payload.code, event: payload.event }, 'dossier event relayed');
  return { seen: payload.event };
}
