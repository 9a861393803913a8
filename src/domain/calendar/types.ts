/**
 * Types of the deadline engine (DOMAIN.md §5 "The clock"). Pure data, no behaviour.
 *
 * Instants are UTC epoch milliseconds (`number`) on the engine's hot path; public entry points also accept a
 * `Date` or an ISO-8601 string (`InstantInput`). Days are local (Asia/Ho_Chi_Minh, UTC+7) dates 'YYYY-MM-DD'.
 */

import type { HolidayRules } from './statutory-holidays.js';

export type DayKind = 'holiday' | 'compensatory_off' | 'swap_off' | 'makeup_workday';
export type DayStatus = 'official' | 'derived' | 'provisional';

/** A day that changes the ordinary Monday-Friday week (a row of calendar_days). */
export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
  source: string | null;
  status: DayStatus;
}

/** A working period of the day, local 'HH:MM' (end exclusive; '24:00' allowed as an end). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** Working hours of a province or desk: sorted, non-overlapping periods. */
export interface WorkingHours {
  periods: WorkingPeriod[];
}

export interface YearRange {
  from: number;
  to: number;
}

export interface CalendarInput {
  days: readonly CalendarDay[];
  /** Years whose official schedule is loaded; other years fall back to weekends + fixed solar holidays, provisional. */
  loadedYears: YearRange;
  hours: WorkingHours;
  /** Years to compile (default loadedYears.from - 10 .. loadedYears.to + 15). Instants outside throw RangeError. */
  compiledYears?: YearRange;
  /** How the holidays of years outside the loaded ones are computed (default DEFAULT_HOLIDAY_RULES). */
  holidayRules?: HolidayRules;
}

/** Epoch milliseconds, a Date, or an ISO-8601 string (without an offset it is read as local UTC+7 time). */
export type InstantInput = number | Date | string;

export type TimeUnit = 'working_day' | 'working_hour' | 'same_day' | 'calendar_day';
export type SupplementPolicy = 'pause' | 'restart';

/** How the effective start was derived from the intake instant. */
export type StartRule =
  | 'inside_period' // intake inside a working period: the clock starts at intake
  | 'before_opening' // working day, before the first period: starts at the first period's start
  | 'break' // working day, between two periods (lunch): starts at the next period's start
  | 'after_hours' // working day, at or after the close: next working day's opening
  | 'non_working_day' // weekend / holiday / day off: next working day's opening
  | 'cutoff'; // working day, at or after the procedure's cut-off hour: next working day's opening

export type SkipReason = 'weekend' | 'holiday' | 'compensatory_off' | 'swap_off';
export type ProvisionalReason = 'beyond_loaded_years' | 'provisional_day';

/** One line of an explanation: every entry has a `kind` and a human `text`; the other fields are structured. */
export type ExplanationEntry =
  | { kind: 'start'; rule: StartRule; intake: string; effectiveStart: string; cutoff?: string; text: string }
  | { kind: 'day_counted'; date: string; weekday: string; minutes: number; makeupWorkday?: string; text: string }
  | {
      kind: 'day_skipped';
      date: string;
      weekday: string;
      reason: SkipReason;
      name?: string;
      source?: string | null;
      status?: DayStatus;
      text: string;
    }
  | { kind: 'days_omitted'; count: number; text: string }
  | { kind: 'calendar_days'; days: number; fromDate: string; lastDate: string; dueDate: string; text: string }
  | { kind: 'pause'; from: string; to: string | null; minutes: number; counted: boolean; reason?: string; text: string }
  | { kind: 'restart'; at: string; effectiveStart: string; discardedMinutes: number; text: string }
  | { kind: 'provisional'; reasons: ProvisionalReason[]; years: number[]; dates: string[]; text: string }
  | { kind: 'due'; dueAt: string | null; budgetMinutes: number; text: string };

export interface ExplainOptions {
  /**
   * Set false to skip building the explanation (faster; `explanation` is then empty), 'start' for its first entry
   * only (how the start was found: what an intake records). Default true.
   */
  explain?: boolean | 'start';
  /** Above this many day entries, ordinary days are summarised (holidays stay listed). Default 120. */
  maxDayEntries?: number;
}
