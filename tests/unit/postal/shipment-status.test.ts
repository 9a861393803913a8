import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyReport, isFinal, statusAfter, type ReportedStatus } from '../../../src/domain/postal/shipment-status.js';

const reported: ReportedStatus[] = ['picked_up', 'in_transit', 'delivered', 'failed', 'returned'];

describe('shipment status from partner reports', () => {
  it('moves forward only', () => {
    expect(applyReport('requested', 'picked_up')).toEqual({ applied: true, status: 'picked_up' });
    expect(applyReport('requested', 'in_transit')).toEqual({ applied: true, status: 'in_transit' });
    expect(applyReport('in_transit', 'picked_up')).toEqual({ applied: false, status: 'in_transit', why: 'not_forward' });
    expect(applyReport('in_transit', 'in_transit')).toEqual({ applied: false, status: 'in_transit', why: 'not_forward' });
    expect(applyReport('picked_up', 'delivered')).toEqual({ applied: true, status: 'delivered' });
  });

  it('keeps a final status', () => {
    for (const f of ['delivered', 'failed', 'returned'] as const) {
      expect(isFinal(f)).toBe(true);
      for (const r of reported) expect(applyReport(f, r)).toMatchObject({ applied: false, status: f });
    }
  });

  it('reaches the same status whatever the order of forward reports (one final at most)', () => {
    fc.assert(
      fc.property(fc.subarray(['picked_up', 'in_transit'] as ReportedStatus[]), fc.constantFrom<ReportedStatus>('delivered', 'failed', 'returned'), fc.integer(), (steps, end, seed) => {
        const all = [...steps, end];
        const shuffled = [...all].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        expect(statusAfter(shuffled)).toBe(end);
        expect(statusAfter([...shuffled, ...shuffled])).toBe(end);
      }),
    );
  });
});
