/** Shared fixtures for the calendar tests: the seed calendar compiled with the default hours, and time helpers. */
import { readFileSync } from 'node:fs';
import {
  calendarFromSeed,
  compileCalendar,
  DEFAULT_WORKING_HOURS,
  statutoryHolidays,
  type SeedCalendarFile,
} from '../../../src/domain/calendar/index.js';

export const seedFile = JSON.parse(
  readFileSync(new URL('../../../seeds/data/vn-working-calendar.json', import.meta.url), 'utf8'),
) as SeedCalendarFile;
export const seed = calendarFromSeed(seedFile);
export const cal = compileCalendar({ ...seed, hours: DEFAULT_WORKING_HOURS });

/** Local Vietnam wall time 'YYYY-MM-DDTHH:MM' → epoch ms, via the platform's own ISO parser (independent oracle). */
export const t = (local: string): number => {
  const ms = Date.parse(`${local}:00+07:00`);
  if (Number.isNaN(ms)) throw new Error(`bad fixture time ${local}`);
  return ms;
};

/** Epoch ms → local 'YYYY-MM-DDTHH:MM' (plain arithmetic, independent of the engine). */
export const local = (ms: number): string => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

/**
 * Naive reference: is a local date a working day? Straight from the seed file, weekday by weekday, with the
 * computed holidays (tested against the notices on their own in statutory-holidays.test.ts) outside the loaded years.
 */
const off = new Set<string>();
const makeup = new Set<string>();
for (const y of Object.values(seedFile.years)) {
  for (const d of y.days) (d.kind === 'makeup_workday' ? makeup : off).add(d.date);
}
export function naiveIsWorking(date: string): boolean {
  if (makeup.has(date)) return true;
  if (off.has(date)) return false;
  const year = Number(date.slice(0, 4));
  if ((year < seed.loadedYears.from || year > seed.loadedYears.to) && statutoryHolidays(year).some((d) => d.date === date)) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

const PERIODS: [number, number][] = [
  [420, 690],
  [810, 1020],
];

/** Naive reference for addWorkingMinutes (m > 0): walk day by day, period by period. */
export function naiveAdd(startMs: number, minutes: number): number {
  let localMin = Math.ceil(startMs / 60_000) + 420;
  let day = Math.floor(localMin / 1440);
  let m = localMin - day * 1440;
  let left = minutes;
  for (;;) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (naiveIsWorking(date)) {
      for (const [s, e] of PERIODS) {
        const from = Math.max(s, m);
        if (from >= e) continue;
        if (left <= e - from) {
          localMin = day * 1440 + from + left;
          return (localMin - 420) * 60_000;
        }
        left -= e - from;
      }
    }
    day += 1;
    m = 0;
  }
}

/** Naive reference for working minutes in [a, b) (a <= b). */
export function naiveBetween(aMs: number, bMs: number): number {
  const a = Math.ceil(aMs / 60_000) + 420;
  const b = Math.ceil(bMs / 60_000) + 420;
  let total = 0;
  for (let day = Math.floor(a / 1440); day <= Math.floor(b / 1440); day++) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (!naiveIsWorking(date)) continue;
    for (const [s, e] of PERIODS) {
      const lo = Math.max(day * 1440 + s, a);
      const hi = Math.min(day * 1440 + e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}
