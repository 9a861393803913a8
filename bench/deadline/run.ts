/**
 * Deadline engine benchmark (prints figures; not a test). Run: npx tsx bench/deadline/run.ts
 *
 * 1. compile time of the seed calendar (median of several compiles),
 * 2. addWorkingDays for random instants in 2021-2026 and N in 1..60 (seeded PRNG, inputs generated up front),
 *    side by side with a naive day-by-day loop over a Set of holiday date strings (Date objects, same semantics;
 *    both are checked to give identical answers),
 * 3. for information: workingMinutesBetween and computeDueDate with its explanation.
 */
import { readFileSync } from 'node:fs';
import {
  addWorkingDays,
  calendarFromSeed,
  compileCalendar,
  computeDueDate,
  DEFAULT_WORKING_HOURS,
  statutoryHolidays,
  workingMinutesBetween,
  type SeedCalendarFile,
} from '../../src/domain/calendar/index.js';

const seedFile = JSON.parse(
  readFileSync(new URL('../../seeds/data/vn-working-calendar.json', import.meta.url), 'utf8'),
) as SeedCalendarFile;
const seed = calendarFromSeed(seedFile);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// --- naive reference: the obvious day-by-day loop ------------------------------------------------------------
const off = new Set(seed.days.filter((d) => d.kind !== 'makeup_workday').map((d) => d.date));
const makeup = new Set(seed.days.filter((d) => d.kind === 'makeup_workday').map((d) => d.date));
/** Outside the loaded years the engine applies the holidays the law gives, computed (statutory-holidays.ts). */
const computedOff = (year: number) => new Set(statutoryHolidays(year).map((d) => d.date));
function naiveIsWorking(d: Date): boolean {
  const key = d.toISOString().slice(0, 10);
  if (makeup.has(key)) return true;
  if (off.has(key)) return false;
  const y = d.getUTCFullYear();
  if ((y < seed.loadedYears.from || y > seed.loadedYears.to) && computedOff(y).has(key)) return false;
  const wd = d.getUTCDay();
  return wd !== 0 && wd !== 6;
}
/** N working days (07:00-11:30, 13:30-17:00) from an intake, stepping one Date day at a time. */
function naiveAddWorkingDays(startMs: number, n: number): number {
  const d = new Date(Math.ceil(startMs / 60_000) * 60_000 + 7 * 3_600_000); // local wall time in the UTC fields
  let minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  d.setUTCHours(0, 0, 0, 0);
  const nextDay = () => {
    do d.setUTCDate(d.getUTCDate() + 1);
    while (!naiveIsWorking(d));
  };
  if (!naiveIsWorking(d) || minute >= 1020) {
    nextDay();
    minute = 420;
  } else if (minute < 420) minute = 420;
  else if (minute >= 690 && minute < 810) minute = 810;
  const worked = minute <= 690 ? minute - 420 : 270 + minute - 810; // position within the day, 0..479
  let days = worked === 0 ? n - 1 : n; // a budget from 07:00 ends at 17:00 of the last counted day
  const position = worked === 0 ? 480 : worked;
  if (n === 0) return d.getTime() + minute * 60_000 - 7 * 3_600_000;
  while (days-- > 0) nextDay();
  const end = position <= 270 ? 420 + position : 810 + position - 270;
  return d.getTime() + end * 60_000 - 7 * 3_600_000;
}

// --- inputs -------------------------------------------------------------------------------------------------
const rnd = mulberry32(20240207);
const from = Date.parse('2021-01-01T00:00:00+07:00');
const to = Date.parse('2026-12-31T23:59:59+07:00');
const COUNT = 200_000;
const starts = new Float64Array(COUNT);
const amounts = new Int32Array(COUNT);
for (let i = 0; i < COUNT; i++) {
  starts[i] = from + Math.floor(rnd() * (to - from));
  amounts[i] = 1 + Math.floor(rnd() * 60);
}

// --- 1. compile ---------------------------------------------------------------------------------------------
const COMPILES = 51;
const compileTimes: number[] = [];
const cold0 = performance.now();
let cal = compileCalendar({ ...seed, hours: DEFAULT_WORKING_HOURS });
const coldCompile = performance.now() - cold0;
for (let r = 0; r < 5; r++) cal = compileCalendar({ ...seed, hours: DEFAULT_WORKING_HOURS }); // warm-up
for (let r = 0; r < COMPILES; r++) {
  const t0 = performance.now();
  cal = compileCalendar({ ...seed, hours: DEFAULT_WORKING_HOURS });
  compileTimes.push(performance.now() - t0);
}

// --- correctness cross-check --------------------------------------------------------------------------------
let mismatches = 0;
for (let i = 0; i < 20_000; i++) {
  if (addWorkingDays(cal, starts[i]!, amounts[i]!) !== naiveAddWorkingDays(starts[i]!, amounts[i]!)) mismatches++;
}

// --- 2. throughput ------------------------------------------------------------------------------------------
function measure(label: string, count: number, rounds: number, body: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < Math.min(count, 20_000); i++) sink += body(i); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) sink += body(i);
    rates.push(count / ((performance.now() - t0) / 1000));
  }
  const rate = median(rates);
  console.log(`${label.padEnd(46)} ${fmt(rate).padStart(12)} ops/s   (median of ${rounds}; checksum ${sink % 1000})`);
  return rate;
}

console.log(`deadline engine benchmark — node ${process.version}, ${COUNT.toLocaleString('en-US')} pre-generated inputs`);
console.log(`compiled ${cal.dayCount} days (${cal.compiledYears.from}-${cal.compiledYears.to}), ${seed.days.length} listed days`);
console.log(
  `compileCalendar: median ${median(compileTimes).toFixed(3)} ms, min ${Math.min(...compileTimes).toFixed(3)} ms ` +
    `(${COMPILES} compiles after warm-up); first (cold) compile ${coldCompile.toFixed(3)} ms`,
);
console.log(`cross-check engine vs naive on 20,000 inputs: ${mismatches} mismatches`);
const engine = measure('addWorkingDays (engine)', COUNT, 7, (i) => addWorkingDays(cal, starts[i]!, amounts[i]!));
const NAIVE_COUNT = 20_000;
const naive = measure('naive day-by-day loop (Date + Set<string>)', NAIVE_COUNT, 5, (i) =>
  naiveAddWorkingDays(starts[i]!, amounts[i]!),
);
console.log(`ratio engine / naive: ${(engine / naive).toFixed(1)}×   (targets: ≥ 1,000,000 ops/s and ≥ 50×)`);
measure('workingMinutesBetween', COUNT, 7, (i) => workingMinutesBetween(cal, starts[i]!, starts[(i + 1) % COUNT]!));
measure('computeDueDate, no explanation', COUNT, 5, (i) =>
  computeDueDate(cal, { start: starts[i]!, amount: amounts[i]!, unit: 'working_day' }, { explain: false }).dueAt,
);
measure('computeDueDate with explanation', 5_000, 5, (i) =>
  computeDueDate(cal, { start: starts[i]!, amount: amounts[i]!, unit: 'working_day' }).explanation.length,
);
