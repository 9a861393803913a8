import { addWorkingMinutes, type CompiledCalendar } from '../../domain/calendar/index.js';

/** The least working time a proposal gives the steps still to do (a dossier at its last step, or with no process). */
export const MIN_PROPOSAL_MINUTES = 60;

/**
 * The new appointment a draft apology proposes (Mẫu 04; DOMAIN.md §6): the later of
 *  - now + the allotted working time of the steps still to do (at least an hour), and
 *  - the appointment it replaces + one working day of the desk,
 * so it is always later than the appointment, in the future, and on a working day of the desk (adding working time
 * lands inside a working period, at the latest at a working day's close), which is what a head may sign
 * (issue-apology.ts). For a dossier already past its appointment, the first alone is later than it: the proposal
 * then depends only on the calendar and the remaining minutes, which lets the sweep draft overdue dossiers by set.
 */
export function proposedAppointment(cal: CompiledCalendar, now: number, appointment: number | null, remainingMinutes: number): number {
  const fromNow = addWorkingMinutes(cal, now, Math.max(Math.round(remainingMinutes), MIN_PROPOSAL_MINUTES));
  if (appointment === null || appointment < now) return fromNow;
  return Math.max(fromNow, addWorkingMinutes(cal, appointment, cal.hours.dayMinutes));
}
