/**
 * Local time of Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975), so local wall time is
 * `utcMillis + 7 h` and all arithmetic is on integers. Nothing here reads the process time zone.
 *
 * "Local minutes" = whole minutes since 1970-01-01 00:00 local; "day number" = local days since 1970-01-01.
 */
import type { InstantInput } from './types.js';

export const LOCAL_OFFSET_MINUTES = 420;
export const MINUTES_PER_DAY = 1440;
const MS_PER_MINUTE = 60_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * Epoch ms → local minutes. Sub-minute parts are rounded UP to the next whole minute (the clock never starts
 * before the intake); whole-minute instants are exact.
 */
export function toLocalMinutes(ms: number): number {
  return Math.ceil(ms / MS_PER_MINUTE) + LOCAL_OFFSET_MINUTES;
}

export function fromLocalMinutes(localMinutes: number): number {
  return (localMinutes - LOCAL_OFFSET_MINUTES) * MS_PER_MINUTE;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Parse an instant. A string without an offset (e.g. '2024-02-07T07:00' or '2024-02-07') is local UTC+7 time. */
export function toEpochMs(input: InstantInput): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new RangeError(`invalid instant ${input}`);
    return input;
  }
  if (input instanceof Date) return toEpochMs(input.getTime());
  const m = ISO_RE.exec(input.trim());
  if (!m) throw new RangeError(`invalid instant '${input}'`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', off] = m;
  const ms = Number(frac.padEnd(3, '0'));
  let offsetMin = LOCAL_OFFSET_MINUTES;
  if (off === 'Z') offsetMin = 0;
  else if (off !== undefined) {
    const digits = off.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const utc = utcMs(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  checkDateParts(input, Number(y), Number(mo), Number(d));
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw new RangeError(`invalid time in '${input}'`);
  return utc - offsetMin * MS_PER_MINUTE;
}

/**
 * Date.UTC with the year taken as given: Date.UTC maps years 0-99 to 1900-1999, so '0050-06-15' would be read as
 * 1950 and then refused as impossible.
 */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(Date.UTC(2000, mo, d, h, mi, s, ms));
  t.setUTCFullYear(y, mo, d);
  return t.getTime();
}

function checkDateParts(text: string, y: number, mo: number, d: number): void {
  const back = new Date(utcMs(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`invalid date in '${text}'`);
  }
}

/** 'YYYY-MM-DD' → local day number (days since 1970-01-01). Throws RangeError on a malformed or impossible date. */
export function dayNumberOf(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`invalid date '${date}' (expected YYYY-MM-DD)`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  checkDateParts(date, y, mo, d);
  return utcMs(y, mo - 1, d) / 86_400_000;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Local day number → 'YYYY-MM-DD' (integer civil-from-days, no Date; years 0..9999). */
export function dateOfDayNumber(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekdayName(day: number): string {
  return WEEKDAYS[weekdayOfDayNumber(day)] ?? '?';
}

/** Local 'YYYY-MM-DD' of an instant. */
export function localDateOf(ms: number): string {
  return dateOfDayNumber(Math.floor(toLocalMinutes(ms) / MINUTES_PER_DAY));
}

/** 'HH:MM' → minutes of the day (0..1440; '24:00' allowed). */
export function parseHHMM(text: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const h = Number(m?.[1]);
  const mi = Number(m?.[2]);
  if (!m || mi > 59 || h * 60 + mi > MINUTES_PER_DAY) throw new RangeError(`invalid time '${text}' (expected HH:MM)`);
  return h * 60 + mi;
}

export function formatHHMM(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

/** Local minutes → '2024-02-07T17:00:00+07:00'. */
export function formatLocalMinutes(localMinutes: number): string {
  const day = Math.floor(localMinutes / MINUTES_PER_DAY);
  return `${dateOfDayNumber(day)}T${formatHHMM(localMinutes - day * MINUTES_PER_DAY)}:00+07:00`;
}

/** An instant as ISO-8601 with the +07:00 offset, e.g. '2024-02-07T17:00:00+07:00' (sub-minute parts rounded up). */
export function formatInstant(ms: number): string {
  return formatLocalMinutes(toLocalMinutes(ms));
}

/** Short local form for explanation texts: '2024-02-07 17:00'. */
export function shortLocal(localMinutes: number): string {
  return formatLocalMinutes(localMinutes).slice(0, 16).replace('T', ' ');
}
