import { eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { dossierPauses } from '../../../db/schema/index.js';
import { moveKeptAppointment } from '../../../domain/calendar/index.js';
import type { DossierRow } from '../acts/apply-act.js';
import { dossierClock } from './dossier-clock.js';

/**
 * A paused dossier's clock as if its open pause closed at `at` (the supplement received, or the dossier ended
 * meanwhile). A procedure that keeps its appointments through calendar changes resumes from the appointment kept
 * (`moveKeptAppointment`, from the pause's `due_before`); otherwise the due instant is derived again from the
 * budget and the ledger (policy `pause`: moved by exactly the paused working time; `restart`: the whole budget).
 */
export async function resumedClock(deps: Pick<Deps, 'db' | 'calendar' | 'reference'>, d: DossierRow, at: Date) {
  const [ledger, calendar, { procedure }] = await Promise.all([
    deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id)),
    deps.calendar.forDesk(d.deskCode),
    deps.reference.procedureVersion(d.procedureId),
  ]);
  const open = ledger.find((p) => p.to === null);
  const clock =
    procedure.calendarChangePolicy === 'keep' && d.supplementPolicy === 'pause' && open?.dueBefore
      ? moveKeptAppointment(calendar, { dueBefore: open.dueBefore.getTime(), pausedFrom: open.from.getTime(), resumedAt: at.getTime(), reason: open.reason })
      : dossierClock(calendar, d, ledger, at.getTime());
  return { ...clock, calendar, openPause: open };
}
