/** Compiling: validation, custom working hours, one calendar per hours setting, and the local-time helpers. */
import { describe, expect, it } from 'vitest';
import {
  addWorkingMinutes,
  compileCalendar,
  computeDueDate,
  createCalendarCache,
  DEFAULT_WORKING_HOURS,
  formatInstant,
  hoursKey,
  isWorkingDay,
  isWorkingInstant,
  localDateOf,
  nextWorkingInstant,
  toEpochMs,
  workingMinutesBetween,
  workingMinutesOnDate,
  type CalendarDay,
  type WorkingHours,
} from '../../../src/domain/calendar/index.js';
import { cal, seed, seedFile, t } from './fixtures.js';

const hours = (...p: [string, string][]): WorkingHours => ({ periods: p.map(([start, end]) => ({ start, end })) });
const day = (date: string, kind: CalendarDay['kind'], status: CalendarDay['status'] = 'official'): CalendarDay => ({
  date,
  kind,
  name: `test ${kind}`,
  source: null,
  status,
});

describe('seed and compile', () => {
  it('reads the seed file: 2021-2027, year sources attached', () => {
    expect(seed.loadedYears).toEqual({ from: 2021, to: 2027 });
    expect(seed.days).toHaveLength(Object.values(seedFile.years).reduce((n, y) => n + y.days.length, 0));
    expect(seed.days.find((d) => d.date === '2023-01-20')?.source).toBe('Công văn 8056/VPCP-KGVX (01/12/2022)');
    expect(cal.compiledYears).toEqual({ from: 2011, to: 2042 });
  });

  it('rejects duplicate dates, unknown kinds and statuses, bad loaded years', () => {
    const base = { loadedYears: { from: 2024, to: 2024 }, hours: DEFAULT_WORKING_HOURS };
    expect(() => compileCalendar({ ...base, days: [day('2024-01-01', 'holiday'), day('2024-01-01', 'holiday')] })).toThrow(
      RangeError,
    );
    expect(() => compileCalendar({ ...base, days: [{ ...day('2024-01-01', 'holiday'), kind: 'party' as never }] })).toThrow(
      RangeError,
    );
    expect(() => compileCalendar({ ...base, days: [{ ...day('2024-01-01', 'holiday'), status: 'maybe' as never }] })).toThrow(
      RangeError,
    );
    expect(() => compileCalendar({ ...base, days: [day('2024-02-30', 'holiday')] })).toThrow(RangeError);
    expect(() => compileCalendar({ ...base, days: [], loadedYears: { from: 2025, to: 2024 } })).toThrow(RangeError);
  });

  it('applies an administrator change after recompiling', () => {
    const changed = compileCalendar({ ...seed, days: [...seed.days, day('2024-03-05', 'holiday')], hours: DEFAULT_WORKING_HOURS });
    expect(isWorkingDay(cal, '2024-03-05')).toBe(true);
    expect(isWorkingDay(changed, '2024-03-05')).toBe(false);
    expect(computeDueDate(changed, { start: t('2024-03-04T07:00'), amount: 2, unit: 'working_day' }).dueAt).toBe(
      t('2024-03-06T17:00'),
    );
  });

  it('a listed day beyond the loaded years overrides the computed ones and stays provisional', () => {
    const c = compileCalendar({ ...seed, days: [...seed.days, day('2028-02-08', 'holiday', 'official')], hours: DEFAULT_WORKING_HOURS });
    expect(isWorkingDay(cal, '2028-02-08')).toBe(true);
    expect(isWorkingDay(c, '2028-02-08')).toBe(false);
    const r = computeDueDate(c, { start: t('2028-02-07T07:00'), amount: 2, unit: 'working_day' });
    expect(r.dueAt).toBe(t('2028-02-09T17:00'));
    expect(r.provisional).toBe(true);
  });

  it('honours an explicit compiled range', () => {
    const c = compileCalendar({ ...seed, hours: DEFAULT_WORKING_HOURS, compiledYears: { from: 2020, to: 2030 } });
    expect(isWorkingDay(c, '2030-12-31')).toBe(true);
    expect(() => isWorkingDay(c, '2031-01-02')).toThrow(RangeError);
  });
});

describe('working hours', () => {
  it('rejects invalid settings', () => {
    expect(() => hoursKey(hours())).toThrow(RangeError);
    expect(() => hoursKey(hours(['07:00', '12:00'], ['11:00', '17:00']))).toThrow(RangeError);
    expect(() => hoursKey(hours(['13:00', '17:00'], ['07:00', '11:00']))).toThrow(RangeError);
    expect(() => hoursKey(hours(['17:00', '07:00']))).toThrow(RangeError);
    expect(() => hoursKey(hours(['07:00', '25:00']))).toThrow(RangeError);
    expect(() => hoursKey(hours(['7:00', '11:00']))).toThrow(RangeError);
    expect(hoursKey(DEFAULT_WORKING_HOURS)).toBe('07:00-11:30,13:30-17:00');
  });

  it('a desk with 07:30-11:30 / 13:00-17:00', () => {
    const c = compileCalendar({ ...seed, hours: hours(['07:30', '11:30'], ['13:00', '17:00']) });
    expect(c.hours.dayMinutes).toBe(480);
    expect(computeDueDate(c, { start: t('2024-03-04T13:30'), amount: 1, unit: 'working_day' }).dueAt).toBe(t('2024-03-05T13:30'));
    expect(computeDueDate(c, { start: t('2024-03-04T07:00'), amount: 1, unit: 'same_day' }).dueAt).toBe(t('2024-03-04T17:00'));
    expect(computeDueDate(c, { start: t('2024-03-04T12:00'), amount: 1, unit: 'working_hour' }).dueAt).toBe(t('2024-03-04T14:00'));
  });

  it('three periods, and a standard day of 420 minutes', () => {
    const three = compileCalendar({ ...seed, hours: hours(['08:00', '12:00'], ['13:00', '15:00'], ['15:30', '17:30']) });
    expect(three.hours.dayMinutes).toBe(480);
    const r = computeDueDate(three, { start: t('2024-03-04T15:15'), amount: 1, unit: 'working_hour' });
    expect(r.startRule).toBe('break');
    expect(r.dueAt).toBe(t('2024-03-04T16:30'));
    expect(computeDueDate(three, { start: t('2024-03-04T14:00'), amount: 1, unit: 'working_day' }).dueAt).toBe(
      t('2024-03-05T14:00'),
    );
    const short = compileCalendar({ ...seed, hours: hours(['07:30', '11:30'], ['13:30', '16:30']) });
    expect(short.hours.dayMinutes).toBe(420);
    expect(computeDueDate(short, { start: t('2024-03-04T07:30'), amount: 1, unit: 'working_day' }).dueAt).toBe(t('2024-03-04T16:30'));
    expect(computeDueDate(short, { start: t('2024-03-04T17:00'), amount: 2, unit: 'working_day' }).dueAt).toBe(t('2024-03-06T16:30'));
  });

  it('a single period reaching midnight', () => {
    const c = compileCalendar({ ...seed, hours: hours(['20:00', '24:00']) });
    expect(computeDueDate(c, { start: t('2024-03-04T21:00'), amount: 1, unit: 'working_day' }).dueAt).toBe(t('2024-03-05T21:00'));
    expect(computeDueDate(c, { start: t('2024-03-08T20:00'), amount: 1, unit: 'working_day' }).dueAt).toBe(t('2024-03-09T00:00'));
  });

  it('compiles one calendar per distinct hours setting', () => {
    const cache = createCalendarCache(seed);
    const a = cache.forHours(DEFAULT_WORKING_HOURS);
    const b = cache.forHours(hours(['07:00', '11:30'], ['13:30', '17:00']));
    const c = cache.forHours(hours(['07:30', '11:30'], ['13:00', '17:00']));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(cache.size).toBe(2);
  });
});

describe('working-time primitives', () => {
  it('workingMinutesBetween is signed and O(1) over long ranges', () => {
    expect(workingMinutesBetween(cal, t('2024-03-04T07:00'), t('2024-03-04T17:00'))).toBe(480);
    expect(workingMinutesBetween(cal, t('2024-03-04T17:00'), t('2024-03-04T07:00'))).toBe(-480);
    expect(workingMinutesBetween(cal, t('2024-03-04T11:00'), t('2024-03-04T14:00'))).toBe(60);
    expect(workingMinutesBetween(cal, t('2024-03-08T17:00'), t('2024-03-11T07:00'))).toBe(0);
    // 2024: 262 weekdays - 12 weekdays off (01/01, 5 Tết, 18/04, 29/04, 30/04, 01/05, 02/09, 03/09) + 1 make-up Saturday
    expect(workingMinutesBetween(cal, t('2024-01-01T00:00'), t('2025-01-01T00:00'))).toBe(251 * 480);
  });

  it('addWorkingMinutes goes forward and back to the earliest instant', () => {
    expect(addWorkingMinutes(cal, t('2024-03-04T07:00'), 270)).toBe(t('2024-03-04T11:30'));
    expect(addWorkingMinutes(cal, t('2024-03-04T07:00'), 271)).toBe(t('2024-03-04T13:31'));
    expect(addWorkingMinutes(cal, t('2024-03-04T18:00'), 60)).toBe(t('2024-03-05T08:00'));
    expect(addWorkingMinutes(cal, t('2024-03-04T18:00'), 0)).toBe(t('2024-03-04T18:00'));
    expect(addWorkingMinutes(cal, t('2024-03-05T17:00'), -480)).toBe(t('2024-03-04T17:00'));
    expect(addWorkingMinutes(cal, t('2024-02-15T08:00'), -120)).toBe(t('2024-02-07T16:00'));
    expect(() => addWorkingMinutes(cal, t('2024-03-04T07:00'), 1.5)).toThrow(RangeError);
  });

  it('isWorkingInstant, nextWorkingInstant, workingMinutesOnDate', () => {
    expect(isWorkingInstant(cal, t('2024-03-04T07:00'))).toBe(true);
    expect(isWorkingInstant(cal, t('2024-03-04T11:30'))).toBe(false);
    expect(isWorkingInstant(cal, t('2024-03-09T09:00'))).toBe(false);
    expect(nextWorkingInstant(cal, t('2024-03-04T11:45'))).toBe(t('2024-03-04T13:30'));
    // Inside working time: the instant itself, not the next whole minute; just after a period ends: the next one.
    expect(nextWorkingInstant(cal, t('2024-03-04T09:00') + 1500)).toBe(t('2024-03-04T09:00') + 1500);
    expect(nextWorkingInstant(cal, t('2024-03-04T11:29') + 59_000)).toBe(t('2024-03-04T11:29') + 59_000);
    expect(nextWorkingInstant(cal, t('2024-03-04T11:30') + 1)).toBe(t('2024-03-04T13:30'));
    expect(workingMinutesOnDate(cal, '2024-05-04')).toBe(480);
    expect(workingMinutesOnDate(cal, '2024-05-01')).toBe(0);
  });
});

describe('local time (UTC+7, independent of the process time zone)', () => {
  it('parses and formats instants', () => {
    expect(toEpochMs('2024-02-07T07:00')).toBe(Date.parse('2024-02-07T07:00:00+07:00'));
    expect(toEpochMs('2024-02-07 07:00:30')).toBe(Date.parse('2024-02-07T07:00:30+07:00'));
    expect(toEpochMs('2024-02-07T00:00:00Z')).toBe(Date.parse('2024-02-07T00:00:00Z'));
    expect(toEpochMs('2024-02-07T02:00:00.250+0200')).toBe(Date.parse('2024-02-07T00:00:00.250Z'));
    expect(toEpochMs('2024-02-07')).toBe(Date.parse('2024-02-07T00:00:00+07:00'));
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(formatInstant(Date.parse('2024-02-07T10:00:00Z'))).toBe('2024-02-07T17:00:00+07:00');
    expect(formatInstant(Date.parse('2024-12-31T17:00:00Z'))).toBe('2025-01-01T00:00:00+07:00');
    expect(localDateOf(Date.parse('2024-12-31T16:59:00Z'))).toBe('2024-12-31');
    expect(localDateOf(Date.parse('2024-12-31T17:00:00Z'))).toBe('2025-01-01');
  });

  it('rejects malformed instants', () => {
    for (const bad of ['2024-02-30T07:00', '2024-13-01', '07:00', '2024-02-07T24:00', 'yesterday', '']) {
      expect(() => toEpochMs(bad), bad).toThrow(RangeError);
    }
    expect(() => toEpochMs(Number.NaN)).toThrow(RangeError);
  });
});
