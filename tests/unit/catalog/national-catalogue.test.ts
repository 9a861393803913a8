import { describe, expect, it } from 'vitest';
import { buildCatalogue } from '../../../seeds/catalog/index.js';
import { readNationalFile } from '../../../seeds/catalog/national.js';
import { readNationalTime } from '../../../seeds/catalog/national-time.js';
import { buildNewEraCatalogue } from '../../../seeds/catalog/new-era.js';

describe('the national catalogue\'s times', () => {
  it('reads working days, days, hours and months, and flags a bare number', () => {
    expect(readNationalTime('x', '7 Ngày làm việc')).toEqual({ amount: 7, unit: 'working_day', text: '7 Ngày làm việc', note: null });
    expect(readNationalTime('x', '30 Ngày')).toMatchObject({ amount: 30, unit: 'calendar_day', note: null });
    expect(readNationalTime('x', '8 Giờ')).toMatchObject({ amount: 8, unit: 'working_hour', note: null });
    expect(readNationalTime('x', '6 Tháng')).toMatchObject({ amount: 180, unit: 'calendar_day', note: 'months' });
    expect(readNationalTime('x', '120,000')).toMatchObject({ amount: 120, unit: 'working_day', note: 'bare_number' });
    expect(readNationalTime('x', '1')).toMatchObject({ amount: 1, unit: 'working_day', note: 'bare_number' });
    expect(readNationalTime('x', '0')).toMatchObject({ amount: 1, unit: 'same_day', note: 'bare_number' });
  });

  it('stops on a text it cannot read, naming the procedure', () => {
    expect(() => readNationalTime('1.000001', 'Trong ngày')).toThrow(/1\.000001.*"Trong ngày"/);
    expect(() => readNationalTime('1.000001', '1,5 Ngày')).toThrow(/cannot be read/);
  });

  it('the seed stops on such a text before anything is written (the loader builds the catalogue before its transaction)', () => {
    const file = readNationalFile();
    const bad = { ...file, procedures: file.procedures.map((p, i) => (i === 0 ? { ...p, time: { amount: 1, text: 'khoảng một tuần' } } : p)) };
    expect(() => buildNewEraCatalogue(buildCatalogue(), bad)).toThrow(/cannot be read: "khoảng một tuần"/);
  });

  it('counts: 1,601 real procedures and 829 generated ones re-levelled, no code twice', () => {
    const n = buildNewEraCatalogue(buildCatalogue());
    expect(n.counts).toEqual({
      national: { province: 1251, commune: 350, bothLevels: 238 },
      generated: { province: 643, commune: 186 },
      generatedLeftOut: 136,
      total: 2430,
    });
    expect(new Set(n.procedures.map((p) => p.code)).size).toBe(n.procedures.length);
  });
});
