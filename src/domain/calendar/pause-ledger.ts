/**
 * A dossier's clock = time budget + ledger of pauses (supplement requests); the due instant is derived, so it can be
 * recomputed (e.g. after a calendar correction) and explained (DOMAIN.md §5).
 *
 * The clock runs from the effective start of the intake. A pause [from, to) stops it:
 *  - policy 'pause':   the due instant moves by exactly the working minutes between the pause start and resume;
 *  - policy 'restart': the whole budget starts again from the effective start of the resume instant (the cut-off
 *                      applies to it as to an intake); working minutes used before the pause are discarded.
 * An open pause (to = null) stops the clock: dueAt is null, used/remaining minutes are still reported.
 * A pause that begins at or after the instant the budget ran out does not move the due instant (the dossier was
 * already due; it is listed with counted = false). Overlapping pauses count their union once.
 */
import type { CompiledCalendar } from './compile-calendar.js';
import { dayEntries, provisionalEntry, startEntry } from './explain.js';
import { MINUTES_PER_DAY, formatLocalMinutes, fromLocalMinutes, toEpochMs, toLocalMinutes } from './local-time.js';
import { effectiveStartLocal, localAtPosition, parseCutoff, positionAt, startRuleAt } from './working-time.js';
import type { ExplainOptions, ExplanationEntry, InstantInput, SupplementPolicy } from './types.js';

export interface Pause {
  from: InstantInput;
  to: InstantInput | null;
  reason?: string;
}

export interface DossierClock {
  budgetMinutes: number;
  /** Intake instant. */
  start: InstantInput;
  cutoff?: string | null;
  policy: SupplementPolicy;
  pauses: readonly Pause[];
}

export interface ClockResult {
  effectiveStart: number;
  effectiveStartLocal: string;
  /** null while the clock is stopped by an open pause. */
  dueAt: number | null;
  dueAtLocal: string | null;
  stopped: boolean;
  budgetMinutes: number;
  /** Working minutes paused by counted pauses (an open pause counts up to `at`, or 0 without `at`). */
  pausedMinutes: number;
  /** Budget minutes consumed as of `at` (default: the open pause's start, or the due instant → the budget). */
  usedMinutes: number;
  /** budget - used: ≤ 0 means due or overdue (by that many working minutes). */
  remainingMinutes: number;
  provisional: boolean;
  explanation: ExplanationEntry[];
}

interface Phase {
  at: number; // local minute the phase begins
  base: number; // local minute from which a running phase counts
  running: boolean;
  used: number; // budget used when the phase begins
}

export function projectLedger(
  cal: CompiledCalendar,
  clock: DossierClock,
  options: ExplainOptions & { at?: InstantInput } = {},
): ClockResult {
  const B = clock.budgetMinutes;
  if (!Number.isInteger(B) || B < 0) throw new RangeError(`budgetMinutes must be a non-negative integer, got ${B}`);
  const W = (local: number) => positionAt(cal, local);
  const cutoff = parseCutoff(clock.cutoff);
  const intake = toLocalMinutes(toEpochMs(clock.start));
  const eff = effectiveStartLocal(cal, intake, cutoff);
  const at = options.at === undefined ? null : toLocalMinutes(toEpochMs(options.at));
  const pauses = clock.pauses
    .map((p) => ({ f: toLocalMinutes(toEpochMs(p.from)), t: p.to === null ? null : toLocalMinutes(toEpochMs(p.to)), reason: p.reason }))
    .sort((a, b) => a.f - b.f);
  const ex: ExplanationEntry[] = [];
  const phases: Phase[] = [{ at: eff, base: eff, running: true, used: 0 }];
  let segments: [number, number][] = [];
  let daysFrom = intake;
  let cursor = eff;
  let left = B;
  let due: number | null = null;
  let stopped = false;
  let paused = 0;
  let openFrom = 0;
  const reach = (from: number, minutes: number) =>
    minutes === 0 ? from : localAtPosition(cal, W(from) + minutes, Math.floor(from / MINUTES_PER_DAY) - cal.firstDay);

  for (const [n, p] of pauses.entries()) {
    if (p.f < intake) throw new RangeError('a pause cannot start before the intake');
    if (p.t !== null && p.t < p.f) throw new RangeError('a pause cannot end before it starts');
    if (p.t === null && n !== pauses.length - 1) throw new RangeError('no pause may start after an open pause');
    const fromText = formatLocalMinutes(p.f);
    const toText = p.t === null ? null : formatLocalMinutes(p.t);
    const reason = p.reason === undefined ? {} : { reason: p.reason };
    const run = Math.max(0, W(p.f) - W(cursor));
    if (due !== null || run >= left) {
      if (due === null) {
        due = reach(cursor, left);
        segments.push([cursor, due]);
      }
      const text = `Pause ${fromText} → ${toText ?? 'open'} began after the budget ran out: the due instant does not move.`;
      ex.push({ kind: 'pause', from: fromText, to: toText, minutes: 0, counted: false, ...reason, text });
      continue;
    }
    const stop = Math.max(cursor, p.f);
    if (stop > cursor) segments.push([cursor, stop]);
    left -= run;
    phases.push({ at: stop, base: stop, running: false, used: B - left });
    const end = p.t ?? at;
    const minutes = end === null ? 0 : Math.max(0, W(end) - W(stop));
    paused += minutes;
    const why = p.reason ? ` (${p.reason})` : '';
    if (p.t === null) {
      stopped = true;
      openFrom = stop;
      const text = `Clock stopped since ${fromText}${why}: ${B - left} of ${B} working minutes used, ${left} left${at === null ? '' : `; ${minutes} working minutes paused so far`}.`;
      ex.push({ kind: 'pause', from: fromText, to: null, minutes, counted: true, ...reason, text });
      break;
    }
    ex.push({ kind: 'pause', from: fromText, to: toText, minutes, counted: true, ...reason, text: `Pause ${fromText} → ${toText}${why}: ${minutes} working minutes paused.` });
    if (clock.policy === 'restart') {
      const resume = effectiveStartLocal(cal, p.t, cutoff);
      const text = `Supplement received ${toText}: the full budget of ${B} working minutes restarts at ${formatLocalMinutes(resume)}; ${B - left} minutes used before are discarded.`;
      ex.push({ kind: 'restart', at: toText ?? '', effectiveStart: formatLocalMinutes(resume), discardedMinutes: B - left, text });
      cursor = resume;
      left = B;
      segments = [];
      daysFrom = p.t;
      phases.push({ at: Math.max(p.t, stop), base: resume, running: true, used: 0 });
    } else {
      cursor = Math.max(cursor, p.t);
      phases.push({ at: Math.max(p.t, stop), base: cursor, running: true, used: B - left });
    }
  }
  if (!stopped && due === null) {
    due = reach(cursor, left);
    segments.push([cursor, due]);
  }

  const when = at ?? (stopped ? openFrom : (due ?? eff));
  let used = 0;
  for (const ph of phases) {
    if (ph.at > when) break;
    used = ph.running ? ph.used + Math.max(0, W(when) - W(ph.base)) : ph.used;
  }
  if (at === null && !stopped) used = B;
  const endLocal = due ?? Math.max(openFrom, at ?? openFrom);
  const first = Math.floor(intake / MINUTES_PER_DAY) - cal.firstDay;
  const last = Math.floor(endLocal / MINUTES_PER_DAY) - cal.firstDay;
  const result: ClockResult = {
    effectiveStart: fromLocalMinutes(eff),
    effectiveStartLocal: formatLocalMinutes(eff),
    dueAt: due === null ? null : fromLocalMinutes(due),
    dueAtLocal: due === null ? null : formatLocalMinutes(due),
    stopped,
    budgetMinutes: B,
    pausedMinutes: paused,
    usedMinutes: used,
    remainingMinutes: B - used,
    provisional: cal.provCum[last + 1]! - cal.provCum[first]! > 0,
    explanation: [],
  };
  if (options.explain === false) return result;
  const dayList = dayEntries(cal, daysFrom, due ?? openFrom, segments, options.maxDayEntries);
  result.explanation = [startEntry(cal, intake, eff, startRuleAt(cal, intake, cutoff), clock.cutoff), ...ex, ...dayList];
  const prov = provisionalEntry(cal, intake, endLocal);
  if (prov) result.explanation.push(prov);
  const dueText = stopped
    ? `No due instant while the clock is stopped (${left} working minutes left when it stopped).`
    : `Due ${result.dueAtLocal}: budget ${B} working minutes (policy '${clock.policy}', ${paused} working minutes paused).`;
  result.explanation.push({ kind: 'due', dueAt: result.dueAtLocal, budgetMinutes: B, text: dueText });
  return result;
}
