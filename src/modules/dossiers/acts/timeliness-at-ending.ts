import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import type { Deps } from '../../../deps.js';

type Needs = Pick<Deps, 'db' | 'calendar' | 'reference'>;
import { dossierPauses } from '../../../db/schema/index.js';
import { timelinessOf } from '../../../domain/dossier/timeliness.js';
import { isWorkingDay, localDateOf, workingMinutesBetween } from '../../../domain/calendar/index.js';
import type { DossierRow } from './apply-act.js';
import { resumedClock } from '../clock/resumed-clock.js';

/**
 * The first ending act (processed, returned, stopped, withdrawn) fixes the dossier's timeliness against its
 * appointment (DOMAIN.md §5); later acts leave it. An ending while the clock is paused judges against the
 * appointment as if the supplement had arrived at that instant.
 */
export async function timelinessColumnsAtEnding(deps: Needs, d: DossierRow, at: Date) {
  return (await judgeAtEnding(deps, d, at)).changes;
}

/**
 * The ending's changes, and the working minutes the dossier used of its budget until `at` (supplement time
 * excluded, since the appointment already moved by it): recorded on the `complete` event for indicator 2.2.
 */
export async function judgeAtEnding(deps: Needs, d: DossierRow, at: Date): Promise<{ changes: { endedAt?: Date; timeliness?: 'early' | 'on_time' | 'late' }; workingMinutesUsed: number | null }> {
  if (d.endedAt) return { changes: {}, workingMinutesUsed: null };
  let dueAt = d.dueAt?.getTime() ?? null;
  let calendar = await deps.calendar.forDesk(d.deskCode);
  if (dueAt === null) ({ dueAt, calendar } = await resumedClock(deps, d, at));
  const workingDay = (ms: number) => isWorkingDay(calendar, localDateOf(ms));
  const due = dueAt ?? at.getTime();
  const t = at.getTime();
  const workingMinutesUsed = t <= due ? d.budgetMinutes - workingMinutesBetween(calendar, t, due) : d.budgetMinutes + workingMinutesBetween(calendar, due, t);
  return { changes: { endedAt: at, timeliness: timelinessOf(t, due, workingDay) }, workingMinutesUsed: Math.max(0, workingMinutesUsed) };
}

/** An ending while a supplement is awaited closes the open pause at that instant (the ledger stays whole). */
export async function closeOpenPause(tx: Tx, dossierId: number, at: Date) {
  await tx.update(dossierPauses).set({ to: at }).where(and(eq(dossierPauses.dossierId, dossierId), isNull(dossierPauses.to)));
}
