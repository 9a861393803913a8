import type { Deps } from '../../deps.js';
import type { Payload } from '../../jobs/topics.js';

/**
 * A calendar change reached the workers: recompile this process's calendar. Re-projecting the open dossiers
 * the change moves is added by the dossier lifecycle (issue #4) on top of this hook. Idempotent: compiling
 * twice gives the same calendar.
 */
export async function processCalendarChanged(deps: Deps, payload: Payload<'calendar.changed'>) {
  await deps.calendar.refresh();
  deps.logger.info({ changeId: payload.changeId, date: payload.date, scope: payload.scope }, 'calendar recompiled');
  return { recompiled: true };
}
