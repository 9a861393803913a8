/**
 * The dossier clock: budget + pauses. Hand-computed on the week of Monday 2024-03-04 (07:00-11:30, 13:30-17:00).
 * Without pauses, 960 minutes from Monday 08:00 = 420 (Mon) + 480 (Tue) + 60 → Wednesday 08:00.
 */
import { describe, expect, it } from 'vitest';
import { projectLedger, type DossierClock, type Pause } from '../../../src/domain/calendar/index.js';
import { cal, t } from './fixtures.js';

const clock = (pauses: Pause[], extra: Partial<DossierClock> = {}): DossierClock => ({
  budgetMinutes: 960,
  start: t('2024-03-04T08:00'),
  policy: 'pause',
  pauses,
  ...extra,
});
const p = (from: string, to: string | null, reason?: string): Pause => ({
  from: t(from),
  to: to === null ? null : t(to),
  ...(reason ? { reason } : {}),
});

describe('policy pause', () => {
  it('no pause: due Wednesday 08:00', () => {
    const r = projectLedger(cal, clock([]));
    expect(r.dueAt).toBe(t('2024-03-06T08:00'));
    expect(r).toMatchObject({ stopped: false, pausedMinutes: 0, usedMinutes: 960, remainingMinutes: 0 });
  });

  it('a pause of 480 working minutes moves the due instant by one working day', () => {
    // Mon 10:00-11:30 (90) + 13:30-17:00 (210) + Tue 07:00-10:00 (180) = 480
    const r = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T10:00', 'yêu cầu bổ sung')]));
    expect(r.dueAt).toBe(t('2024-03-07T08:00'));
    expect(r.pausedMinutes).toBe(480);
    expect(r.explanation.find((e) => e.kind === 'pause')).toMatchObject({
      from: '2024-03-04T10:00:00+07:00',
      to: '2024-03-05T10:00:00+07:00',
      minutes: 480,
      counted: true,
      reason: 'yêu cầu bổ sung',
    });
    const counted = r.explanation.filter((e) => e.kind === 'day_counted').map((e) => [e.date, e.minutes]);
    expect(counted).toEqual([
      ['2024-03-04', 120],
      ['2024-03-05', 300],
      ['2024-03-06', 480],
      ['2024-03-07', 60],
    ]);
  });

  it('a pause outside working hours moves nothing', () => {
    expect(projectLedger(cal, clock([p('2024-03-04T18:00', '2024-03-05T06:00')])).dueAt).toBe(t('2024-03-06T08:00'));
  });

  it('two pauses add up; overlapping pauses count their union once', () => {
    const two = projectLedger(cal, clock([p('2024-03-05T14:00', '2024-03-05T15:00'), p('2024-03-04T10:00', '2024-03-04T11:00')]));
    expect(two.dueAt).toBe(t('2024-03-06T10:00'));
    expect(two.pausedMinutes).toBe(120);
    const overlap = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-04T11:00'), p('2024-03-04T10:30', '2024-03-04T11:30')]));
    expect(overlap.dueAt).toBe(t('2024-03-06T09:30'));
    expect(overlap.pausedMinutes).toBe(90);
  });

  it('a pause that starts after the budget ran out does not move the due instant', () => {
    const r = projectLedger(cal, clock([p('2024-03-06T09:00', '2024-03-07T09:00')]));
    expect(r.dueAt).toBe(t('2024-03-06T08:00'));
    expect(r.explanation.find((e) => e.kind === 'pause')).toMatchObject({ counted: false, minutes: 0 });
  });

  it('a pause before the effective start only counts from the effective start', () => {
    // intake Mon 17:30 → starts Tue 07:00; pause Mon 17:40 → Tue 09:00 = 120 working minutes
    const r = projectLedger(cal, clock([p('2024-03-04T17:40', '2024-03-05T09:00')], { start: t('2024-03-04T17:30') }));
    expect(r.effectiveStart).toBe(t('2024-03-05T07:00'));
    expect(r.pausedMinutes).toBe(120);
    expect(r.dueAt).toBe(t('2024-03-07T09:00'));
  });

  it('a pause across Tết 2024', () => {
    // Tue 02-06 09:00: 360 used that day, 60 on Wed until 08:00; paused Wed 08:00 → Thu 02-15 09:00 (420 + 120)
    const r = projectLedger(cal, {
      budgetMinutes: 480,
      start: t('2024-02-06T09:00'),
      policy: 'pause',
      pauses: [p('2024-02-07T08:00', '2024-02-15T09:00')],
    });
    expect(r.pausedMinutes).toBe(540);
    expect(r.dueAt).toBe(t('2024-02-15T10:00'));
  });
});

describe('open pause and minutes used', () => {
  it('an open pause stops the clock: no due instant, minutes used so far reported', () => {
    const r = projectLedger(cal, clock([p('2024-03-04T10:00', null)]));
    expect(r).toMatchObject({ stopped: true, dueAt: null, dueAtLocal: null, usedMinutes: 120, remainingMinutes: 840 });
    expect(r.explanation.at(-1)).toMatchObject({ kind: 'due', dueAt: null });
    const later = projectLedger(cal, clock([p('2024-03-04T10:00', null)]), { at: t('2024-03-05T09:00') });
    expect(later.pausedMinutes).toBe(420);
    expect(later.usedMinutes).toBe(120);
  });

  it('remaining minutes at an instant, for "due soon" (≤ 1 working day left) and overdue', () => {
    const at = (local: string) => projectLedger(cal, clock([]), { at: t(local) });
    expect(at('2024-03-04T07:30')).toMatchObject({ usedMinutes: 0, remainingMinutes: 960 });
    expect(at('2024-03-05T09:00')).toMatchObject({ usedMinutes: 540, remainingMinutes: 420 });
    expect(at('2024-03-06T10:00')).toMatchObject({ usedMinutes: 1080, remainingMinutes: -120 });
    const paused = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T10:00')]), { at: t('2024-03-05T11:00') });
    expect(paused).toMatchObject({ usedMinutes: 180, remainingMinutes: 780 });
    const during = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T10:00')]), { at: t('2024-03-04T15:00') });
    expect(during.usedMinutes).toBe(120);
  });

  it('rejects inconsistent ledgers', () => {
    expect(() => projectLedger(cal, clock([p('2024-03-04T12:00', '2024-03-04T11:00')]))).toThrow(RangeError);
    expect(() => projectLedger(cal, clock([p('2024-03-04T07:00', '2024-03-04T09:00')]))).toThrow(RangeError);
    expect(() => projectLedger(cal, clock([p('2024-03-04T09:00', null), p('2024-03-04T10:00', '2024-03-04T11:00')]))).toThrow(
      RangeError,
    );
    expect(() => projectLedger(cal, clock([], { budgetMinutes: -1 }))).toThrow(RangeError);
  });
});

describe('policy restart', () => {
  it('the full budget restarts at the resume instant', () => {
    // resume Tue 10:00: 300 (Tue) + 480 (Wed) + 180 → Thu 10:00
    const r = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T10:00')], { policy: 'restart' }));
    expect(r.dueAt).toBe(t('2024-03-07T10:00'));
    expect(r.explanation.find((e) => e.kind === 'restart')).toMatchObject({
      effectiveStart: '2024-03-05T10:00:00+07:00',
      discardedMinutes: 120,
    });
    const used = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T10:00')], { policy: 'restart' }), {
      at: t('2024-03-05T11:00'),
    });
    expect(used).toMatchObject({ usedMinutes: 60, remainingMinutes: 900 });
  });

  it('the resume instant gets the start rules and the cut-off, like an intake', () => {
    const cut = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T15:30')], { policy: 'restart', cutoff: '15:00' }));
    expect(cut.dueAt).toBe(t('2024-03-07T17:00'));
    const lunch = projectLedger(cal, clock([p('2024-03-04T10:00', '2024-03-05T12:00')], { policy: 'restart' }));
    expect(lunch.dueAt).toBe(t('2024-03-07T11:30'));
  });

  it('restarts after a holiday block', () => {
    const r = projectLedger(cal, {
      budgetMinutes: 480,
      start: t('2024-02-06T09:00'),
      policy: 'restart',
      pauses: [p('2024-02-07T08:00', '2024-02-10T09:00')],
    });
    expect(r.dueAt).toBe(t('2024-02-15T17:00'));
  });
});
