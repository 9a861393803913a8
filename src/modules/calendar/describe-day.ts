import { BEYOND_LOADED, PROVISIONAL_ANY, WORKING, type CompiledCalendar } from '../../domain/calendar/compile-calendar.js';
import { dayNumberOf, weekdayOfDayNumber } from '../../domain/calendar/local-time.js';
import { DomainError } from '../../lib/errors.js';

/** What kind of day a local date is, for the read API: the listed entry if any, else weekday or weekend. */
export function describeDay(cal: CompiledCalendar, date: string) {
  const n = dayNumberOf(date);
  const i = n - cal.firstDay;
  if (i < 0 || i >= cal.dayCount) {
    throw new DomainError('OUT_OF_RANGE', `${date} is outside the calendar (${cal.compiledYears.from}-${cal.compiledYears.to})`);
  }
  const f = cal.flags[i]!;
  const listed = cal.dayInfo.get(i);
  const wd = weekdayOfDayNumber(n);
  return {
    date,
    working: (f & WORKING) !== 0,
    kind: listed?.kind ?? (wd === 0 || wd === 6 ? ('weekend' as const) : ('weekday' as const)),
    name: listed?.name ?? null,
    source: listed?.source ?? null,
    status: listed?.status ?? null,
    provisional: (f & PROVISIONAL_ANY) !== 0,
    beyondLoadedYears: (f & BEYOND_LOADED) !== 0,
  };
}

/** A date outside the compiled calendar, as the ordinary week has it (Monday to Friday working), provisional. */
export function ordinaryDay(date: string) {
  const wd = weekdayOfDayNumber(dayNumberOf(date));
  const weekend = wd === 0 || wd === 6;
  return {
    date,
    working: !weekend,
    kind: weekend ? ('weekend' as const) : ('weekday' as const),
    name: null,
    source: null,
    status: null,
    provisional: true,
    beyondLoadedYears: true,
  };
}
