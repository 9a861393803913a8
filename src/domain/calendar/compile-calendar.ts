/**
 * Compile the working calendar once into flat typed arrays indexed by local day (index 0 = 1 January of the first
 * compiled year):
 *   cum[i]   working minutes from the start of the range to the start of day i (cum[dayCount] = total),
 *   flags[i] WORKING | BEYOND_LOADED | PROVISIONAL_DAY,
 *   provCum[i] number of provisional days before day i, nextWorking[i] first working day ≥ i.
 * A year outside the loaded ones gets the holidays the law gives, computed (statutory-holidays.ts), provisional.
 * So is-working-day, working-time-between and "is this range provisional" are O(1), and adding working time is a
 * binary search on cum (O(log n)). Compiling ~30 years takes about a millisecond or less (see bench/deadline):
 * when an administrator changes a day, or a desk has its own hours, the caller simply compiles again.
 */
import { compileHours, type CompiledHours } from './hours.js';
import { dayNumberOf, weekdayOfDayNumber } from './local-time.js';
import { LUNAR_YEARS } from './lunar-calendar.js';
import { DEFAULT_HOLIDAY_RULES, statutoryHolidayDayNumbers, statutoryHolidays } from './statutory-holidays.js';
import type { CalendarDay, CalendarInput, WorkingHours, YearRange } from './types.js';

export const WORKING = 1;
export const BEYOND_LOADED = 2;
export const PROVISIONAL_DAY = 4;
export const PROVISIONAL_ANY = BEYOND_LOADED | PROVISIONAL_DAY;

const KINDS = new Set(['holiday', 'compensatory_off', 'swap_off', 'makeup_workday']);
const STATUSES = new Set(['official', 'derived', 'provisional']);

export interface CompiledCalendar {
  readonly hours: CompiledHours;
  readonly workingHours: WorkingHours;
  readonly loadedYears: YearRange;
  readonly compiledYears: YearRange;
  /** Local day number (days since 1970-01-01) of index 0. */
  readonly firstDay: number;
  readonly dayCount: number;
  readonly cum: Int32Array;
  readonly flags: Uint8Array;
  readonly provCum: Int32Array;
  readonly nextWorking: Int32Array;
  /** The listed day (input or fallback holiday) at an index, for explanations. */
  readonly dayInfo: ReadonlyMap<number, CalendarDay>;
}

/** WORKING on Monday-Friday, 0 on weekends. */
function weekdayFlags(firstDay: number, dayCount: number): Uint8Array {
  const flags = new Uint8Array(dayCount);
  let wd = weekdayOfDayNumber(firstDay);
  for (let i = 0; i < dayCount; i++) {
    if (wd !== 0 && wd !== 6) flags[i] = WORKING;
    wd = wd === 6 ? 0 : wd + 1;
  }
  return flags;
}

function cumulate(flags: Uint8Array, dayMinutes: number) {
  const n = flags.length;
  const cum = new Int32Array(n + 1);
  const provCum = new Int32Array(n + 1);
  const nextWorking = new Int32Array(n + 1);
  let c = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (f & WORKING) c += dayMinutes;
    if (f & PROVISIONAL_ANY) p++;
    cum[i + 1] = c;
    provCum[i + 1] = p;
  }
  let next = n;
  nextWorking[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    if (flags[i]! & WORKING) next = i;
    nextWorking[i] = next;
  }
  return { cum, provCum, nextWorking };
}

export function compileCalendar(input: CalendarInput): CompiledCalendar {
  const hours = compileHours(input.hours);
  const { loadedYears } = input;
  if (!Number.isInteger(loadedYears.from) || !Number.isInteger(loadedYears.to) || loadedYears.from > loadedYears.to) {
    throw new RangeError('loadedYears must be integers with from <= to');
  }
  const compiledYears = input.compiledYears ?? { from: loadedYears.from - 10, to: loadedYears.to + 15 };
  if (compiledYears.from < 1971 || compiledYears.to > LUNAR_YEARS.to || compiledYears.from > compiledYears.to) {
    throw new RangeError(`compiledYears must lie within 1971..${LUNAR_YEARS.to} (the lunar calendar's years) with from <= to`);
  }
  const firstDay = dayNumberOf(`${compiledYears.from}-01-01`);
  const dayCount = dayNumberOf(`${compiledYears.to}-12-31`) - firstDay + 1;
  if (hours.dayMinutes * dayCount > 2 ** 31 - 1) throw new RangeError('compiled range too long');

  const flags = weekdayFlags(firstDay, dayCount);
  const dayInfo = new Map<number, CalendarDay>();
  const rules = input.holidayRules ?? DEFAULT_HOLIDAY_RULES;
  for (let y = compiledYears.from; y <= compiledYears.to; y++) {
    if (y >= loadedYears.from && y <= loadedYears.to) continue;
    const start = dayNumberOf(`${y}-01-01`) - firstDay;
    const end = dayNumberOf(`${y}-12-31`) - firstDay;
    for (let i = start; i <= end; i++) flags[i] = flags[i]! | BEYOND_LOADED;
    // No official schedule: the holidays the law gives, computed (Tết and Giỗ Tổ by the lunar calendar), provisional.
    const computed = statutoryHolidays(y, rules);
    const numbers = statutoryHolidayDayNumbers(computed);
    for (let j = 0; j < computed.length; j++) {
      const i = numbers[j]! - firstDay;
      dayInfo.set(i, computed[j]!);
      flags[i] = flags[i]! & ~WORKING;
    }
  }
  const seen = new Set<string>();
  for (const day of input.days) {
    if (!KINDS.has(day.kind)) throw new RangeError(`calendar day ${day.date}: unknown kind '${day.kind}'`);
    if (!STATUSES.has(day.status)) throw new RangeError(`calendar day ${day.date}: unknown status '${day.status}'`);
    if (seen.has(day.date)) throw new RangeError(`calendar day ${day.date} listed twice`);
    seen.add(day.date);
    const i = dayNumberOf(day.date) - firstDay;
    if (i < 0 || i >= dayCount) continue; // cannot affect any answer inside the compiled range
    dayInfo.set(i, day);
    const base = flags[i]! & BEYOND_LOADED;
    flags[i] = base | (day.kind === 'makeup_workday' ? WORKING : 0) | (day.status === 'provisional' ? PROVISIONAL_DAY : 0);
  }

  const { cum, provCum, nextWorking } = cumulate(flags, hours.dayMinutes);

  return {
    hours,
    workingHours: { periods: input.hours.periods.map((p) => ({ ...p })) },
    loadedYears: { ...loadedYears },
    compiledYears: { ...compiledYears },
    firstDay,
    dayCount,
    cum,
    flags,
    provCum,
    nextWorking,
    dayInfo,
  };
}
