/**
 * Every holiday block, compensatory day off and swap of 2021-2026 (seeds/data/vn-working-calendar.json), with
 * hand-computed due instants. before = last working day before the block, after = first working day after it,
 * first = first non-working weekday of the block. 2021's New Year block starts from 2020-12-31, a year beyond the
 * loaded ones (provisional); 2027's Tết and Quốc khánh blocks cross days whose status is provisional.
 */
import { describe, expect, it } from 'vitest';
import { computeDueDate, isWorkingDay } from '../../../src/domain/calendar/index.js';
import { cal, seedFile, t } from './fixtures.js';

type Prov = 'none' | 'all' | 'crossing';
const blocks: [label: string, before: string, after: string, first: string, prov: Prov][] = [
  ['2021 Tết Dương lịch', '2020-12-31', '2021-01-04', '2021-01-01', 'all'],
  ['2021 Tết Nguyên đán', '2021-02-09', '2021-02-17', '2021-02-10', 'none'],
  ['2021 Giỗ Tổ', '2021-04-20', '2021-04-22', '2021-04-21', 'none'],
  ['2021 30/4-1/5 + nghỉ bù 03/05', '2021-04-29', '2021-05-04', '2021-04-30', 'none'],
  ['2021 Quốc khánh', '2021-09-01', '2021-09-06', '2021-09-02', 'none'],
  ['2022 Tết Dương lịch (nghỉ bù 03/01)', '2021-12-31', '2022-01-04', '2022-01-03', 'none'],
  ['2022 Tết Nguyên đán', '2022-01-28', '2022-02-07', '2022-01-31', 'none'],
  ['2022 Giỗ Tổ (nghỉ bù 11/04)', '2022-04-08', '2022-04-12', '2022-04-11', 'none'],
  ['2022 30/4-1/5 (nghỉ bù 02-03/05)', '2022-04-29', '2022-05-04', '2022-05-02', 'none'],
  ['2022 Quốc khánh', '2022-08-31', '2022-09-05', '2022-09-01', 'none'],
  ['2023 Tết Dương lịch (nghỉ bù 02/01)', '2022-12-30', '2023-01-03', '2023-01-02', 'none'],
  ['2023 Tết Nguyên đán', '2023-01-19', '2023-01-27', '2023-01-20', 'none'],
  ['2023 Giỗ Tổ + 30/4-1/5 (nghỉ bù 02-03/05)', '2023-04-28', '2023-05-04', '2023-05-01', 'none'],
  ['2023 Quốc khánh (nghỉ bù 04/09)', '2023-08-31', '2023-09-05', '2023-09-01', 'none'],
  ['2024 Tết Dương lịch', '2023-12-29', '2024-01-02', '2024-01-01', 'none'],
  ['2024 Tết Nguyên đán', '2024-02-07', '2024-02-15', '2024-02-08', 'none'],
  ['2024 Giỗ Tổ', '2024-04-17', '2024-04-19', '2024-04-18', 'none'],
  ['2024 hoán đổi 29/04 + 30/4-1/5', '2024-04-26', '2024-05-02', '2024-04-29', 'none'],
  ['2024 Quốc khánh', '2024-08-30', '2024-09-04', '2024-09-02', 'none'],
  ['2025 Tết Dương lịch', '2024-12-31', '2025-01-02', '2025-01-01', 'none'],
  ['2025 Tết Nguyên đán', '2025-01-24', '2025-02-03', '2025-01-27', 'none'],
  ['2025 Giỗ Tổ', '2025-04-04', '2025-04-08', '2025-04-07', 'none'],
  ['2025 30/4-1/5 + hoán đổi 02/05', '2025-04-29', '2025-05-05', '2025-04-30', 'none'],
  ['2025 Quốc khánh', '2025-08-29', '2025-09-03', '2025-09-01', 'none'],
  ['2026 Tết Dương lịch + hoán đổi 02/01', '2025-12-31', '2026-01-05', '2026-01-01', 'none'],
  ['2026 Tết Nguyên đán', '2026-02-13', '2026-02-23', '2026-02-16', 'none'],
  ['2026 Giỗ Tổ (nghỉ bù 27/04)', '2026-04-24', '2026-04-28', '2026-04-27', 'none'],
  ['2026 30/4-1/5', '2026-04-29', '2026-05-04', '2026-04-30', 'none'],
  ['2026 hoán đổi 31/08 + Quốc khánh', '2026-08-28', '2026-09-03', '2026-08-31', 'none'],
  ['2026 Ngày Văn hóa Việt Nam', '2026-11-23', '2026-11-25', '2026-11-24', 'none'],
  ['2027 Tết Dương lịch', '2026-12-31', '2027-01-04', '2027-01-01', 'none'],
  ['2027 Tết Nguyên đán (provisional)', '2027-02-03', '2027-02-11', '2027-02-04', 'crossing'],
  ['2027 Giỗ Tổ', '2027-04-15', '2027-04-19', '2027-04-16', 'none'],
  ['2027 30/4-1/5 (nghỉ bù 03/05)', '2027-04-29', '2027-05-04', '2027-04-30', 'none'],
  ['2027 Quốc khánh (provisional)', '2027-09-01', '2027-09-06', '2027-09-02', 'crossing'],
  ['2027 Ngày Văn hóa Việt Nam', '2027-11-23', '2027-11-25', '2027-11-24', 'none'],
];

const due = (start: string, amount: number) => computeDueDate(cal, { start: t(start), amount, unit: 'working_day' });

describe.each(blocks)('%s', (_label, before, after, first, prov) => {
  it('1 working day from 07:00 of the day before the block is due that day 17:00', () => {
    const r = due(`${before}T07:00`, 1);
    expect(r.dueAt).toBe(t(`${before}T17:00`));
    expect(r.provisional).toBe(prov === 'all');
  });

  it('2 working days from 07:00 of the day before land at 17:00 of the first day after', () => {
    const r = due(`${before}T07:00`, 2);
    expect(r.dueAt).toBe(t(`${after}T17:00`));
    expect(r.provisional).toBe(prov !== 'none');
    const skipped = r.explanation.filter((e) => e.kind === 'day_skipped').map((e) => e.date);
    const expected: string[] = [];
    for (let d = Date.parse(before) + 86_400_000; d < Date.parse(after); d += 86_400_000) {
      expected.push(new Date(d).toISOString().slice(0, 10));
    }
    expect(skipped).toEqual(expected);
  });

  it('1 working day from 13:30 of the day before is due 11:30 of the first day after', () => {
    expect(due(`${before}T13:30`, 1).dueAt).toBe(t(`${after}T11:30`));
  });

  it('an intake on the first day off starts at 07:00 of the first day after', () => {
    const r = due(`${first}T09:00`, 1);
    expect(r.startRule).toBe('non_working_day');
    expect(r.effectiveStart).toBe(t(`${after}T07:00`));
    expect(r.dueAt).toBe(t(`${after}T17:00`));
  });

  it('an intake at exactly 17:00 of the day before starts after the block', () => {
    const r = due(`${before}T17:00`, 1);
    expect(r.startRule).toBe('after_hours');
    expect(r.effectiveStart).toBe(t(`${after}T07:00`));
    expect(r.dueAt).toBe(t(`${after}T17:00`));
  });
});

describe('make-up Saturdays and swapped days off', () => {
  it.each([
    ['2024-05-04', true],
    ['2025-04-26', true],
    ['2026-01-10', true],
    ['2026-08-22', true],
    ['2026-08-31', false],
    ['2024-04-29', false],
    ['2025-05-02', false],
    ['2026-01-02', false],
    ['2024-05-11', false], // an ordinary Saturday
  ] as const)('%s working = %s', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it.each([
    ['2024-05-02T07:00', 3, '2024-05-04T17:00'],
    ['2024-05-03T07:00', 2, '2024-05-04T17:00'],
    ['2024-05-03T13:30', 1, '2024-05-04T11:30'],
    ['2024-05-04T08:00', 1, '2024-05-06T08:00'],
    ['2024-05-05T10:00', 1, '2024-05-06T17:00'],
    ['2024-04-26T07:00', 2, '2024-05-02T17:00'],
    ['2025-04-25T13:30', 1, '2025-04-26T11:30'],
    ['2025-04-25T07:00', 2, '2025-04-26T17:00'],
    ['2025-04-25T07:00', 3, '2025-04-28T17:00'],
    ['2025-04-29T07:00', 3, '2025-05-06T17:00'],
    ['2026-01-05T07:00', 5, '2026-01-09T17:00'],
    ['2026-01-05T07:00', 6, '2026-01-10T17:00'],
    ['2026-01-05T07:00', 7, '2026-01-12T17:00'],
    ['2025-12-31T07:00', 2, '2026-01-05T17:00'],
  ] as const)('%s + %i working days = %s', (start, n, expected) => {
    expect(due(start, n).dueAt).toBe(t(expected));
  });

  it('explains a make-up Saturday as a counted working day', () => {
    const r = due('2024-05-03T07:00', 2);
    const sat = r.explanation.find((e) => e.kind === 'day_counted' && e.date === '2024-05-04');
    expect(sat).toMatchObject({ kind: 'day_counted', minutes: 480, makeupWorkday: 'Làm bù cho thứ Hai 29/04' });
  });
});

describe('explanations of holiday blocks', () => {
  it('names each skipped holiday with kind, source and status (Tết 2024)', () => {
    const r = due('2024-02-07T07:00', 2);
    const tet = r.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2024-02-08');
    expect(tet).toMatchObject({ reason: 'holiday', name: 'Tết Nguyên đán Giáp Thìn', status: 'official' });
    expect(tet?.kind === 'day_skipped' && tet.source).toContain('8662/VPCP-KGVX');
    const weekend = r.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2024-02-10');
    expect(weekend).toMatchObject({ reason: 'weekend' });
    const counted = r.explanation.filter((e) => e.kind === 'day_counted');
    expect(counted.map((e) => [e.date, e.minutes])).toEqual([
      ['2024-02-07', 480],
      ['2024-02-15', 480],
    ]);
  });

  it('lists every listed non-working day of 2021-2027 as skipped with its kind', () => {
    for (const year of Object.values(seedFile.years)) {
      for (const d of year.days) {
        if (d.kind === 'makeup_workday') continue;
        const r = computeDueDate(cal, { start: t(`${d.date}T09:00`), amount: 1, unit: 'working_day' });
        const entry = r.explanation.find((e) => e.kind === 'day_skipped' && e.date === d.date);
        expect(entry, d.date).toMatchObject({ reason: d.kind, name: d.name, status: d.status });
      }
    }
  });
});
