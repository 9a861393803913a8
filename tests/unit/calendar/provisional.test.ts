/**
 * Beyond the loaded years (2021-2027) the holidays are computed from the law (Tết and Giỗ Tổ by the lunar calendar)
 * and the answers are provisional; so are answers crossing a day whose status is 'provisional' (Tết 2027). Outside
 * the compiled range (default 2011-2042 for these loaded years) the engine throws RangeError.
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
    ['2028-01-03', false], // Monday, nghỉ bù Tết Dương lịch (01/01 is a Saturday)
    ['2028-01-24', false], // Tết Nguyên đán Mậu Thân: 24-28/01 (mùng 1 Wednesday 26/01), computed
    ['2028-01-28', false],
    ['2028-01-31', true],
    ['2028-04-04', false], // Giỗ Tổ, 10/3 âm lịch
    ['2028-05-02', false], // nghỉ bù Ngày Chiến thắng (30/04 is a Sunday)
    ['2028-09-01', false], // Quốc khánh's adjacent day (02/09 is a Saturday: the Friday before)
    ['2028-09-04', false], // nghỉ bù Quốc khánh
    ['2028-11-24', false], // Ngày Văn hóa Việt Nam
    ['2015-09-02', false],
    ['2040-01-02', false], // nghỉ bù: 01/01/2040 is a Sunday
    ['2040-01-03', true],
    ['2040-05-01', false],
  ] as const)('%s working = %s', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it('1 working day on the last working day of 2027 is not provisional, 2 cross into 2028', () => {
    const one = due('2027-12-31T07:00', 1);
    expect(one.dueAt).toBe(t('2027-12-31T17:00'));
    expect(one.provisional).toBe(false);
    expect(one.explanation.some((e) => e.kind === 'provisional')).toBe(false);

    const two = due('2027-12-31T07:00', 2);
    expect(two.dueAt).toBe(t('2028-01-04T17:00'));
    expect(two.provisional).toBe(true);
    expect(two.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2028-01-03')).toMatchObject({
      reason: 'compensatory_off',
      name: 'Nghỉ bù Tết Dương lịch (01/01 là thứ Bảy)',
      status: 'provisional',
    });
    expect(two.explanation.find((e) => e.kind === 'provisional')).toMatchObject({
      reasons: ['beyond_loaded_years'],
      years: [2028],
      dates: [],
    });
  });

  it('a deadline into 2028 skips Tết computed by the lunar calendar, provisional, and says so', () => {
    // Friday 2028-01-21 07:00, 2 working days: Fri counts; Tết 24-28/01 and the weekends are skipped.
    const r = due('2028-01-21T07:00', 2);
    expect(r.dueAt).toBe(t('2028-01-31T17:00'));
    expect(r.provisional).toBe(true);
    const mung1 = r.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2028-01-26');
    expect(mung1).toMatchObject({ reason: 'holiday', name: 'Tết Nguyên đán Mậu Thân (mùng 1)', status: 'provisional' });
    expect(mung1?.kind === 'day_skipped' && mung1.source).toMatch(/lunar calendar, UTC\+7/);
    const prov = r.explanation.find((e) => e.kind === 'provisional');
    expect(prov?.text).toMatch(/2028 is beyond the loaded calendar \(2021-2027\)/);
    expect(prov?.text).toMatch(/2028-01-26 Tết Nguyên đán Mậu Thân \(mùng 1\)/);
  });

  it('an intake on 2028-01-01 starts on Tuesday 2028-01-04', () => {
    expect(addWorkingDays(cal, t('2028-01-01T09:00'), 1)).toBe(t('2028-01-04T17:00'));
  });

  it('answers before the loaded years too, provisionally', () => {
    const r = due('2015-09-01T07:00', 2);
    expect(r.dueAt).toBe(t('2015-09-03T17:00'));
    expect(r.provisional).toBe(true);
  });

  it('throws RangeError outside the compiled range', () => {
    expect(() => due('2050-01-03T07:00', 1)).toThrow(RangeError);
    expect(() => due('2005-01-03T07:00', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, t('2042-12-31T07:00'), 2)).toThrow(RangeError);
    expect(() => workingMinutesBetween(cal, t('2024-01-01T00:00'), t('2060-01-01T00:00'))).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '1999-01-04')).toThrow(RangeError);
  });
});

describe('days whose status is provisional', () => {
  it('an answer crossing Tết 2027 (provisional in the data) is provisional and names the days', () => {
    const r = due('2027-02-03T13:30', 1);
    expect(r.dueAt).toBe(t('2027-02-11T11:30'));
    expect(r.provisional).toBe(true);
    const p = r.explanation.find((e) => e.kind === 'provisional');
    expect(p).toMatchObject({ reasons: ['provisional_day'], dates: ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'] });
    expect(p?.text).toMatch(/Tết Nguyên đán Đinh Mùi/);
  });

  it('an answer ending before it is not', () => {
    expect(due('2027-02-03T07:00', 1).provisional).toBe(false);
    expect(due('2027-02-01T07:00', 3).provisional).toBe(false);
  });

  it('touchesProvisional looks at the local dates of a range', () => {
    expect(touchesProvisional(cal, t('2027-02-03T08:00'), t('2027-02-11T08:00'))).toBe(true);
    expect(touchesProvisional(cal, t('2027-02-11T08:00'), t('2027-02-03T08:00'))).toBe(true);
    expect(touchesProvisional(cal, t('2027-02-11T08:00'), t('2027-02-12T08:00'))).toBe(false);
    expect(touchesProvisional(cal, t('2024-09-02T08:00'), t('2024-09-03T08:00'))).toBe(false);
  });
});
