import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { calendarChanges, dossierEvents, dossierPauses, dossiers, procedures } from '../../../db/schema/index.js';
import { enqueueInTx } from '../../../jobs/enqueue.js';
import { isOpenSql } from '../../../db/open-statuses.js';
import { dossierClock } from '../clock/dossier-clock.js';

const BATCH = 500;

/**
 * After an administrator changes a calendar day or working hours, or a schedule of years is loaded, the open
 * dossiers whose appointment it moves are re-projected from their budget and pause ledger (DOMAIN.md §5: the due
 * date is derived, so it can be recomputed), each with an event naming the change, who made it and why; one whose
 * appointment stays but is now confirmed (or provisional) has its flag set, with the same event. A procedure whose policy is `keep`
 * keeps the appointment already given; the event records that it was kept. Idempotent: a dossier whose
 * appointment the change does not move is left alone, so running it twice changes nothing the second time.
 */
export async function reprojectOnCalendarChange(deps: Deps, changeId: number): Promise<{ examined: number; moved: number; kept: number; reflagged: number }> {
  const [change] = await deps.db.select().from(calendarChanges).where(eq(calendarChanges.id, changeId));
  if (!change) return { examined: 0, moved: 0, kept: 0, reflagged: 0 };
  const deskScope = change.scope.startsWith('desk:') ? change.scope.slice(5) : null;
  // A change of days (one, or a schedule's range) can only move appointments of dossiers whose clock runs through them.
  const lastDate = change.dateTo ?? change.date;
  const touches = change.date
    ? and(
        // From the intake (not the effective start): a changed day may move the effective start itself.
        sql`${dossiers.receivedAt} < (${lastDate}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'`,
        or(isNull(dossiers.dueAt), sql`${dossiers.dueAt} >= ${change.date}::timestamp at time zone 'Asia/Ho_Chi_Minh'`),
      )
    : undefined;
  const open = isOpenSql(dossiers.status);
  let examined = 0;
  let moved = 0;
  let kept = 0;
  let reflagged = 0;
  let after = 0;
  for (;;) {
    const batch = await deps.db
      .select({ d: dossiers, policy: procedures.calendarChangePolicy })
      .from(dossiers)
      .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
      .where(and(open, touches, deskScope ? eq(dossiers.deskCode, deskScope) : undefined, gt(dossiers.id, after)))
      .orderBy(asc(dossiers.id))
      .limit(BATCH);
    if (batch.length === 0) break;
    after = batch.at(-1)!.d.id;
    const ledger = await deps.db.select().from(dossierPauses).where(inArray(dossierPauses.dossierId, batch.map((b) => b.d.id)));
    for (const { d, policy } of batch) {
      examined++;
      const calendar = await deps.calendar.forDesk(d.deskCode);
      const clock = dossierClock(calendar, d, ledger.filter((p) => p.dossierId === d.id));
      const sameDue = (clock.dueAt ?? null) === (d.dueAt?.getTime() ?? null);
      // The same appointment, now confirmed (or now provisional): the flag follows, with the same recorded reason.
      if (sameDue && clock.provisional === d.provisional) continue;
      const reason = { changeId, date: change.date, dateTo: change.dateTo, scope: change.scope, by: change.changedBy, why: change.reason };
      await deps.db.transaction(async (tx) => {
        const data = {
          ...reason,
          from: d.dueAt?.toISOString() ?? null,
          to: clock.dueAt ? new Date(clock.dueAt).toISOString() : null,
          provisional: clock.provisional,
        };
        if (policy === 'keep' && !sameDue) {
          // Recorded once per change, so a second delivery of the job adds nothing.
          const done = await tx.execute(
            sql`select 1 from dossier_events where dossier_id = ${d.id} and type = 'appointment_kept' and (data->>'changeId')::int = ${changeId}`,
          );
          if (done.rows.length > 0) return;
          kept++;
          await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'appointment_kept', actor: 'system', at: deps.now(), data });
          return;
        }
        const updated = await tx
          .update(dossiers)
          .set({ dueAt: clock.dueAt === null ? null : new Date(clock.dueAt), provisional: clock.provisional, version: d.version + 1, updatedAt: deps.now() })
          .where(and(eq(dossiers.id, d.id), eq(dossiers.version, d.version)))
          .returning({ id: dossiers.id });
        // Changed meanwhile by an act: that act already used the new calendar.
        if (updated.length === 0) return;
        if (sameDue) reflagged++;
        else moved++;
        await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'appointment_reprojected', actor: 'system', at: deps.now(), data });
        await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code: d.code, event: 'appointment_reprojected' });
      });
    }
  }
  return { examined, moved, kept, reflagged };
}
