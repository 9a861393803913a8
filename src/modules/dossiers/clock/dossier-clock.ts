import type { CompiledCalendar } from '../../../domain/calendar/compile-calendar.js';
import { computeDueDate, projectLedger } from '../../../domain/calendar/index.js';
import type { ExplainOptions, ExplanationEntry, SupplementPolicy, TimeUnit } from '../../../domain/calendar/types.js';
import { addWorkingMinutes, workingMinutesBetween } from '../../../domain/calendar/working-time.js';

export interface ClockInput {
  receivedAt: number;
  amount: number;
  unit: string;
  cutoff: string | null;
  policy: SupplementPolicy;
  pauses: { from: number; to: number | null }[];
}

export interface Clock {
  effectiveStart: number;
  budgetMinutes: number;
  /** Null while a pause is open (the clock is stopped). */
  dueAt: number | null;
  provisional: boolean;
  explanation: ExplanationEntry[];
}

/**
 * A dossier's clock: budget + pause ledger → the due instant, through the deadline engine (DOMAIN.md §5).
 * The statutory time gives the first appointment; pauses move it by their working time (policy `pause`) or
 * restart the budget (policy `restart`). `options.explain` as for computeDueDate (with no pause).
 */
export function projectClock(cal: CompiledCalendar, c: ClockInput, options: ExplainOptions = {}): Clock {
  const first = computeDueDate(cal, { start: c.receivedAt, amount: c.amount, unit: c.unit as TimeUnit, cutoff: c.cutoff }, options);
  const budgetMinutes = workingMinutesBetween(cal, first.effectiveStart, first.dueAt);
  if (c.pauses.length === 0) {
    return { effectiveStart: first.effectiveStart, budgetMinutes, dueAt: first.dueAt, provisional: first.provisional, explanation: first.explanation };
  }
  const ledger = projectLedger(cal, {
    budgetMinutes,
    start: c.receivedAt,
    cutoff: c.cutoff,
    policy: c.policy,
    pauses: c.pauses.map((p) => ({ from: p.from, to: p.to })),
  });
  return {
    effectiveStart: first.effectiveStart,
    budgetMinutes,
    dueAt: ledger.dueAt,
    provisional: first.provisional || ledger.provisional,
    // The ledger's explanation is whole on its own (start rule, days, pauses, due).
    explanation: ledger.explanation,
  };
}

/**
 * A step of the internal process: its deadline (start + allotted working minutes, extended by the working time
 * of pauses inside it) and the working minutes it has used up to `at` (pauses excluded).
 */
export function stepProgress(
  cal: CompiledCalendar,
  startedAt: number,
  at: number,
  allottedMinutes: number,
  pauses: { from: Date; to: Date | null }[],
): { dueAt: number; usedMinutes: number } {
  let paused = 0;
  for (const p of pauses) {
    const from = Math.max(p.from.getTime(), startedAt);
    const to = Math.min(p.to?.getTime() ?? at, at);
    if (to > from) paused += workingMinutesBetween(cal, from, to);
  }
  const usedMinutes = Math.max(0, workingMinutesBetween(cal, startedAt, at) - paused);
  const dueAt = addWorkingMinutes(cal, startedAt, allottedMinutes + paused);
  return { dueAt, usedMinutes };
}

/** A stored dossier's clock: its budget from the row, its ledger of pauses (an open one closed at `closeOpenAt`). */
export function dossierClock(
  cal: CompiledCalendar,
  d: { receivedAt: Date; timeAmount: number; timeUnit: string; cutoffHour: string | null; supplementPolicy: SupplementPolicy },
  ledger: { from: Date; to: Date | null }[],
  closeOpenAt?: number,
): Clock {
  return projectClock(cal, {
    receivedAt: d.receivedAt.getTime(),
    amount: d.timeAmount,
    unit: d.timeUnit,
    cutoff: d.cutoffHour,
    policy: d.supplementPolicy,
    pauses: ledger.map((p) => ({ from: p.from.getTime(), to: p.to?.getTime() ?? closeOpenAt ?? null })),
  });
}
