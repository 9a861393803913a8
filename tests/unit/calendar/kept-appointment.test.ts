/**
 * A kept appointment after a pause: under one calendar it is what the ledger derives (the appointment moves by the
 * paused working time); a pause that began after the appointment does not move it. Week of Monday 2024-03-04.
 */
import { describe, expect, it } from 'vitest';
import { moveKeptAppointment, projectLedger } from '../../../src/domain/calendar/index.js';
import { cal, t } from './fixtures.js';

describe('moveKeptAppointment', () => {
  it('under one calendar, agrees with the ledger for pauses of every length', () => {
    const start = t('2024-03-04T08:00');
    const budgetMinutes = 960; // due Wednesday 08:00
    const dueBefore = projectLedger(cal, { budgetMinutes, start, policy: 'pause', pauses: [] }).dueAt!;
    for (const [from, to] of [
      ['2024-03-04T10:00', '2024-03-05T10:00'],
      ['2024-03-04T16:59', '2024-03-08T07:01'],
      ['2024-03-05T12:00', '2024-03-05T14:00'], // over lunch
      ['2024-03-05T16:00', '2024-03-11T09:30'], // over a weekend
    ] as const) {
      const pause = { from: t(from), to: t(to) };
      const ledger = projectLedger(cal, { budgetMinutes, start, policy: 'pause', pauses: [pause] });
      const kept = moveKeptAppointment(cal, { dueBefore, pausedFrom: pause.from, resumedAt: pause.to });
      expect(kept.dueAt, `${from} → ${to}`).toBe(ledger.dueAt);
    }
  });

  it('does not move an appointment already passed when the pause began', () => {
    const dueBefore = t('2024-03-06T08:00');
    const kept = moveKeptAppointment(cal, { dueBefore, pausedFrom: t('2024-03-07T09:00'), resumedAt: t('2024-03-08T09:00') });
    expect(kept.dueAt).toBe(dueBefore);
    expect(kept.explanation[0]).toMatchObject({ kind: 'pause', counted: false });
  });
});
