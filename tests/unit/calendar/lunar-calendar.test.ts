/**
 * The Vietnamese lunar calendar from the astronomy (src/domain/calendar/lunar-calendar.ts), against dates published
 * independently: Tết Nguyên đán 2021-2031, Giỗ Tổ Hùng Vương (10/3 âm lịch) of the official notices 2021-2027, and
 * the years in which the Vietnamese calendar (UTC+7) and the Chinese one (the same rules at UTC+8) differ.
 */
import { describe, expect, it } from 'vitest';
import { canChi, lunarToDayNumber, lunarYear } from '../../../src/domain/calendar/index.js';
import { dateOfDayNumber } from '../../../src/domain/calendar/local-time.js';

const tet = (year: number, offset?: number) => dateOfDayNumber(lunarToDayNumber(year, 1, 1, offset));
const gioTo = (year: number) => dateOfDayNumber(lunarToDayNumber(year, 3, 10));

describe('Tết Nguyên đán (1/1 âm lịch) at UTC+7', () => {
  it.each([
    [2021, '2021-02-12', 'Tân Sửu'],
    [2022, '2022-02-01', 'Nhâm Dần'],
    [2023, '2023-01-22', 'Quý Mão'],
    [2024, '2024-02-10', 'Giáp Thìn'],
    [2025, '2025-01-29', 'Ất Tỵ'],
    [2026, '2026-02-17', 'Bính Ngọ'],
    [2027, '2027-02-06', 'Đinh Mùi'],
    [2028, '2028-01-26', 'Mậu Thân'],
    [2029, '2029-02-13', 'Kỷ Dậu'],
    [2030, '2030-02-02', 'Canh Tuất'],
    [2031, '2031-01-23', 'Tân Hợi'],
  ] as const)('%i: %s (%s)', (year, date, name) => {
    expect(tet(year)).toBe(date);
    expect(canChi(year)).toBe(name);
  });
});

describe('Giỗ Tổ Hùng Vương (10/3 âm lịch)', () => {
  it.each([
    [2021, '2021-04-21'],
    [2022, '2022-04-10'],
    [2023, '2023-04-29'], // after the leap 2nd month of Quý Mão
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ] as const)('%i: %s', (year, date) => {
    expect(gioTo(year)).toBe(date);
  });
});

describe('where the Vietnamese and Chinese calendars differ', () => {
  it('1985: month 11 of Giáp Tý differs at UTC+7, so Tết Ất Sửu is 21/01 in Vietnam and 20/02 in China', () => {
    expect(tet(1985)).toBe('1985-01-21');
    expect(tet(1985, 8)).toBe('1985-02-20');
  });

  it('2007: the new moon of 17/02 16:14 UTC is 23:14 in Hà Nội and 00:14 on the 18th in Beijing', () => {
    expect(tet(2007)).toBe('2007-02-17');
    expect(tet(2007, 8)).toBe('2007-02-18');
  });

  it('2030: the new moon of 02/02 16:07 UTC gives Tết Canh Tuất on 02/02 in Vietnam, 03/02 in China', () => {
    expect(tet(2030)).toBe('2030-02-02');
    expect(tet(2030, 8)).toBe('2030-02-03');
  });

  it('1968: Tết Mậu Thân fell on 29/01 at UTC+7 and on 30/01 at UTC+8', () => {
    expect(tet(1968)).toBe('1968-01-29');
    expect(tet(1968, 8)).toBe('1968-01-30');
  });
});

describe("the year's months", () => {
  it('a leap year has 13 months, the leap one repeating the number before it (Quý Mão 2023: leap 2nd month)', () => {
    const y = lunarYear(2023);
    expect(y.monthStarts).toHaveLength(13);
    expect(y.monthNumbers).toEqual([1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(y.leapIndex).toBe(2);
    expect(dateOfDayNumber(y.monthStarts[2]!)).toBe('2023-03-22');
  });

  it('a common year has 12, and months have 29 or 30 days', () => {
    const y = lunarYear(2024);
    expect(y.monthNumbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(y.leapIndex).toBe(-1);
    const lengths = y.monthStarts.map((s, i) => (y.monthStarts[i + 1] ?? lunarToDayNumber(2025, 1, 1)) - s);
    for (const n of lengths) expect([29, 30]).toContain(n);
  });

  it('refuses a day the month does not have and years outside 1900-2100', () => {
    expect(() => lunarToDayNumber(2024, 1, 31)).toThrow(RangeError);
    expect(() => lunarToDayNumber(2024, 13, 1)).toThrow(RangeError);
    expect(() => lunarYear(1899)).toThrow(RangeError);
    expect(() => lunarYear(2101)).toThrow(RangeError);
  });
});
