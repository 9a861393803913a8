import { describe, expect, it } from 'vitest';
import { formulaDefinitionSchema, scoreIndex, scoreIndicator, type Measured } from '../../../src/domain/quality/formula.js';
import { monthsOf, parsePeriod } from '../../../src/modules/quality/index.js';
import formula from '../../../seeds/quality/formula-766-2023.1.json' with { type: 'json' };

const def = formulaDefinitionSchema.parse(formula.definition);
const ind = (id: string) => def.indicators.find((i) => i.id === id)!;

describe('index formula (QĐ 766, DOMAIN.md §9)', () => {
  it('has the confirmed group maxima, adding up to 100', () => {
    expect(def.groups.map((g) => g.max)).toEqual([18, 20, 22, 22, 18]);
    expect(def.groups.reduce((s, g) => s + g.max, 0)).toBe(100);
  });

  it('scores min(pts, pts × rate ÷ target)', () => {
    expect(scoreIndicator(ind('3.3'), { kind: 'rate', numerator: 1, denominator: 5 })).toMatchObject({ rate: 0.2, points: 2.4, maximum: 6, status: 'scored' });
    // Above the target: full marks, no more.
    expect(scoreIndicator(ind('3.3'), { kind: 'rate', numerator: 4, denominator: 5 }).points).toBe(6);
    expect(scoreIndicator(ind('2.1'), { kind: 'rate', numerator: 5, denominator: 5 }).points).toBe(20);
    expect(scoreIndicator(ind('2.1'), { kind: 'rate', numerator: 0, denominator: 5 }).points).toBe(0);
  });

  it('gives "no data" for a zero denominator, not a score', () => {
    expect(scoreIndicator(ind('2.1'), { kind: 'rate', numerator: 0, denominator: 0 })).toMatchObject({ status: 'no_data', points: null, rate: null });
  });

  it('keeps untracked and monitoring indicators out of the points', () => {
    expect(scoreIndicator(ind('1.4'), { kind: 'untracked', reason: 'x' })).toMatchObject({ status: 'untracked', points: null, note: 'x' });
    expect(scoreIndicator(ind('2.2'), { kind: 'value', value: 3.5, unit: 'ngày làm việc' })).toMatchObject({ status: 'monitoring', value: 3.5 });
  });

  it('adds the groups, caps each at its maximum, names the version and the band', () => {
    const all: Measured = { kind: 'rate', numerator: 1, denominator: 1 };
    const s = scoreIndex('v', def, (id) => (id === '2.2' ? { kind: 'value', value: 1, unit: 'd' } : all));
    expect(s.total).toBe(100);
    expect(s.band).toBe('Xuất sắc');
    expect(s.formulaVersion).toBe('v');
    const none = scoreIndex('v', def, () => ({ kind: 'rate', numerator: 0, denominator: 0 }));
    expect(none).toMatchObject({ total: 0, scoredMaximum: 0 });
  });
});

describe('periods', () => {
  it('reads a year, a quarter and a month, with leap years', () => {
    expect(parsePeriod('2023')).toEqual({ label: '2023', from: '2023-01-01', to: '2023-12-31' });
    expect(parsePeriod('2024-Q1')).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
    expect(parsePeriod('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriod('2023-02')).toMatchObject({ to: '2023-02-28' });
    expect(parsePeriod('2100-02')).toMatchObject({ to: '2100-02-28' });
    expect(parsePeriod('2000-02')).toMatchObject({ to: '2000-02-29' });
    expect(monthsOf(parsePeriod('2023-Q4'))).toEqual(['2023-10', '2023-11', '2023-12']);
    expect(monthsOf(parsePeriod('2023'))).toHaveLength(12);
  });
  it('refuses anything else', () => {
    for (const bad of ['2023-Q5', '2023-13', '2023-1', '23', '2023-00', '']) expect(() => parsePeriod(bad), bad).toThrow();
  });
});
