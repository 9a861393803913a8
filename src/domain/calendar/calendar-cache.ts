/**
 * One compiled calendar per distinct working-hours setting (province default, desk overrides), built lazily from
 * the same calendar days. When an administrator changes a day, build a new cache (compiling is sub-millisecond).
 */
import { compileCalendar, type CompiledCalendar } from './compile-calendar.js';
import { compileHours } from './hours.js';
import type { HolidayRules } from './statutory-holidays.js';
import type { CalendarDay, WorkingHours, YearRange } from './types.js';

export interface CalendarCache {
  /** The compiled calendar for these hours (same key → same object). */
  forHours(hours: WorkingHours): CompiledCalendar;
  /** Number of distinct settings compiled so far. */
  readonly size: number;
}

export function createCalendarCache(base: {
  days: readonly CalendarDay[];
  loadedYears: YearRange;
  compiledYears?: YearRange;
  holidayRules?: HolidayRules;
}): CalendarCache {
  const byKey = new Map<string, CompiledCalendar>();
  return {
    forHours(hours) {
      const key = compileHours(hours).key;
      let cal = byKey.get(key);
      if (!cal) {
        cal = compileCalendar({ ...base, hours });
        byKey.set(key, cal);
      }
      return cal;
    },
    get size() {
      return byKey.size;
    },
  };
}
