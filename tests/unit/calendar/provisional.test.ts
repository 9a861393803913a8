/**
 * Beyond the loaded years (2021-2026) only weekends and the fixed solar holidays apply and the answers are
 * provisional; so are answers crossing a day whose status is 'provisional' (2026-09-01). Outside the compiled range
 * (default 2011-2041 for these loaded years) the engine throws RangeError.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  computeDueDate,
  isWorkingDay,
  touchesProvisional,
  workingMinutesBetween,
} from '../../../src/domain/calendar/index.js';
import { cal, t } from './fixtures.js';

const due = (start: string, amount: number) => computeDueDate(cal, { start: t(start), amount, unit: 'working_day' });

describe('beyond the loaded years', () => {
  it.each([
    ['2027-01-01', false], // Friday, Tết Dương lịch
    ['2027-04-30', false], // Friday
    ['2027-05-03', true], // Monday: no compensatory day is known for 01/05 on a Saturday
    ['2027-09-02', false], // Thursday, Quốc khánh
    ['2027-09-03', true],
    ['2027-02-08', true], // Tết Nguyên đán 2027 is not known: an ordinary Monday, provisional
    ['2015-09-02', false],
    ['2040-01-02', true],
    ['2040-05-01', false],
  ] as const)('%s working = %s', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it('1 working day on the last working day of 2026 is not provisional, 2 cross into 2027', () => {
    const one = due('2026-12-31T07:00', 1);
    expect(one.dueAt).toBe(t('2026-12-31T17:00'));
    expect(one.provisional).toBe(false);
    expect(one.explanation.some((e) => e.kind === 'provisional')).toBe(false);

    const two = due('2026-12-31T07:00', 2);
    expect(two.dueAt).toBe(t('2027-01-04T17:00'));
    expect(two.provisional).toBe(true);
    expect(two.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2027-01-01')).toMatchObject({
      reason: 'holiday',
      name: 'Tết Dương lịch',
      status: 'provisional',
    });
    expect(two.explanation.find((e) => e.kind === 'provisional')).toMatchObject({
      reasons: ['beyond_loaded_years'],
      years: [2027],
      dates: [],
    });
  });

  it('counts over 2027-09-02 and marks the answer provisional', () => {
    const r = due('2027-09-01T07:00', 2);
    expect(r.dueAt).toBe(t('2027-09-03T17:00'));
    expect(r.provisional).toBe(true);
    const intake = due('2027-09-02T09:00', 1);
    expect(intake.effectiveStart).toBe(t('2027-09-03T07:00'));
    expect(intake.provisional).toBe(true);
  });

  it('an intake on 2027-01-01 starts on Monday 2027-01-04', () => {
    expect(addWorkingDays(cal, t('2027-01-01T09:00'), 1)).toBe(t('2027-01-04T17:00'));
  });

  it('answers before the loaded years too, provisionally', () => {
    const r = due('2015-09-01T07:00', 2);
    expect(r.dueAt).toBe(t('2015-09-03T17:00'));
    expect(r.provisional).toBe(true);
  });

  it('throws RangeError outside the compiled range', () => {
    expect(() => due('2050-01-03T07:00', 1)).toThrow(RangeError);
    expect(() => due('2005-01-03T07:00', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, t('2041-12-31T07:00'), 2)).toThrow(RangeError);
    expect(() => workingMinutesBetween(cal, t('2024-01-01T00:00'), t('2060-01-01T00:00'))).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '1999-01-04')).toThrow(RangeError);
  });
});

describe('days whose status is provisional', () => {
  it('an answer crossing 2026-09-01 is provisional and names the day', () => {
    const r = due('2026-08-31T13:30', 1);
    expect(r.dueAt).toBe(t('2026-09-03T11:30'));
    expect(r.provisional).toBe(true);
    const p = r.explanation.find((e) => e.kind === 'provisional');
    expect(p).toMatchObject({ reasons: ['provisional_day'], dates: ['2026-09-01'] });
    expect(p?.text).toMatch(/Quốc khánh/);
  });

  it('an answer ending before it is not', () => {
    expect(due('2026-08-31T07:00', 1).provisional).toBe(false);
    expect(due('2026-08-28T07:00', 2).provisional).toBe(false);
  });

  it('touchesProvisional looks at the local dates of a range', () => {
    expect(touchesProvisional(cal, t('2026-08-31T08:00'), t('2026-09-03T08:00'))).toBe(true);
    expect(touchesProvisional(cal, t('2026-09-03T08:00'), t('2026-08-31T08:00'))).toBe(true);
    expect(touchesProvisional(cal, t('2026-09-02T08:00'), t('2026-09-03T08:00'))).toBe(false);
    expect(touchesProvisional(cal, t('2024-09-02T08:00'), t('2024-09-03T08:00'))).toBe(false);
  });
});
