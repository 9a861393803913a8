/**
 * Working hours: validation and the per-minute lookup tables a compiled calendar uses, so that converting between
 * "minute of a working day" and "working minutes elapsed that day" is one array read.
 */
import { MINUTES_PER_DAY, formatHHMM, parseHHMM } from './local-time.js';
import type { WorkingHours } from './types.js';

/** 07:00-11:30 and 13:30-17:00: 480 working minutes (DOMAIN.md §5). */
export const DEFAULT_WORKING_HOURS: WorkingHours = Object.freeze({
  periods: Object.freeze([
    Object.freeze({ start: '07:00', end: '11:30' }),
    Object.freeze({ start: '13:30', end: '17:00' }),
  ]) as WorkingHours['periods'],
});

export interface CompiledHours {
  /** Period starts and ends in minutes of the day (end exclusive). */
  starts: Int32Array;
  ends: Int32Array;
  /** Working minutes of one working day (sum of the periods). */
  dayMinutes: number;
  open: number;
  close: number;
  /** workedAt[m] = working minutes elapsed in a working day at minute m (0..1440). */
  workedAt: Int32Array;
  /** reachAt[r] = earliest minute of the day at which r working minutes have elapsed (1..dayMinutes). */
  reachAt: Int32Array;
  /** startAt[m] = effective start minute for an intake at minute m of a working day; -1 when after the close. */
  startAt: Int32Array;
  /** periodAt[m] = index of the period containing m or the next period after m; -1 after the close. */
  periodAt: Int8Array;
  /** Canonical key of the setting ('07:00-11:30,13:30-17:00'): one compiled calendar per distinct key. */
  key: string;
}

/** Validate (sorted, non-overlapping, non-empty periods) and build the lookup tables. Throws RangeError. */
export function compileHours(hours: WorkingHours): CompiledHours {
  const periods = hours.periods.map((p) => ({ start: parseHHMM(p.start), end: parseHHMM(p.end) }));
  if (periods.length === 0 || periods.length > 100) throw new RangeError('working hours need 1..100 periods');
  let prevEnd = 0;
  for (const [i, p] of periods.entries()) {
    if (p.end <= p.start) throw new RangeError(`working period ${i + 1} ends before it starts`);
    if (i > 0 && p.start < prevEnd) throw new RangeError('working periods must be sorted and non-overlapping');
    prevEnd = p.end;
  }
  const starts = Int32Array.from(periods, (p) => p.start);
  const ends = Int32Array.from(periods, (p) => p.end);
  const workedAt = new Int32Array(MINUTES_PER_DAY + 1);
  const startAt = new Int32Array(MINUTES_PER_DAY + 1).fill(-1);
  const periodAt = new Int8Array(MINUTES_PER_DAY + 1).fill(-1);
  let worked = 0;
  let k = 0;
  for (let m = 0; m <= MINUTES_PER_DAY; m++) {
    while (k < periods.length && m >= ends[k]!) k++;
    if (k < periods.length) {
      periodAt[m] = k;
      startAt[m] = Math.max(m, starts[k]!);
    }
    workedAt[m] = worked;
    if (k < periods.length && m >= starts[k]!) worked++;
  }
  const dayMinutes = worked;
  const reachAt = new Int32Array(dayMinutes + 1);
  for (let m = MINUTES_PER_DAY; m >= 0; m--) reachAt[workedAt[m]!] = m; // earliest minute wins
  const open = starts[0]!;
  const close = ends[ends.length - 1]!;
  const key = periods.map((p) => `${formatHHMM(p.start)}-${formatHHMM(p.end)}`).join(',');
  return { starts, ends, dayMinutes, open, close, workedAt, reachAt, startAt, periodAt, key };
}

/** The canonical key of a working-hours setting (throws on an invalid setting). */
export function hoursKey(hours: WorkingHours): string {
  return compileHours(hours).key;
}
