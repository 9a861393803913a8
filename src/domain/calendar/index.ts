/** Public API of the deadline engine: pure, no I/O, UTC+7 working-time arithmetic on a compiled calendar. */
export type {
  CalendarDay,
  CalendarInput,
  DayKind,
  DayStatus,
  ExplainOptions,
  ExplanationEntry,
  InstantInput,
  ProvisionalReason,
  SkipReason,
  StartRule,
  SupplementPolicy,
  TimeUnit,
  WorkingHours,
  WorkingPeriod,
  YearRange,
} from './types.js';
export { compileCalendar, type CompiledCalendar } from './compile-calendar.js';
export { canChi, DEFAULT_HOLIDAY_RULES, statutoryHolidays, type HolidayRules } from './statutory-holidays.js';
export { LUNAR_YEARS, lunarToDayNumber, lunarYear, type LunarYear } from './lunar-calendar.js';
export { DEFAULT_WORKING_HOURS, hoursKey } from './hours.js';
export { createCalendarCache, type CalendarCache } from './calendar-cache.js';
export { calendarFromSeed, type SeedCalendarFile } from './from-seed.js';
export { formatInstant, localDateOf, toEpochMs } from './local-time.js';
export {
  addWorkingDays,
  addWorkingMinutes,
  effectiveStart,
  isWorkingDay,
  isWorkingInstant,
  nextWorkingInstant,
  remainingWorkingMinutes,
  touchesProvisional,
  workingMinutesBetween,
  workingMinutesOnDate,
} from './working-time.js';
export { computeDueDate, type DueDateRequest, type DueDateResult } from './due-date.js';
export { moveKeptAppointment, movePromisedAppointment } from './kept-appointment.js';
export { projectLedger, type ClockResult, type DossierClock, type Pause } from './pause-ledger.js';
