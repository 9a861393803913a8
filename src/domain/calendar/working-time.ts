/**
 * Working-time arithmetic on a compiled calendar. Internally an instant is an integer of local minutes and its
 * "position" is the working minutes elapsed since the start of the compiled range (a non-decreasing function of
 * time, flat outside working periods). Between = difference of positions (O(1)); add = the EARLIEST instant whose
 * position is the target (binary search on the cumulative array, then one table read), so a budget that completes
 * exactly at a period end is due at that period end, never at the next period's start.
 */
import { WORKING, type CompiledCalendar } from './compile-calendar.js';
import { MINUTES_PER_DAY, dayNumberOf, fromLocalMinutes, parseHHMM, toEpochMs, toLocalMinutes } from './local-time.js';
import type { InstantInput, StartRule } from './types.js';

const ms = (x: InstantInput): number => (typeof x === 'number' ? x : toEpochMs(x));

function outOfRange(cal: CompiledCalendar): RangeError {
  const { from, to } = cal.compiledYears;
  return new RangeError(`instant outside the compiled calendar (${from}-01-01 .. ${to}-12-31, local time)`);
}

/** Day index of local minutes L (throws RangeError outside the compiled range). */
export function dayIndexOf(cal: CompiledCalendar, local: number): number {
  const i = Math.floor(local / MINUTES_PER_DAY) - cal.firstDay;
  if (i < 0 || i >= cal.dayCount) throw outOfRange(cal);
  return i;
}

/** Working minutes elapsed from the start of the compiled range to local minutes L. */
export function positionAt(cal: CompiledCalendar, local: number): number {
  const i = dayIndexOf(cal, local);
  const base = cal.cum[i]!;
  if ((cal.flags[i]! & WORKING) === 0) return base;
  return base + cal.hours.workedAt[local - (cal.firstDay + i) * MINUTES_PER_DAY]!;
}

/** Earliest local minute whose position is `target` (target > 0), searching days from index `lo`. */
export function localAtPosition(cal: CompiledCalendar, target: number, lo = 0): number {
  const cum = cal.cum;
  if (target > cum[cal.dayCount]! || target <= 0) throw outOfRange(cal);
  let hi = cal.dayCount; // smallest j with cum[j] >= target lies in (lo, hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! >= target) hi = mid;
    else lo = mid;
  }
  const i = hi - 1;
  return (cal.firstDay + i) * MINUTES_PER_DAY + cal.hours.reachAt[target - cum[i]!]!;
}

/** Opening (first period start) of the first working day at index ≥ i, in local minutes. */
export function openingFrom(cal: CompiledCalendar, i: number): number {
  const j = cal.nextWorking[Math.min(i, cal.dayCount)]!;
  if (j >= cal.dayCount) throw outOfRange(cal);
  return (cal.firstDay + j) * MINUTES_PER_DAY + cal.hours.open;
}

/** Effective start in local minutes (see startRuleAt for the rule). cutoff: minute of day or -1. */
export function effectiveStartLocal(cal: CompiledCalendar, local: number, cutoff: number): number {
  const i = dayIndexOf(cal, local);
  if ((cal.flags[i]! & WORKING) === 0) return openingFrom(cal, i);
  const dayBase = (cal.firstDay + i) * MINUTES_PER_DAY;
  const m = local - dayBase;
  if (cutoff >= 0 && m >= cutoff) return openingFrom(cal, i + 1);
  const s = cal.hours.startAt[m]!;
  return s >= 0 ? dayBase + s : openingFrom(cal, i + 1);
}

/** Which start rule applies to an intake at local minutes L. */
export function startRuleAt(cal: CompiledCalendar, local: number, cutoff: number): StartRule {
  const i = dayIndexOf(cal, local);
  if ((cal.flags[i]! & WORKING) === 0) return 'non_working_day';
  const m = local - (cal.firstDay + i) * MINUTES_PER_DAY;
  if (cutoff >= 0 && m >= cutoff) return 'cutoff';
  const k = cal.hours.periodAt[m]!;
  if (k < 0) return 'after_hours';
  if (m >= cal.hours.starts[k]!) return 'inside_period';
  return k === 0 ? 'before_opening' : 'break';
}

export const parseCutoff = (cutoff: string | null | undefined): number => (cutoff ? parseHHMM(cutoff) : -1);

/** Is the local date 'YYYY-MM-DD' a working day? O(1). */
export function isWorkingDay(cal: CompiledCalendar, date: string): boolean {
  const i = dayNumberOf(date) - cal.firstDay;
  if (i < 0 || i >= cal.dayCount) throw outOfRange(cal);
  return (cal.flags[i]! & WORKING) !== 0;
}

/** Working minutes of a local date (0 or the standard day's minutes). */
export function workingMinutesOnDate(cal: CompiledCalendar, date: string): number {
  return isWorkingDay(cal, date) ? cal.hours.dayMinutes : 0;
}

/** Is the instant inside a working period of a working day (start inclusive, end exclusive)? */
export function isWorkingInstant(cal: CompiledCalendar, instant: InstantInput): boolean {
  const local = toLocalMinutes(ms(instant));
  return effectiveStartLocal(cal, local, -1) === local;
}

/** Effective start of an intake: itself inside a working period, else the next period start; cut-off 'HH:MM'. */
export function effectiveStart(cal: CompiledCalendar, intake: InstantInput, cutoff?: string | null): number {
  return fromLocalMinutes(effectiveStartLocal(cal, toLocalMinutes(ms(intake)), parseCutoff(cutoff)));
}

/**
 * The instant itself if inside working time (to the millisecond: the minute it falls in is a working minute), else
 * the start of the next working period. (Rounding up to the next whole minute, as an intake's effective start
 * does, held a message created at 09:00:01 until 09:01.)
 */
export function nextWorkingInstant(cal: CompiledCalendar, instant: InstantInput): number {
  const t = ms(instant);
  const minute = Math.floor(t / 60_000) * 60_000;
  return isWorkingInstant(cal, minute) ? t : effectiveStart(cal, t);
}

/**
 * The earliest instant u with workingMinutesBetween(start, u) = minutes (minutes may be negative: going back).
 * minutes = 0 returns start (rounded up to the whole minute). No start rule is applied.
 */
export function addWorkingMinutes(cal: CompiledCalendar, start: InstantInput, minutes: number): number {
  if (!Number.isInteger(minutes)) throw new RangeError(`working minutes must be an integer, got ${minutes}`);
  const local = toLocalMinutes(ms(start));
  if (minutes === 0) return fromLocalMinutes(local);
  const lo = minutes > 0 ? dayIndexOf(cal, local) : 0;
  return fromLocalMinutes(localAtPosition(cal, positionAt(cal, local) + minutes, lo));
}

/** Due instant of N working days from an intake: effective start + N × (working minutes of a standard day). */
export function addWorkingDays(cal: CompiledCalendar, intake: InstantInput, days: number, cutoff?: string | null): number {
  const minutes = days * cal.hours.dayMinutes;
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`invalid number of working days ${days}`);
  const start = effectiveStartLocal(cal, toLocalMinutes(ms(intake)), parseCutoff(cutoff));
  if (minutes === 0) return fromLocalMinutes(start);
  const i = Math.floor(start / MINUTES_PER_DAY) - cal.firstDay;
  return fromLocalMinutes(localAtPosition(cal, positionAt(cal, start) + minutes, i));
}

/** Working minutes from a to b (negative when b is before a). O(1). */
export function workingMinutesBetween(cal: CompiledCalendar, a: InstantInput, b: InstantInput): number {
  return positionAt(cal, toLocalMinutes(ms(b))) - positionAt(cal, toLocalMinutes(ms(a)));
}

/** Working minutes left until dueAt as seen at `at` (negative = overdue by that much working time). */
export function remainingWorkingMinutes(cal: CompiledCalendar, dueAt: InstantInput, at: InstantInput): number {
  return workingMinutesBetween(cal, at, dueAt);
}

/** Does the local-date range of [a, b] touch a provisional day (beyond the loaded years or status provisional)? */
export function touchesProvisional(cal: CompiledCalendar, a: InstantInput, b: InstantInput): boolean {
  const i = dayIndexOf(cal, toLocalMinutes(ms(a)));
  const j = dayIndexOf(cal, toLocalMinutes(ms(b)));
  const [lo, hi] = i <= j ? [i, j] : [j, i];
  return cal.provCum[hi + 1]! - cal.provCum[lo]! > 0;
}
