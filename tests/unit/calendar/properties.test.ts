/**
 * Property-based tests (fast-check, bounded runs). Where possible the engine is compared with naive references
 * written independently in fixtures.ts (day-by-day, period-by-period walks over the seed file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingMinutes,
  computeDueDate,
  effectiveStart,
  projectLedger,
  workingMinutesBetween,
} from '../../../src/domain/calendar/index.js';
import { cal, local, naiveAdd, naiveBetween, naiveIsWorking, t } from './fixtures.js';

const RUNS = { numRuns: 1000 };
const MIN = 60_000;
/** Whole-minute instants in 2021-2026. */
const instant = fc
  .integer({ min: t('2021-01-01T00:00') / MIN, max: t('2026-12-31T23:59') / MIN })
  .map((m) => m * MIN);
const days = fc.integer({ min: 0, max: 60 });
const minutes = fc.integer({ min: 1, max: 60 * 480 });

/** Inside a working period, or exactly at a period's end, of a working day (independent check). */
function inWorkingTimeOrAtPeriodEnd(ms: number): boolean {
  const [date, hhmm] = local(ms).split('T') as [string, string];
  const m = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return naiveIsWorking(date) && ((m > 420 && m <= 690) || (m > 810 && m <= 1020));
}

describe('properties', () => {
  it('a due instant is never in non-working time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), fc.constantFrom('working_day', 'working_hour', 'same_day', 'calendar_day'), (s, n, unit) => {
        const r = computeDueDate(cal, { start: s, amount: n, unit }, { explain: false });
        expect(inWorkingTimeOrAtPeriodEnd(r.dueAt), local(r.dueAt)).toBe(true);
      }),
      RUNS,
    );
  });

  it("explain 'start' gives the same result with the full explanation's first entry alone", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), fc.constantFrom('working_day', 'working_hour', 'same_day', 'calendar_day'), (s, n, unit) => {
        const full = computeDueDate(cal, { start: s, amount: n, unit });
        const start = computeDueDate(cal, { start: s, amount: n, unit }, { explain: 'start' });
        expect(start.explanation).toEqual([full.explanation[0]]);
        expect(start.explanation[0]?.kind).toBe('start');
        expect({ ...start, explanation: [] }).toEqual({ ...full, explanation: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('addWorkingMinutes agrees with the naive walk', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        expect(local(addWorkingMinutes(cal, s, m))).toBe(local(naiveAdd(s, m)));
      }),
      RUNS,
    );
  });

  it('addWorkingDays = naive walk of N × 480 from the effective start', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (s, n) => {
        const start = effectiveStart(cal, s);
        expect(local(addWorkingDays(cal, s, n))).toBe(local(naiveAdd(start, n * 480)));
      }),
      RUNS,
    );
  });

  it('the effective start is the next working minute (naive walk of 1 minute, minus 1)', () => {
    fc.assert(
      fc.property(instant, (s) => {
        expect(effectiveStart(cal, s)).toBe(naiveAdd(s, 1) - MIN);
      }),
      RUNS,
    );
  });

  it('workingMinutesBetween agrees with the naive count and is antisymmetric', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(workingMinutesBetween(cal, lo, hi)).toBe(naiveBetween(lo, hi));
        expect(workingMinutesBetween(cal, hi, lo) + workingMinutesBetween(cal, lo, hi)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('workingMinutesBetween(start, add(start, m)) = m, forward and back', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -20_000, max: 20_000 }), (s, m) => {
        expect(workingMinutesBetween(cal, s, addWorkingMinutes(cal, s, m))).toBe(m);
      }),
      RUNS,
    );
  });

  it('add is monotonic in the start and in the amount', () => {
    fc.assert(
      fc.property(instant, instant, days, days, (a, b, n1, n2) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        const [m1, m2] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(addWorkingDays(cal, s1, m1)).toBeLessThanOrEqual(addWorkingDays(cal, s2, m1));
        expect(addWorkingDays(cal, s1, m1)).toBeLessThanOrEqual(addWorkingDays(cal, s1, m2));
        expect(addWorkingMinutes(cal, s1, m1 * 37)).toBeLessThanOrEqual(addWorkingMinutes(cal, s2, m1 * 37));
        expect(addWorkingMinutes(cal, s1, m1 * 37)).toBeLessThanOrEqual(addWorkingMinutes(cal, s1, m2 * 37));
      }),
      RUNS,
    );
  });

  it('a cut-off never makes the effective start earlier', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 7, max: 17 }), (s, h) => {
        const cutoff = `${String(h).padStart(2, '0')}:00`;
        expect(effectiveStart(cal, s, cutoff)).toBeGreaterThanOrEqual(effectiveStart(cal, s));
      }),
      RUNS,
    );
  });

  it('policy pause: a pause of p working minutes moves the due instant by exactly p', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 * 480 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 30 * 1440 }), (s, budget, frac, len) => {
        const without = projectLedger(cal, { budgetMinutes: budget, start: s, policy: 'pause', pauses: [] }, { explain: false });
        const eff = without.effectiveStart;
        const from = eff + Math.floor((without.dueAt! - eff) * frac / MIN) * MIN; // before the due instant
        const to = from + len * MIN;
        const pauses = [{ from, to }];
        const paused = workingMinutesBetween(cal, Math.max(from, eff), to);
        const withPause = projectLedger(cal, { budgetMinutes: budget, start: s, policy: 'pause', pauses }, { explain: false });
        expect(withPause.pausedMinutes).toBe(paused);
        expect(workingMinutesBetween(cal, without.dueAt!, withPause.dueAt!)).toBe(paused);
        expect(withPause.dueAt).toBe(addWorkingMinutes(cal, without.dueAt!, paused));
        expect(local(withPause.dueAt!)).toBe(local(naiveAdd(eff, budget + paused)));
      }),
      RUNS,
    );
  });

  it('policy restart: the due instant is the full budget from the effective start of the resume', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 * 480 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 30 * 1440 }), (s, budget, frac, len) => {
        const without = projectLedger(cal, { budgetMinutes: budget, start: s, policy: 'restart', pauses: [] }, { explain: false });
        const eff = without.effectiveStart;
        const from = eff + Math.floor((without.dueAt! - eff) * frac / MIN) * MIN;
        const to = from + len * MIN;
        const r = projectLedger(cal, { budgetMinutes: budget, start: s, policy: 'restart', pauses: [{ from, to }] }, { explain: false });
        const resume = effectiveStart(cal, to);
        expect(workingMinutesBetween(cal, resume, r.dueAt!)).toBe(budget);
        expect(local(r.dueAt!)).toBe(local(naiveAdd(resume, budget)));
        expect(r.dueAt!).toBeGreaterThanOrEqual(without.dueAt!);
      }),
      RUNS,
    );
  });

  it('used + remaining = budget, and remaining = working minutes to the due instant while running', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 * 480 }), fc.integer({ min: 0, max: 40 * 1440 }), (s, budget, after) => {
        const at = s + after * MIN;
        const r = projectLedger(cal, { budgetMinutes: budget, start: s, policy: 'pause', pauses: [] }, { at, explain: false });
        expect(r.usedMinutes + r.remainingMinutes).toBe(budget);
        expect(r.remainingMinutes).toBe(workingMinutesBetween(cal, Math.max(at, r.effectiveStart), r.dueAt!));
      }),
      RUNS,
    );
  });
});
