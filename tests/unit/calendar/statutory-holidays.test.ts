/**
 * The holidays computed for a year without an official schedule (src/domain/calendar/statutory-holidays.ts): by the
 * law (Bộ luật Lao động 2019 Art. 111(3), 112) and the lunar calendar, the days off on weekdays must be exactly those
 * of every notice 2021-2027 in seeds/data/vn-working-calendar.json (swaps of a working day for a Saturday are the
 * government's yearly choice and not computed); the unconfirmed choices are settings.
 */
import { describe, expect, it } from 'vitest';
import { statutoryHolidays } from '../../../src/domain/calendar/index.js';
import { seedFile } from './fixtures.js';

const weekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const computedOff = (year: number, rules?: Parameters<typeof statutoryHolidays>[1]) =>
  statutoryHolidays(year, rules)
    .map((d) => d.date)
    .filter(weekday);

describe('computed holidays against the official notices', () => {
  it.each(Object.keys(seedFile.years))('%s: the weekdays off are those of the notice (swaps aside)', (year) => {
    const notice = seedFile.years[year]!.days.filter((d) => d.kind === 'holiday' || d.kind === 'compensatory_off')
      .map((d) => d.date)
      .filter(weekday)
      .sort();
    expect(computedOff(Number(year))).toEqual(notice);
  });
});

describe('a year without data (2028)', () => {
  const days = statutoryHolidays(2028);
  it('gives Tết Mậu Thân from 2 days before mùng 1 (26/01), Giỗ Tổ on 04/04, each weekend holiday a day off, all provisional', () => {
    expect(days.map((d) => [d.date, d.kind])).toEqual([
      ['2028-01-01', 'holiday'],
      ['2028-01-03', 'compensatory_off'],
      ['2028-01-24', 'holiday'],
      ['2028-01-25', 'holiday'],
      ['2028-01-26', 'holiday'],
      ['2028-01-27', 'holiday'],
      ['2028-01-28', 'holiday'],
      ['2028-04-04', 'holiday'],
      ['2028-04-30', 'holiday'],
      ['2028-05-01', 'holiday'],
      ['2028-05-02', 'compensatory_off'],
      ['2028-09-01', 'holiday'],
      ['2028-09-02', 'holiday'],
      ['2028-09-04', 'compensatory_off'],
      ['2028-11-24', 'holiday'],
    ]);
    expect(days.every((d) => d.status === 'provisional')).toBe(true);
    expect(days.find((d) => d.date === '2028-01-26')?.name).toBe('Tết Nguyên đán Mậu Thân (mùng 1)');
    expect(days.find((d) => d.date === '2028-01-24')?.source).toMatch(/2 day\(s\) before mùng 1.*unconfirmed/);
  });

  it('follows the settings where the law leaves the days to the yearly decision', () => {
    // Tết from the day before mùng 1: 25-29/01 (29 is a Saturday: its day off is Monday 31/01).
    expect(computedOff(2028, { tetDaysBefore: 1, nationalDayAdjacent: 'auto' }).filter((d) => d < '2028-02-15')).toEqual([
      '2028-01-03',
      '2028-01-25',
      '2028-01-26',
      '2028-01-27',
      '2028-01-28',
      '2028-01-31',
    ]);
    // Quốc khánh 2029 (02/09 a Sunday): the adjacent day after (Monday 03/09), its day off Tuesday 04/09; or the
    // Saturday before, which gives two days off (Monday and Tuesday) as well.
    const sep = (rule: 'auto' | 'before' | 'after') =>
      computedOff(2029, { tetDaysBefore: 2, nationalDayAdjacent: rule }).filter((d) => d.startsWith('2029-09'));
    expect(sep('auto')).toEqual(['2029-09-03', '2029-09-04']);
    expect(sep('after')).toEqual(['2029-09-03', '2029-09-04']);
    expect(sep('before')).toEqual(['2029-09-03', '2029-09-04']);
    expect(computedOff(2032, { tetDaysBefore: 2, nationalDayAdjacent: 'after' }).filter((d) => d.startsWith('2032-09'))).toEqual([
      '2032-09-02',
      '2032-09-03',
    ]);
    expect(() => statutoryHolidays(2028, { tetDaysBefore: 5, nationalDayAdjacent: 'auto' })).toThrow(RangeError);
  });

  it('Ngày Văn hóa Việt Nam from 2026 only, Quốc khánh\'s second day from 2021 (Bộ luật Lao động 2019)', () => {
    expect(statutoryHolidays(2025).some((d) => d.date === '2025-11-24')).toBe(false);
    expect(statutoryHolidays(2031).some((d) => d.date === '2031-11-24')).toBe(true);
    expect(statutoryHolidays(2019).filter((d) => d.name.startsWith('Quốc khánh'))).toHaveLength(1);
  });
});
