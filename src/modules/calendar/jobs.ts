import type { Deps } from '../../deps.js';
import type { Payload } from '../../jobs/topics.js';
import { reprojectOnCalendarChange } from '../dossiers/index.js';

/**
 * A calendar change reached the workers: recompile this process's calendar and re-project the open dossiers
 * whose appointment it moves. Idempotent: a second run finds nothing left to move.
 */
export async function processCalendarChanged(deps: Deps, payload: Payload<'calendar.changed'>) {
  await deps.calendar.refresh();
  const result = await reprojectOnCalendarChange(deps, payload.changeId);
  deps.logger.info({ changeId: payload.changeId, date: payload.date, scope: payload.scope, ...result }, 'calendar change applied to open dossiers');
  return result;
}
