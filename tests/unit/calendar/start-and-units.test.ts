/**
 * Start rules (inside a period, before opening, lunch, after hours, weekend, cut-off) and the four time units, on
 * the ordinary week of Monday 2024-03-04 … Sunday 2024-03-10 (no holidays) unless stated. Expected values are
 * hand-computed with 07:00-11:30 / 13:30-17:00.
 */
import { describe, expect, it } from 'vitest';
import { computeDueDate, effectiveStart, type StartRule, type TimeUnit } from '../../../src/domain/calendar/index.js';
import { cal, t } from './fixtures.js';

describe('effective start', () => {
  it.each([
    ['2024-03-04T09:15', undefined, 'inside_period', '2024-03-04T09:15'],
    ['2024-03-04T07:00', undefined, 'inside_period', '2024-03-04T07:00'],
    ['2024-03-04T13:30', undefined, 'inside_period', '2024-03-04T13:30'],
    ['2024-03-04T16:59', undefined, 'inside_period', '2024-03-04T16:59'],
    ['2024-03-04T00:00', undefined, 'before_opening', '2024-03-04T07:00'],
    ['2024-03-04T06:30', undefined, 'before_opening', '2024-03-04T07:00'],
    ['2024-03-04T11:30', undefined, 'break', '2024-03-04T13:30'],
    ['2024-03-04T12:10', undefined, 'break', '2024-03-04T13:30'],
    ['2024-03-04T17:00', undefined, 'after_hours', '2024-03-05T07:00'],
    ['2024-03-04T21:45', undefined, 'after_hours', '2024-03-05T07:00'],
    ['2024-03-08T17:30', undefined, 'after_hours', '2024-03-11T07:00'],
    ['2024-03-09T10:00', undefined, 'non_working_day', '2024-03-11T07:00'],
    ['2024-03-10T23:59', undefined, 'non_working_day', '2024-03-11T07:00'],
    ['2024-03-04T15:00', '15:00', 'cutoff', '2024-03-05T07:00'],
    ['2024-03-04T14:59', '15:00', 'inside_period', '2024-03-04T14:59'],
    ['2024-03-04T12:00', '15:00', 'break', '2024-03-04T13:30'],
    ['2024-03-08T15:30', '15:00', 'cutoff', '2024-03-11T07:00'],
    ['2024-03-09T10:00', '15:00', 'non_working_day', '2024-03-11T07:00'],
    ['2024-03-04T10:00', '09:30', 'cutoff', '2024-03-05T07:00'],
    ['2024-02-07T15:30', '15:00', 'cutoff', '2024-02-15T07:00'], // the day before Tết 2024
  ] as const)('intake %s (cut-off %s) → %s, starts %s', (intake, cutoff, rule, start) => {
    const r = computeDueDate(cal, { start: t(intake), amount: 1, unit: 'working_day', cutoff });
    expect(r.startRule).toBe(rule satisfies StartRule);
    expect(r.effectiveStart).toBe(t(start));
    expect(effectiveStart(cal, t(intake), cutoff)).toBe(t(start));
    expect(r.explanation[0]).toMatchObject({ kind: 'start', rule });
  });

  it('rounds a sub-minute intake up to the next whole minute', () => {
    expect(effectiveStart(cal, t('2024-03-04T09:15') + 30_000)).toBe(t('2024-03-04T09:16'));
    expect(effectiveStart(cal, t('2024-03-04T16:59') + 1)).toBe(t('2024-03-05T07:00'));
  });

  it('explains the weekend and the cut-off in the start entry', () => {
    const sat = computeDueDate(cal, { start: t('2024-03-09T10:00'), amount: 1, unit: 'working_day' });
    expect(sat.explanation[0]?.text).toMatch(/weekend/);
    const cut = computeDueDate(cal, { start: t('2024-03-04T15:20'), amount: 1, unit: 'working_day', cutoff: '15:00' });
    expect(cut.explanation[0]).toMatchObject({ kind: 'start', rule: 'cutoff', cutoff: '15:00' });
    expect(cut.explanation[0]?.text).toMatch(/15:00/);
  });
});

const cases: [unit: TimeUnit, start: string, amount: number, cutoff: string | undefined, due: string][] = [
  // working days: the earliest instant at which the budget is used up
  ['working_day', '2024-03-04T07:00', 1, undefined, '2024-03-04T17:00'],
  ['working_day', '2024-03-04T13:30', 1, undefined, '2024-03-05T11:30'],
  ['working_day', '2024-03-04T12:00', 1, undefined, '2024-03-05T11:30'], // lunch intake
  ['working_day', '2024-03-04T16:59', 1, undefined, '2024-03-05T16:59'],
  ['working_day', '2024-03-04T09:00', 5, undefined, '2024-03-11T09:00'],
  ['working_day', '2024-03-08T18:00', 1, undefined, '2024-03-11T17:00'],
  ['working_day', '2024-03-04T15:10', 1, '15:00', '2024-03-05T17:00'],
  ['working_day', '2024-03-04T07:00', 0, undefined, '2024-03-04T07:00'],
  ['working_day', '2024-03-04T18:00', 0, undefined, '2024-03-05T07:00'],
  ['working_day', '2024-03-04T07:00', 10, undefined, '2024-03-15T17:00'],
  // working hours
  ['working_hour', '2024-03-04T09:00', 4, undefined, '2024-03-04T15:00'],
  ['working_hour', '2024-03-04T07:00', 8, undefined, '2024-03-04T17:00'],
  ['working_hour', '2024-03-04T10:30', 2, undefined, '2024-03-04T14:30'],
  ['working_hour', '2024-03-04T16:30', 1, undefined, '2024-03-05T07:30'],
  ['working_hour', '2024-03-04T07:00', 4.5, undefined, '2024-03-04T11:30'], // exactly at a period end
  ['working_hour', '2024-03-04T12:00', 1, undefined, '2024-03-04T14:30'],
  ['working_hour', '2024-03-08T16:00', 2, undefined, '2024-03-11T08:00'],
  // same day: the close of the effective start's day
  ['same_day', '2024-03-04T09:00', 1, undefined, '2024-03-04T17:00'],
  ['same_day', '2024-03-04T16:59', 0, undefined, '2024-03-04T17:00'],
  ['same_day', '2024-03-04T17:30', 1, undefined, '2024-03-05T17:00'],
  ['same_day', '2024-03-04T15:10', 1, '15:00', '2024-03-05T17:00'],
  ['same_day', '2024-03-09T09:00', 1, undefined, '2024-03-11T17:00'],
  ['same_day', '2024-02-07T18:00', 1, undefined, '2024-02-15T17:00'],
  // calendar days (Bộ luật Dân sự 2015 Art. 147-148)
  ['calendar_day', '2024-03-04T09:00', 3, undefined, '2024-03-07T17:00'],
  ['calendar_day', '2024-03-04T09:00', 5, undefined, '2024-03-11T17:00'], // last day Saturday → Monday
  ['calendar_day', '2024-03-04T09:00', 6, undefined, '2024-03-11T17:00'], // last day Sunday → Monday
  ['calendar_day', '2024-03-04T09:00', 0, undefined, '2024-03-04T17:00'],
  ['calendar_day', '2024-03-08T18:00', 2, undefined, '2024-03-13T17:00'], // counted from the effective start, Monday
  ['calendar_day', '2024-02-07T09:00', 1, undefined, '2024-02-15T17:00'], // last day in Tết → after Tết
  ['calendar_day', '2024-02-07T09:00', 3, undefined, '2024-02-15T17:00'],
  ['calendar_day', '2024-04-25T09:00', 9, undefined, '2024-05-04T17:00'], // make-up Saturday is a working day
  ['calendar_day', '2024-04-01T09:00', 30, undefined, '2024-05-02T17:00'], // 01/05 holiday → 02/05
  ['calendar_day', '2024-03-04T15:30', 1, '15:00', '2024-03-06T17:00'],
];

describe.each(cases)('%s: intake %s, amount %s, cut-off %s', (unit, start, amount, cutoff, expected) => {
  it(`is due ${expected}`, () => {
    const r = computeDueDate(cal, { start: t(start), amount, unit, cutoff });
    expect(r.dueAt).toBe(t(expected));
    expect(r.dueAtLocal).toBe(`${expected}:00+07:00`);
    expect(r.provisional).toBe(false);
    const last = r.explanation.at(-1);
    expect(last).toMatchObject({ kind: 'due', dueAt: `${expected}:00+07:00` });
  });
});

describe('units: budgets, amounts and explanations', () => {
  it('reports the working minutes between effective start and due as the budget', () => {
    expect(computeDueDate(cal, { start: t('2024-03-04T09:00'), amount: 3, unit: 'working_day' }).budgetMinutes).toBe(1440);
    expect(computeDueDate(cal, { start: t('2024-03-04T09:00'), amount: 3, unit: 'working_hour' }).budgetMinutes).toBe(180);
    expect(computeDueDate(cal, { start: t('2024-03-04T09:00'), amount: 1, unit: 'same_day' }).budgetMinutes).toBe(360); // 150 + 210
    expect(computeDueDate(cal, { start: t('2024-03-04T09:00'), amount: 5, unit: 'calendar_day' }).budgetMinutes).toBe(
      360 + 4 * 480 + 480, // Mon 09:00-17:00, Tue-Fri, then Monday 11 March (Saturday last day moved)
    );
  });

  it('counts the minutes of each working day in the explanation', () => {
    const r = computeDueDate(cal, { start: t('2024-03-08T13:30'), amount: 1, unit: 'working_day' });
    expect(r.dueAt).toBe(t('2024-03-11T11:30'));
    const days = r.explanation.filter((e) => e.kind === 'day_counted' || e.kind === 'day_skipped');
    expect(days.map((e) => [e.kind, e.date, e.kind === 'day_counted' ? e.minutes : e.reason])).toEqual([
      ['day_counted', '2024-03-08', 210],
      ['day_skipped', '2024-03-09', 'weekend'],
      ['day_skipped', '2024-03-10', 'weekend'],
      ['day_counted', '2024-03-11', 270],
    ]);
  });

  it('explains calendar days with the civil-code rule and the days moved over', () => {
    const r = computeDueDate(cal, { start: t('2024-02-07T09:00'), amount: 3, unit: 'calendar_day' });
    expect(r.explanation[1]).toMatchObject({
      kind: 'calendar_days',
      fromDate: '2024-02-07',
      lastDate: '2024-02-10',
      dueDate: '2024-02-15',
    });
    expect(r.explanation[1]?.text).toMatch(/147-148/);
    const skipped = r.explanation.filter((e) => e.kind === 'day_skipped').map((e) => e.date);
    expect(skipped).toEqual(['2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14']);
  });

  it('rejects invalid amounts', () => {
    const start = t('2024-03-04T09:00');
    expect(() => computeDueDate(cal, { start, amount: -1, unit: 'working_day' })).toThrow(RangeError);
    expect(() => computeDueDate(cal, { start, amount: 1.5, unit: 'calendar_day' })).toThrow(RangeError);
    expect(() => computeDueDate(cal, { start, amount: 0.01, unit: 'working_hour' })).toThrow(RangeError);
    expect(() => computeDueDate(cal, { start, amount: Number.NaN, unit: 'working_day' })).toThrow(RangeError);
    expect(() => computeDueDate(cal, { start, amount: 1, unit: 'week' as TimeUnit })).toThrow(RangeError);
    expect(() => computeDueDate(cal, { start, amount: 1, unit: 'working_day', cutoff: '3pm' })).toThrow(RangeError);
  });

  it('accepts half working days and Date / ISO string instants', () => {
    const r = computeDueDate(cal, { start: new Date(t('2024-03-04T07:00')), amount: 0.5, unit: 'working_day' });
    expect(r.dueAt).toBe(t('2024-03-04T11:00'));
    const s = computeDueDate(cal, { start: '2024-03-04T00:00:00Z', amount: 1, unit: 'working_day' });
    expect(s.dueAt).toBe(t('2024-03-04T17:00'));
  });

  it('can skip building the explanation', () => {
    const r = computeDueDate(cal, { start: t('2024-03-04T07:00'), amount: 1, unit: 'working_day' }, { explain: false });
    expect(r.explanation).toEqual([]);
    expect(r.dueAt).toBe(t('2024-03-04T17:00'));
  });

  it('summarises long spans but keeps holidays listed', () => {
    const r = computeDueDate(cal, { start: t('2024-01-02T07:00'), amount: 200, unit: 'working_day' });
    const omitted = r.explanation.find((e) => e.kind === 'days_omitted');
    expect(omitted).toBeDefined();
    expect(r.explanation.length).toBeLessThan(60);
    expect(r.explanation.some((e) => e.kind === 'day_skipped' && e.date === '2024-04-18')).toBe(true);
    const listed = computeDueDate(cal, { start: t('2024-03-04T07:00'), amount: 60, unit: 'working_day' });
    expect(listed.explanation.filter((e) => e.kind === 'day_counted')).toHaveLength(60);
  });
});
