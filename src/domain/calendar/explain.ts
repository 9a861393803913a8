/**
 * Explanations: structured entries (each with `kind` and an English `text`; holiday names stay Vietnamese) saying
 * which start rule applied, which days were counted (minutes per day), which were skipped and why, and whether the
 * answer is provisional. Built only when asked; not on the hot path.
 */
import { BEYOND_LOADED, PROVISIONAL_DAY, WORKING, type CompiledCalendar } from './compile-calendar.js';
import { MINUTES_PER_DAY, dateOfDayNumber, formatHHMM, formatLocalMinutes, shortLocal, weekdayName } from './local-time.js';
import { positionAt } from './working-time.js';
import type { ExplanationEntry, ProvisionalReason, SkipReason, StartRule } from './types.js';

type Entry<K extends ExplanationEntry['kind']> = Extract<ExplanationEntry, { kind: K }>;

const KIND_LABEL: Record<SkipReason, string> = {
  weekend: 'weekend',
  holiday: 'holiday',
  compensatory_off: 'compensatory day off (nghỉ bù)',
  swap_off: 'swapped day off (nghỉ hoán đổi)',
};

/** Why a non-working day index is not counted. */
export function skippedDay(cal: CompiledCalendar, i: number): Entry<'day_skipped'> {
  const day = cal.firstDay + i;
  const date = dateOfDayNumber(day);
  const weekday = weekdayName(day);
  const info = cal.dayInfo.get(i);
  if (!info || info.kind === 'makeup_workday') {
    return { kind: 'day_skipped', date, weekday, reason: 'weekend', text: `${date} (${weekday}): weekend, not counted` };
  }
  const src = info.source ? ` [${info.source}]` : '';
  const status = info.status === 'official' ? '' : ` (${info.status})`;
  return {
    kind: 'day_skipped',
    date,
    weekday,
    reason: info.kind,
    name: info.name,
    source: info.source,
    status: info.status,
    text: `${date} (${weekday}): ${KIND_LABEL[info.kind]} — ${info.name}${src}${status}, not counted`,
  };
}

/** Short reason a day is not working ('weekend' or the holiday's name). */
export function nonWorkingReason(cal: CompiledCalendar, i: number): string {
  const e = skippedDay(cal, i);
  return e.name ? `${KIND_LABEL[e.reason]}: ${e.name}` : 'weekend';
}

export function startEntry(
  cal: CompiledCalendar,
  intake: number,
  start: number,
  rule: StartRule,
  cutoff: string | null | undefined,
): Entry<'start'> {
  const t = shortLocal(intake);
  const s = shortLocal(start);
  const i = Math.floor(intake / MINUTES_PER_DAY) - cal.firstDay;
  const texts: Record<StartRule, string> = {
    inside_period: `Intake ${t} is inside working hours: the clock starts at intake.`,
    before_opening: `Intake ${t} is before opening: the clock starts at ${s}.`,
    break: `Intake ${t} is during the break between working periods: the clock starts at ${s}.`,
    after_hours: `Intake ${t} is at or after closing (${formatHHMM(cal.hours.close)}): the clock starts at the next working day's opening, ${s}.`,
    non_working_day: `Intake ${t} is on a non-working day (${rule === 'non_working_day' ? nonWorkingReason(cal, i) : ''}): the clock starts at the next working day's opening, ${s}.`,
    cutoff: `Intake ${t} is at or after the procedure's cut-off hour ${cutoff ?? ''}: the clock starts at the next working day's opening, ${s}.`,
  };
  const entry: Entry<'start'> = {
    kind: 'start',
    rule,
    intake: formatLocalMinutes(intake),
    effectiveStart: formatLocalMinutes(start),
    text: texts[rule],
  };
  if (cutoff) entry.cutoff = cutoff;
  return entry;
}

/**
 * One entry per day from the day of `fromLocal` to the day of `toLocal`: working days with the minutes counted in
 * the running segments ([a, b) in local minutes), non-working days with the reason. Working days with nothing
 * counted (e.g. intake after hours, a fully paused day) are left out. Beyond maxDayEntries, ordinary entries are
 * summarised in one 'days_omitted' entry (holidays, days off and make-up Saturdays stay listed).
 */
export function dayEntries(
  cal: CompiledCalendar,
  fromLocal: number,
  toLocal: number,
  segments: readonly (readonly [number, number])[],
  maxDayEntries = 120,
): ExplanationEntry[] {
  const first = Math.floor(fromLocal / MINUTES_PER_DAY) - cal.firstDay;
  const last = Math.floor(toLocal / MINUTES_PER_DAY) - cal.firstDay;
  const segPos = segments.map(([a, b]) => [positionAt(cal, a), positionAt(cal, b)] as const);
  const out: ExplanationEntry[] = [];
  for (let i = first; i <= last; i++) {
    if ((cal.flags[i]! & WORKING) === 0) {
      out.push(skippedDay(cal, i));
      continue;
    }
    const lo = cal.cum[i]!;
    const hi = cal.cum[i + 1]!;
    let minutes = 0;
    for (const [a, b] of segPos) minutes += Math.max(0, Math.min(b, hi) - Math.max(a, lo));
    if (minutes === 0) continue;
    const day = cal.firstDay + i;
    const date = dateOfDayNumber(day);
    const weekday = weekdayName(day);
    const info = cal.dayInfo.get(i);
    const entry: Entry<'day_counted'> = { kind: 'day_counted', date, weekday, minutes, text: '' };
    entry.text = `${date} (${weekday}): ${minutes} working minutes counted`;
    if (info?.kind === 'makeup_workday') {
      entry.makeupWorkday = info.name;
      entry.text += ` — make-up working day (làm bù): ${info.name}`;
    }
    out.push(entry);
  }
  if (out.length <= maxDayEntries) return out;
  const kept = out.filter(
    (e) => (e.kind === 'day_skipped' && e.reason !== 'weekend') || (e.kind === 'day_counted' && e.makeupWorkday),
  );
  const omitted = out.length - kept.length;
  kept.push({
    kind: 'days_omitted',
    count: omitted,
    text: `${omitted} ordinary days (working days counted in full and weekends) not listed individually`,
  });
  return kept;
}

/** The provisional entry for the local-date range of [fromLocal, toLocal], or null when nothing is provisional. */
export function provisionalEntry(cal: CompiledCalendar, fromLocal: number, toLocal: number): Entry<'provisional'> | null {
  const first = Math.floor(fromLocal / MINUTES_PER_DAY) - cal.firstDay;
  const last = Math.floor(toLocal / MINUTES_PER_DAY) - cal.firstDay;
  if (cal.provCum[last + 1]! - cal.provCum[first]! === 0) return null;
  const years = new Set<number>();
  const dates: string[] = [];
  const named: string[] = [];
  const computed: string[] = [];
  for (let i = first; i <= last; i++) {
    const f = cal.flags[i]!;
    if (f & BEYOND_LOADED) {
      years.add(Number(dateOfDayNumber(cal.firstDay + i).slice(0, 4)));
      const info = cal.dayInfo.get(i);
      if (info && (f & WORKING) === 0) computed.push(`${info.date} ${info.name}`);
    }
    if (f & PROVISIONAL_DAY) {
      const date = dateOfDayNumber(cal.firstDay + i);
      const info = cal.dayInfo.get(i);
      dates.push(date);
      named.push(info ? `${date} ${info.name}` : date);
    }
  }
  const reasons: ProvisionalReason[] = [];
  const parts: string[] = [];
  const { from, to } = cal.loadedYears;
  if (years.size > 0) {
    reasons.push('beyond_loaded_years');
    parts.push(
      `${[...years].join(', ')} ${years.size > 1 ? 'are' : 'is'} beyond the loaded calendar (${from}-${to}): its holidays are computed from Bộ luật Lao động 2019 Art. 111-112 (Tết Nguyên đán and Giỗ Tổ by the Vietnamese lunar calendar), not read from an official schedule${
        computed.length ? ` (skipped here: ${computed.join('; ')})` : ''
      }`,
    );
  }
  if (dates.length > 0) {
    reasons.push('provisional_day');
    parts.push(`the counted range crosses day(s) not yet confirmed: ${named.join('; ')}`);
  }
  return {
    kind: 'provisional',
    reasons,
    years: [...years],
    dates,
    text: `Provisional: ${parts.join('; ')}. A calendar administrator must confirm; the due date may change.`,
  };
}
