/**
 * The holidays of a year whose official schedule is not loaded, computed from the law, so that a deadline running
 * past the loaded years still skips Tết (DOMAIN.md §5). Every day computed here is provisional: the Prime Minister
 * fixes the exact days each year (Bộ luật Lao động 2019 Art. 112(3)), and only the loaded notice is official.
 *
 * Bộ luật Lao động 2019 Art. 112(1): Tết Dương lịch (01/01), Tết Âm lịch (5 days), Ngày Chiến thắng (30/04), Quốc tế
 * Lao động (01/05), Quốc khánh (02/09 and one adjacent day, before or after), Giỗ Tổ Hùng Vương (10/3 âm lịch); from
 * 2026 Ngày Văn hóa Việt Nam (24/11, Nghị quyết 28/2026/QH16). Art. 111(3): a holiday on the weekly rest day
 * (Saturday and Sunday for public agencies) gives a day off on the next working day.
 *
 * What the law leaves to the yearly decision is a rule here, each a setting (HolidayRules):
 *  - Tết: the 5 days begin `tetDaysBefore` days before mùng 1 (default 2: the last two days of the old year and
 *    mùng 1-3). With the weekend compensation this gives exactly the weekdays off of every notice 2021-2027.
 *  - Quốc khánh's adjacent day (`nationalDayAdjacent`, default 'auto'): the weekday next to 02/09 that joins a
 *    weekend (a weekday before or after; of two weekdays the one next to a weekend; else the day before), as every
 *    notice 2021-2027 chose. From 2021 (the 2019 code); before, 02/09 alone.
 * Swaps of a working day for a Saturday (hoán đổi, làm bù) are the government's yearly choice and are not guessed.
 */
import { lunarToDayNumber } from './lunar-calendar.js';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from './local-time.js';
import type { CalendarDay } from './types.js';

export interface HolidayRules {
  /** Days of the 5 days of Tết before mùng 1 (0..4). */
  tetDaysBefore: number;
  /** Which day next to 02/09 is Quốc khánh's second day. */
  nationalDayAdjacent: 'auto' | 'before' | 'after';
}

export const DEFAULT_HOLIDAY_RULES: HolidayRules = { tetDaysBefore: 2, nationalDayAdjacent: 'auto' };

const STEMS = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const BRANCHES = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];
/** The lunar year's name (can chi) of the year that begins in Gregorian `year`: 2027 → Đinh Mùi. */
export const canChi = (year: number) => `${STEMS[(year + 6) % 10]} ${BRANCHES[(year + 8) % 12]}`;

const SOURCE =
  'computed, provisional: Bộ luật Lao động 2019 Art. 112 (Tết Nguyên đán and Giỗ Tổ by the Vietnamese lunar calendar, UTC+7) ' +
  'and Art. 111(3) (a holiday on a Saturday or Sunday gives a day off on the next working day); the year\'s official schedule is not loaded';
const TET_SOURCE = (before: number) =>
  `${SOURCE}; Tết: the 5 days from ${before} day(s) before mùng 1, the days the Prime Minister fixes each year (Art. 112(3)) unconfirmed`;
const NATIONAL_DAY_SOURCE = `${SOURCE}; Quốc khánh: the adjacent day the Prime Minister fixes each year (Art. 112(3)) unconfirmed`;

const NATIONAL_DAY_ADJACENT_FROM = 2021;
const CULTURE_DAY_FROM = 2026;

const isWeekend = (day: number) => {
  const wd = weekdayOfDayNumber(day);
  return wd === 0 || wd === 6;
};

/** Quốc khánh's adjacent day: 'auto' takes the weekday that joins a weekend (see the file's comment). */
function nationalDayAdjacent(sep2: number, rule: HolidayRules['nationalDayAdjacent']): number {
  if (rule === 'before') return sep2 - 1;
  if (rule === 'after') return sep2 + 1;
  const before = sep2 - 1;
  const after = sep2 + 1;
  if (isWeekend(before) !== isWeekend(after)) return isWeekend(before) ? after : before;
  const joins = (d: number) => isWeekend(d - 1) || isWeekend(d + 1);
  if (!isWeekend(before) && joins(after) && !joins(before)) return after;
  return before;
}

const cache = new Map<string, readonly CalendarDay[]>();
const dayNumbers = new WeakMap<readonly CalendarDay[], Int32Array>();

/** The local day numbers of statutoryHolidays(year, rules), in the same order (what compiling needs; memoised). */
export function statutoryHolidayDayNumbers(days: readonly CalendarDay[]): Int32Array {
  let numbers = dayNumbers.get(days);
  if (!numbers) {
    numbers = Int32Array.from(days, (d) => dayNumberOf(d.date));
    dayNumbers.set(days, numbers);
  }
  return numbers;
}

/**
 * The holidays (weekend ones too, so an explanation names them) and compensatory days off of `year`, computed by
 * the rules above, every one 'provisional'. Sorted by date. Memoised per year and rules.
 */
export function statutoryHolidays(year: number, rules: HolidayRules = DEFAULT_HOLIDAY_RULES): readonly CalendarDay[] {
  const key = `${year}|${rules.tetDaysBefore}|${rules.nationalDayAdjacent}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!Number.isInteger(rules.tetDaysBefore) || rules.tetDaysBefore < 0 || rules.tetDaysBefore > 4) {
    throw new RangeError('tetDaysBefore must be an integer 0..4');
  }
  const holidays = new Map<number, { name: string; source: string }>();
  const solar = (monthDay: string, name: string, source = SOURCE) => holidays.set(dayNumberOf(`${year}-${monthDay}`), { name, source });

  solar('01-01', 'Tết Dương lịch');
  const tet = lunarToDayNumber(year, 1, 1);
  const tetName = `Tết Nguyên đán ${canChi(year)}`;
  for (let i = 0; i < 5; i++) {
    const day = tet - rules.tetDaysBefore + i;
    holidays.set(day, { name: day === tet ? `${tetName} (mùng 1)` : tetName, source: TET_SOURCE(rules.tetDaysBefore) });
  }
  holidays.set(lunarToDayNumber(year, 3, 10), { name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', source: SOURCE });
  solar('04-30', 'Ngày Chiến thắng');
  solar('05-01', 'Quốc tế Lao động');
  const sep2 = dayNumberOf(`${year}-09-02`);
  holidays.set(sep2, { name: 'Quốc khánh', source: SOURCE });
  if (year >= NATIONAL_DAY_ADJACENT_FROM) {
    holidays.set(nationalDayAdjacent(sep2, rules.nationalDayAdjacent), { name: 'Quốc khánh (ngày liền kề)', source: NATIONAL_DAY_SOURCE });
  }
  if (year >= CULTURE_DAY_FROM) solar('11-24', 'Ngày Văn hóa Việt Nam');

  const days: CalendarDay[] = [];
  const off = new Set(holidays.keys());
  for (const day of [...holidays.keys()].sort((a, b) => a - b)) {
    const h = holidays.get(day)!;
    days.push({ date: dateOfDayNumber(day), kind: 'holiday', name: h.name, source: h.source, status: 'provisional' });
    if (!isWeekend(day)) continue;
    // Art. 111(3): the next working day, after any holiday or day off already given.
    let comp = day + 1;
    while (isWeekend(comp) || off.has(comp)) comp++;
    off.add(comp);
    const date = dateOfDayNumber(day);
    const weekday = weekdayOfDayNumber(day) === 6 ? 'thứ Bảy' : 'Chủ nhật';
    days.push({
      date: dateOfDayNumber(comp),
      kind: 'compensatory_off',
      name: `Nghỉ bù ${h.name} (${date.slice(8)}/${date.slice(5, 7)} là ${weekday})`,
      source: h.source,
      status: 'provisional',
    });
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  cache.set(key, days);
  return days;
}
