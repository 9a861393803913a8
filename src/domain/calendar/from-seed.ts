/**
 * Read the seed file format (seeds/data/vn-working-calendar.json: `{ years: { "2024": { source, days: [...] } } }`)
 * into calendar days and loaded years. Days without their own source take their year's source.
 */
import type { CalendarDay, DayKind, DayStatus, YearRange } from './types.js';

export interface SeedCalendarFile {
  years: Record<
    string,
    {
      source?: string | null;
      days: { date: string; kind: string; name: string; status: string; source?: string | null }[];
    }
  >;
}

export function calendarFromSeed(file: SeedCalendarFile): { days: CalendarDay[]; loadedYears: YearRange } {
  const years = Object.keys(file.years).map(Number);
  if (years.length === 0 || years.some((y) => !Number.isInteger(y))) throw new RangeError('seed calendar: no valid years');
  const days: CalendarDay[] = [];
  for (const [year, entry] of Object.entries(file.years)) {
    for (const d of entry.days) {
      if (!d.date.startsWith(`${year}-`)) throw new RangeError(`seed calendar: ${d.date} listed under ${year}`);
      days.push({
        date: d.date,
        kind: d.kind as DayKind,
        name: d.name,
        source: d.source ?? entry.source ?? null,
        status: d.status as DayStatus,
      });
    }
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, loadedYears: { from: Math.min(...years), to: Math.max(...years) } };
}
