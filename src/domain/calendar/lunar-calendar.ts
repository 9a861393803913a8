/**
 * The Vietnamese lunar calendar (âm lịch), computed from the astronomy: what a deadline beyond the officially
 * loaded years needs to place Tết Nguyên đán (1/1 âm lịch) and Giỗ Tổ Hùng Vương (10/3 âm lịch), the holidays of
 * Bộ luật Lao động 2019 Art. 112(1)(b) and (e) that move with the moon.
 *
 * The rules of the calendar (those Hồ Ngọc Đức published for the Vietnamese calendar; the Chinese calendar uses
 * the same rules at UTC+8, which is why the two sometimes differ, as in 1985 and 2007):
 *  1. A day runs from local midnight to local midnight at UTC+7 (the Vietnamese calendar since 1968).
 *  2. A lunar month begins on the local day that holds the astronomical new moon.
 *  3. Month 11 is the month that holds the winter solstice (the sun at apparent longitude 270°).
 *  4. When 13 months begin from one month 11 to the next, the year has a leap month: the first month after month 11
 *     during which the sun enters no new 30° sector (no major solar term, trung khí) repeats the number before it.
 *
 * The new moon is Meeus's series (Astronomical Algorithms, 2nd ed., ch. 49, with the planetary terms), converted
 * from dynamical to universal time by Espenak and Meeus's ΔT polynomials; the sun's apparent longitude is Meeus's
 * ch. 25 (about 0.01°, some 15 minutes of time). Only a new moon or a solar term within minutes of local midnight
 * could be placed on the wrong day. Pure and memoised per year; no I/O.
 */
import { dayNumberOf } from './local-time.js';

/** Years the ΔT polynomials below cover. */
export const LUNAR_YEARS = { from: 1900, to: 2100 } as const;
/** Vietnam's time zone, in hours east of UTC. */
export const VIETNAM_UTC_OFFSET = 7;

const RAD = Math.PI / 180;
const sinDeg = (deg: number) => Math.sin(deg * RAD);
/** Julian day of 1970-01-01T00:00Z (day number 0 at midnight UTC). */
const JD_UNIX_EPOCH = 2440587.5;
const SYNODIC_MONTH = 29.530588861;

/** ΔT = TT − UT in seconds (Espenak & Meeus, NASA's eclipse pages, 2006). */
function deltaTSeconds(year: number): number {
  if (year < 1920) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (year < 1941) {
    const t = year - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (year < 1961) {
    const t = year - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (year < 2005) {
    const t = year - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year);
}

const yearOfJd = (jd: number) => 2000 + (jd - 2451545) / 365.25;

/** A2..A14 of Meeus Table 49.A: [constant, per lunation, coefficient] triples. */
const PLANETARY = [
  251.88, 0.016321, 0.000165, 251.83, 26.651886, 0.000164, 349.42, 36.412478, 0.000126, 84.66, 18.206239, 0.00011,
  141.74, 53.303771, 0.000062, 207.14, 2.453732, 0.00006, 154.84, 7.30686, 0.000056, 34.52, 27.261239, 0.000047,
  207.19, 0.121824, 0.000042, 291.34, 1.844379, 0.00004, 161.72, 24.198154, 0.000037, 239.56, 25.513099, 0.000035,
  331.55, 3.592518, 0.000023,
];

/** The instant (Julian day, UT) of the k-th new moon after that of 2000-01-06 (Meeus ch. 49). */
export function newMoonJd(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  let jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  jde +=
    -0.4072 * sinDeg(Mp) +
    0.17241 * E * sinDeg(M) +
    0.01608 * sinDeg(2 * Mp) +
    0.01039 * sinDeg(2 * F) +
    0.00739 * E * sinDeg(Mp - M) -
    0.00514 * E * sinDeg(Mp + M) +
    0.00208 * E * E * sinDeg(2 * M) -
    0.00111 * sinDeg(Mp - 2 * F) -
    0.00057 * sinDeg(Mp + 2 * F) +
    0.00056 * E * sinDeg(2 * Mp + M) -
    0.00042 * sinDeg(3 * Mp) +
    0.00042 * E * sinDeg(M + 2 * F) +
    0.00038 * E * sinDeg(M - 2 * F) -
    0.00024 * E * sinDeg(2 * Mp - M) -
    0.00017 * sinDeg(Om) -
    0.00007 * sinDeg(Mp + 2 * M) +
    0.00004 * sinDeg(2 * Mp - 2 * F) +
    0.00004 * sinDeg(3 * M) +
    0.00003 * sinDeg(Mp + M - 2 * F) +
    0.00003 * sinDeg(2 * Mp + 2 * F) -
    0.00003 * sinDeg(Mp + M + 2 * F) +
    0.00003 * sinDeg(Mp - M + 2 * F) -
    0.00002 * sinDeg(Mp - M - 2 * F) -
    0.00002 * sinDeg(3 * Mp + M) +
    0.00002 * sinDeg(4 * Mp);
  // Planetary arguments (Meeus Table 49.A, "additional corrections"): A1 has a T² term, the others are linear in k.
  jde += 0.000325 * sinDeg(299.77 + 0.107408 * k - 0.009173 * T2);
  for (let i = 0; i < PLANETARY.length; i += 3) jde += PLANETARY[i + 2]! * sinDeg(PLANETARY[i]! + PLANETARY[i + 1]! * k);
  return jde - deltaTSeconds(yearOfJd(jde)) / 86400;
}

/** The sun's apparent geocentric longitude in degrees [0, 360) at an instant (Julian day, UT) (Meeus ch. 25). */
export function sunLongitude(jdUt: number): number {
  const jde = jdUt + deltaTSeconds(yearOfJd(jdUt)) / 86400;
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sinDeg(M) + (0.019993 - 0.000101 * T) * sinDeg(2 * M) + 0.000289 * sinDeg(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lambda = L0 + C - 0.00569 - 0.00478 * sinDeg(omega);
  return ((lambda % 360) + 360) % 360;
}

/** Local day number (days since 1970-01-01) of the day holding an instant, at a UTC offset in hours. */
const localDayOf = (jdUt: number, offsetHours: number) => Math.floor(jdUt - JD_UNIX_EPOCH + offsetHours / 24);
/** The instant (Julian day, UT) of local midnight starting a local day number. */
const midnightJd = (day: number, offsetHours: number) => day + JD_UNIX_EPOCH - offsetHours / 24;

/** The local day on which the k-th new moon falls (memoised: each year's months are looked at from three years). */
const newMoonDays = new Map<string, number>();
function newMoonDay(k: number, offsetHours: number): number {
  const key = `${k}@${offsetHours}`;
  let day = newMoonDays.get(key);
  if (day === undefined) {
    day = localDayOf(newMoonJd(k), offsetHours);
    newMoonDays.set(key, day);
  }
  return day;
}

/** Which 30° sector (0..11) the sun is in at local midnight starting a day: a major term falls between two that differ. */
const sunSectorAt = (day: number, offsetHours: number) => Math.floor(sunLongitude(midnightJd(day, offsetHours)) / 30);

/** The lunation index k of the new moon nearest before (or on) a local day. */
function lunationOnOrBefore(day: number, offsetHours: number): number {
  const jd = midnightJd(day, offsetHours) + 1;
  let k = Math.floor((jd - 2451550.09766) / SYNODIC_MONTH);
  while (newMoonDay(k + 1, offsetHours) <= day) k++;
  while (newMoonDay(k, offsetHours) > day) k--;
  return k;
}

/**
 * The lunation index of month 11 of the lunar year ending in Gregorian `year`'s winter: the month that holds the
 * winter solstice. Its first day is the last new-moon day on or before 31 December at whose start the sun has not
 * yet reached 270°.
 */
const month11s = new Map<string, number>();
function month11Lunation(year: number, offsetHours: number): number {
  const key = `${year}@${offsetHours}`;
  const hit = month11s.get(key);
  if (hit !== undefined) return hit;
  let k = lunationOnOrBefore(dayNumberOf(`${year}-12-31`), offsetHours);
  while (sunSectorAt(newMoonDay(k, offsetHours), offsetHours) >= 9) k--;
  month11s.set(key, k);
  return k;
}

export interface LunarYear {
  /** Gregorian year in which the lunar year begins. */
  year: number;
  /** Local day numbers of the first day of each month of the year (the months begun from 1/1 to before the next 1/1). */
  monthStarts: number[];
  /** Number (1..12) of each month in monthStarts; a leap month repeats the number before it. */
  monthNumbers: number[];
  /** Index in monthStarts of the leap month, or -1. */
  leapIndex: number;
}

const cache = new Map<string, LunarYear>();

/**
 * The lunar year that begins (on Tết) in Gregorian `year`, at a UTC offset (default Vietnam's, 7). Memoised.
 * Throws RangeError outside LUNAR_YEARS.
 */
export function lunarYear(year: number, offsetHours: number = VIETNAM_UTC_OFFSET): LunarYear {
  if (!Number.isInteger(year) || year < LUNAR_YEARS.from || year > LUNAR_YEARS.to) {
    throw new RangeError(`lunar calendar: year ${year} outside ${LUNAR_YEARS.from}-${LUNAR_YEARS.to}`);
  }
  const key = `${year}@${offsetHours}`;
  const hit = cache.get(key);
  if (hit) return hit;

  // Months from month 11 of the year before, through month 11 of this year, and of the next: enough to number
  // every month from this Tết to the next.
  const kPrev = month11Lunation(year - 1, offsetHours);
  const kThis = month11Lunation(year, offsetHours);
  const kNext = month11Lunation(year + 1, offsetHours);
  const numbers = new Map<number, number>();
  const leapOf = new Map<number, boolean>();
  for (const [from, to] of [
    [kPrev, kThis],
    [kThis, kNext],
  ] as const) {
    numbers.set(from, 11);
    const leapYear = to - from === 13;
    let leapSeen = false;
    let n = 11;
    for (let k = from + 1; k < to; k++) {
      const noMajorTerm =
        sunSectorAt(newMoonDay(k, offsetHours), offsetHours) === sunSectorAt(newMoonDay(k + 1, offsetHours), offsetHours);
      const isLeap = leapYear && !leapSeen && noMajorTerm;
      if (isLeap) leapSeen = true;
      else n = (n % 12) + 1;
      numbers.set(k, n);
      leapOf.set(k, isLeap);
    }
  }
  // Tết: the first month numbered 1 after month 11 of the year before; the year runs to the next month 1.
  let first = kPrev + 1;
  while (numbers.get(first) !== 1 || leapOf.get(first)) first++;
  let next = first + 1;
  while (numbers.get(next) !== 1 || leapOf.get(next)) next++;
  const monthStarts: number[] = [];
  const monthNumbers: number[] = [];
  let leapIndex = -1;
  for (let k = first; k < next; k++) {
    if (leapOf.get(k)) leapIndex = monthStarts.length;
    monthStarts.push(newMoonDay(k, offsetHours));
    monthNumbers.push(numbers.get(k)!);
  }
  const result: LunarYear = { year, monthStarts, monthNumbers, leapIndex };
  cache.set(key, result);
  return result;
}

/**
 * The local day number of lunar day `day` of (non-leap) month `month` of the lunar year beginning in `year`:
 * e.g. (y, 1, 1) is Tết Nguyên đán, (y, 3, 10) Giỗ Tổ Hùng Vương.
 */
export function lunarToDayNumber(year: number, month: number, day: number, offsetHours: number = VIETNAM_UTC_OFFSET): number {
  const ly = lunarYear(year, offsetHours);
  const i = ly.monthNumbers.findIndex((n, idx) => n === month && idx !== ly.leapIndex);
  if (i < 0) throw new RangeError(`lunar calendar: no month ${month} in the year beginning ${year}`);
  const start = ly.monthStarts[i]!;
  const end = ly.monthStarts[i + 1] ?? lunarYear(year + 1, offsetHours).monthStarts[0]!;
  if (!Number.isInteger(day) || day < 1 || day > end - start) {
    throw new RangeError(`lunar calendar: month ${month} of ${year} has ${end - start} days, not day ${day}`);
  }
  return start + day - 1;
}
