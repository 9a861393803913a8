/**
 * The new appointment a draft apology proposes (src/modules/sla/proposal.ts): always later than the appointment it
 * replaces, in the future and on a working day of the desk, whenever the draft is made and whatever is left to do.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, isWorkingDay, localDateOf, workingMinutesBetween } from '../../../src/domain/calendar/index.js';
import { proposedAppointment } from '../../../src/modules/sla/index.js';
import { cal, t } from '../calendar/fixtures.js';

describe('proposedAppointment', () => {
  const nows = ['2024-03-04T06:00', '2024-03-04T07:00', '2024-03-04T12:00', '2024-03-08T16:59', '2024-03-09T10:00', '2024-03-10T23:30', '2024-04-29T09:00'];
  const appointmentsAfter = [0, 30, 480, 960, 2400]; // working minutes from now
  const remainings = [0, 30, 60, 480, 3000];

  it('is later than the appointment, in the future and on a working day', () => {
    for (const now of nows.map(t)) {
      for (const ahead of appointmentsAfter) {
        // An appointment `ahead` working minutes from now (the earliest such instant, as the engine gives it).
        const due = addWorkingMinutes(cal, now, ahead);
        for (const remaining of remainings) {
          const p = proposedAppointment(cal, now, due, remaining);
          expect(p, `now ${now} due ${due} remaining ${remaining}`).toBeGreaterThan(due);
          expect(p).toBeGreaterThan(now);
          expect(isWorkingDay(cal, localDateOf(p))).toBe(true);
          expect(workingMinutesBetween(cal, now, p)).toBeGreaterThanOrEqual(Math.max(remaining, 60));
        }
      }
    }
  });

  it('for an appointment already past, depends only on now and the minutes left (what the sweep joins by set)', () => {
    const now = t('2024-03-06T10:00');
    for (const remaining of remainings) {
      const a = proposedAppointment(cal, now, t('2024-03-01T10:00'), remaining);
      const b = proposedAppointment(cal, now, t('2024-02-20T08:00'), remaining);
      expect(a).toBe(b);
      expect(a).toBe(proposedAppointment(cal, now, null, remaining));
    }
  });
});
