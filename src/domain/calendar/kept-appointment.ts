import type { CompiledCalendar } from './compile-calendar.js';
import { formatInstant } from './local-time.js';
import type { ExplanationEntry } from './types.js';
import { addWorkingMinutes, touchesProvisional, workingMinutesBetween } from './working-time.js';

/**
 * A kept appointment after a pause (procedures whose calendar-change policy is `keep`, supplement policy `pause`):
 * the clock stopped with the working time left until the appointment then in force; it resumes with that same
 * time left. Under one calendar this is the ledger's answer (the appointment moves by the paused working time,
 * DOMAIN.md §5); after a calendar change the procedure keeps out (reproject-on-calendar-change.ts), it keeps the
 * promise instead of deriving the appointment again from the intake under the changed calendar.
 * A pause that began after the appointment had passed does not move it (as in the ledger).
 */
export function moveKeptAppointment(
  cal: CompiledCalendar,
  p: { dueBefore: number; pausedFrom: number; resumedAt: number; reason?: string },
): { dueAt: number; provisional: boolean; explanation: ExplanationEntry[] } {
  // Whole minutes, rounded up: the applicant does not lose the seconds of a pause that began mid-minute.
  const left = Math.ceil(workingMinutesBetween(cal, p.pausedFrom, p.dueBefore));
  const from = formatInstant(p.pausedFrom);
  const to = formatInstant(p.resumedAt);
  const kept = formatInstant(p.dueBefore);
  if (left <= 0) {
    return {
      dueAt: p.dueBefore,
      provisional: false,
      explanation: [
        { kind: 'pause', from, to, minutes: 0, counted: false, reason: p.reason, text: `Pause ${from} → ${to} began after the kept appointment ${kept}: it does not move.` },
        { kind: 'due', dueAt: kept, budgetMinutes: 0, text: `Due ${kept} (the appointment kept).` },
      ],
    };
  }
  const dueAt = addWorkingMinutes(cal, p.resumedAt, left);
  const minutes = Math.max(0, Math.round(workingMinutesBetween(cal, p.pausedFrom, p.resumedAt)));
  const due = formatInstant(dueAt);
  return {
    dueAt,
    provisional: touchesProvisional(cal, p.resumedAt, dueAt),
    explanation: [
      {
        kind: 'pause',
        from,
        to,
        minutes,
        counted: true,
        reason: p.reason,
        text: `Pause ${from} → ${to}: the clock stopped with ${left} working minutes left before the kept appointment ${kept}.`,
      },
      { kind: 'due', dueAt: due, budgetMinutes: left, text: `Due ${due}: the ${left} working minutes left, from ${to}.` },
    ],
  };
}

/**
 * The apology's new appointment (Mẫu 04) after a pause that moved the appointment from `before` to `after`: it moves
 * by the same working time, so that what the applicant was promised keeps its distance from the appointment
 * (DOMAIN.md §5: a pause moves the appointment by the paused working time; §6: the new appointment is the promise).
 */
export function movePromisedAppointment(cal: CompiledCalendar, promised: number, before: number, after: number): number {
  const moved = workingMinutesBetween(cal, before, after);
  return moved > 0 ? addWorkingMinutes(cal, promised, moved) : promised;
}
