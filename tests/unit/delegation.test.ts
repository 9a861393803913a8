import { describe, expect, it } from 'vitest';
import { conflictsWith, followChain, inForceOn, type Decision } from '../../src/domain/delegation/decisions.js';

const d = (over: Partial<Decision>): Decision => ({
  number: '1/QĐ-UBND',
  kind: 'delegation',
  delegator: 'ubnd_tinh',
  delegatorUnitCode: '49',
  delegate: 'SXD',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  revokedOn: null,
  ...over,
});

describe('decisions in force', () => {
  it('starts on its first day and ends before its end day; a revocation ends it', () => {
    const x = d({ effectiveFrom: '2024-03-01', effectiveTo: '2024-06-01' });
    expect(inForceOn(x, '2024-02-29')).toBe(false);
    expect(inForceOn(x, '2024-03-01')).toBe(true);
    expect(inForceOn(x, '2024-05-31')).toBe(true);
    expect(inForceOn(x, '2024-06-01')).toBe(false);
    expect(inForceOn({ ...x, revokedOn: '2024-04-10' }, '2024-04-10')).toBe(false);
    expect(inForceOn({ ...x, revokedOn: '2024-04-10' }, '2024-04-09')).toBe(true);
  });

  it('rejects two holders of the same authority at once, allows them one after the other', () => {
    const a = d({ id: 1, delegate: 'SXD', effectiveTo: '2024-07-01' });
    expect(conflictsWith(d({ id: 2, delegate: 'STNMT', effectiveFrom: '2024-06-01' }), [a])).toHaveLength(1);
    expect(conflictsWith(d({ id: 2, delegate: 'STNMT', effectiveFrom: '2024-07-01' }), [a])).toHaveLength(0);
    expect(conflictsWith(d({ id: 2, delegate: 'SXD', effectiveFrom: '2024-06-01' }), [a])).toHaveLength(0);
    expect(conflictsWith(d({ id: 2, delegate: 'STNMT', delegator: 'chu_tich_ubnd_tinh' }), [a])).toHaveLength(0);
    expect(conflictsWith(d({ id: 2, delegate: 'STNMT', effectiveFrom: '2024-06-01' }), [{ ...a, revokedOn: '2024-05-01' }])).toHaveLength(0);
  });
});

describe('chain of decisions', () => {
  const concretise = (x: string) =>
    x === 'DIST-UBND'
      ? { agency: 'UBND-502', unit: '502', authority: 'ubnd_huyen' }
      : x.startsWith('DIST-')
        ? { agency: `502-${x.slice(5)}`, unit: '502' }
        : { agency: x, unit: '49' };
  it('follows a delegation, then a sub-delegation by its holder', () => {
    const decisions = [
      d({ number: '10/QĐ-UBND', delegate: 'DIST-UBND' }),
      d({ number: '5/QĐ-UBND', delegator: 'ubnd_huyen', delegatorUnitCode: '502', delegate: 'DIST-TNMT' }),
    ];
    const r = followChain({ authority: 'ubnd_tinh', unit: '49' }, decisions, '2024-06-01', concretise);
    expect(r.holder).toBe('502-TNMT');
    expect(r.chain.map((c) => c.number)).toEqual(['10/QĐ-UBND', '5/QĐ-UBND']);
  });
  it('keeps the authority when nothing is in force that day', () => {
    const r = followChain({ authority: 'ubnd_tinh', unit: '49' }, [d({ effectiveFrom: '2024-06-02' })], '2024-06-01', concretise);
    expect(r).toEqual({ holder: null, chain: [] });
  });
  it('does not loop on a cycle', () => {
    const decisions = [d({ delegate: 'SXD' }), d({ delegator: 'SXD', delegate: 'ubnd_tinh' })];
    const r = followChain({ authority: 'ubnd_tinh', unit: '49' }, decisions, '2024-06-01', (x) => ({ agency: x, unit: '49' }));
    expect(r.chain.length).toBeLessThanOrEqual(2);
  });
});
