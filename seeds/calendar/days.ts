import calendarFile from '../data/vn-working-calendar.json' with { type: 'json' };

/**
 * Working-calendar exceptions 2021-2027 (seeds/data/vn-working-calendar.json, copied from shared/data; sources:
 * VPCP notices named per year, each day with its status). Each day keeps the year's source document.
 */
export type DayKind = 'holiday' | 'compensatory_off' | 'swap_off' | 'makeup_workday';
export type DayStatus = 'official' | 'derived' | 'provisional';

export interface CalendarDaySeed {
  date: string;
  kind: DayKind;
  name: string;
  source: string | null;
  status: DayStatus;
}

const years = calendarFile.years as Record<string, { source: string; days: { date: string; kind: string; name: string; status: string }[] }>;

export const calendarYearSeeds = Object.entries(years).map(([year, y]) => ({ year: Number(year), source: y.source }));

export const calendarDaySeeds: CalendarDaySeed[] = Object.values(years).flatMap((y) =>
  y.days.map((d) => ({
    date: d.date,
    kind: d.kind as DayKind,
    name: d.name,
    source: y.source,
    status: d.status as DayStatus,
  })),
);

/** The name calendar rows written by the reference loader carry (an administrator's carry their username). */
export const CALENDAR_SEED_AUTHOR = 'seed';

/** The province's default working hours (DOMAIN.md §5): 07:00-11:30 and 13:30-17:00. */
export const DEFAULT_WORKING_HOURS = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];
