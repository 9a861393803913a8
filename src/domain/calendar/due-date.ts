/**
 * Due date ("hẹn trả kết quả") of a procedure from its intake instant, amount and unit.
 *
 * - working_day:  effective start + amount × (working minutes of a standard day; 480 by default), earliest instant.
 * - working_hour: effective start + amount × 60 working minutes, earliest instant.
 * - same_day:     the close (end of the last period, 17:00) of the effective start's day. The amount is ignored
 *                 (catalogues store 0 or 1); with a cut-off, an intake after it is due at the next working day's close.
 * - calendar_day: Bộ luật Dân sự 2015 Art. 147-148: a period counted in days starts on the day after the event and
 *                 ends at the end of its last day; when the last day is a weekly rest day or a holiday, the period
 *                 ends at the end of the next working day. Here: the last day is local date (effective start date +
 *                 amount); due at its close (the desk's closing time, not 24:00, since results are handed over during
 *                 working hours); if that date is not a working day, at the close of the next working day.
 *
 * An answer is provisional when the local dates from intake to due touch a year beyond the loaded ones or a day
 * whose status is 'provisional'.
 */
import { WORKING, type CompiledCalendar } from './compile-calendar.js';
import { dayEntries, provisionalEntry, skippedDay, startEntry } from './explain.js';
import { MINUTES_PER_DAY, dateOfDayNumber, formatLocalMinutes, fromLocalMinutes, toEpochMs, toLocalMinutes } from './local-time.js';
import { effectiveStartLocal, localAtPosition, parseCutoff, positionAt, startRuleAt } from './working-time.js';
import type { ExplainOptions, ExplanationEntry, InstantInput, StartRule, TimeUnit } from './types.js';

export interface DueDateRequest {
  start: InstantInput;
  amount: number;
  unit: TimeUnit;
  /** Intake cut-off 'HH:MM' (at or after it on a working day → next working day's opening). */
  cutoff?: string | null;
}

export interface DueDateResult {
  intake: number;
  effectiveStart: number;
  dueAt: number;
  effectiveStartLocal: string;
  dueAtLocal: string;
  startRule: StartRule;
  /** Working minutes from effective start to due (= amount × unit minutes for working units): the clock's budget. */
  budgetMinutes: number;
  provisional: boolean;
  explanation: ExplanationEntry[];
}

function checkAmount(amount: number, unit: TimeUnit, unitMinutes: number): number {
  if (unit === 'same_day') return 0;
  const minutes = amount * unitMinutes;
  const ok = unit === 'calendar_day' ? Number.isInteger(amount) : Number.isInteger(minutes);
  if (!Number.isFinite(amount) || amount < 0 || !ok) throw new RangeError(`invalid amount ${amount} for ${unit}`);
  return minutes;
}

export function computeDueDate(cal: CompiledCalendar, req: DueDateRequest, options: ExplainOptions = {}): DueDateResult {
  const intakeMs = toEpochMs(req.start);
  const intake = toLocalMinutes(intakeMs);
  const cutoff = parseCutoff(req.cutoff);
  const start = effectiveStartLocal(cal, intake, cutoff);
  const startDay = Math.floor(start / MINUTES_PER_DAY) - cal.firstDay;
  const { dayMinutes, close } = cal.hours;
  let due: number;
  let lastDay = -1;
  if (req.unit === 'working_day' || req.unit === 'working_hour') {
    const budget = checkAmount(req.amount, req.unit, req.unit === 'working_day' ? dayMinutes : 60);
    due = budget === 0 ? start : localAtPosition(cal, positionAt(cal, start) + budget, startDay);
  } else if (req.unit === 'same_day') {
    due = (cal.firstDay + startDay) * MINUTES_PER_DAY + close;
  } else if (req.unit === 'calendar_day') {
    lastDay = startDay + checkAmount(req.amount, req.unit, 1);
    const j = cal.nextWorking[Math.min(lastDay, cal.dayCount)]!;
    if (j >= cal.dayCount) throw new RangeError('due date outside the compiled calendar');
    due = (cal.firstDay + j) * MINUTES_PER_DAY + close;
  } else {
    throw new RangeError(`unknown time unit '${String(req.unit)}'`);
  }
  const budgetMinutes = positionAt(cal, due) - positionAt(cal, start);
  const first = Math.floor(intake / MINUTES_PER_DAY) - cal.firstDay;
  const lastIdx = Math.floor(due / MINUTES_PER_DAY) - cal.firstDay;
  const provisional = cal.provCum[lastIdx + 1]! - cal.provCum[first]! > 0;
  const result: DueDateResult = {
    intake: intakeMs,
    effectiveStart: fromLocalMinutes(start),
    dueAt: fromLocalMinutes(due),
    effectiveStartLocal: formatLocalMinutes(start),
    dueAtLocal: formatLocalMinutes(due),
    startRule: startRuleAt(cal, intake, cutoff),
    budgetMinutes,
    provisional,
    explanation: [],
  };
  if (options.explain === false) return result;

  const ex = result.explanation;
  ex.push(startEntry(cal, intake, start, result.startRule, req.cutoff));
  if (options.explain === 'start') return result;
  if (req.unit === 'calendar_day') {
    const fromDate = dateOfDayNumber(cal.firstDay + startDay);
    const lastDate = dateOfDayNumber(cal.firstDay + lastDay);
    const dueDate = result.dueAtLocal.slice(0, 10);
    const moved = dueDate === lastDate ? 'a working day' : `not a working day, so the period ends on the next working day ${dueDate}`;
    ex.push({
      kind: 'calendar_days',
      days: req.amount,
      fromDate,
      lastDate,
      dueDate,
      text: `${req.amount} calendar day(s) counted from the day after ${fromDate} (Bộ luật Dân sự 2015 Art. 147-148): the last day ${lastDate} is ${moved}.`,
    });
    for (let i = lastDay; i < lastIdx; i++) if ((cal.flags[i]! & WORKING) === 0) ex.push(skippedDay(cal, i));
  } else {
    ex.push(...dayEntries(cal, intake, due, [[start, due]], options.maxDayEntries));
  }
  const prov = provisionalEntry(cal, intake, due);
  if (prov) ex.push(prov);
  const from = `from ${formatLocalMinutes(start)}`;
  const texts: Record<TimeUnit, string> = {
    working_day: `${req.amount} working day(s) × ${dayMinutes} = ${budgetMinutes} working minutes ${from}`,
    working_hour: `${req.amount} working hour(s) = ${budgetMinutes} working minutes ${from}`,
    same_day: `same-day procedure: due at the close of the effective start's day`,
    calendar_day: `${req.amount} calendar day(s): due at the close of the last day (moved to a working day)`,
  };
  ex.push({ kind: 'due', dueAt: result.dueAtLocal, budgetMinutes, text: `Due ${result.dueAtLocal}: ${texts[req.unit]}.` });
  return result;
}
