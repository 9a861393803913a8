import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { dossierPauses } from '../../../db/schema/index.js';
import { applyAct } from './apply-act.js';
import { resumedClock } from '../clock/resumed-clock.js';
import { movePromisedAppointment } from '../../../domain/calendar/index.js';
import type { supplementReceivedBody } from '../http/schemas.js';

/**
 * The supplement is received: the open pause closes and the due instant is derived again from the budget and
 * the ledger (policy `pause`: moved by exactly the paused working time; `restart`: the whole budget from now), or,
 * for a procedure that keeps its appointments through calendar changes, moved on from the appointment kept.
 */
export async function receiveSupplement(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof supplementReceivedBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'receive_supplement' },
    async (d, at) => {
      // The open pause closes now: the supplement is in.
      const clock = await resumedClock(ctx, d, at);
      const dueAt = clock.dueAt === null ? null : new Date(clock.dueAt);
      // An apology's new appointment, issued before this pause, moves with the appointment it extends.
      const before = clock.openPause?.dueBefore;
      const newDueAt =
        d.newDueAt && before && dueAt ? new Date(movePromisedAppointment(clock.calendar, d.newDueAt.getTime(), before.getTime(), dueAt.getTime())) : d.newDueAt;
      return {
        changes: { dueAt, newDueAt, provisional: clock.provisional },
        eventData: { note: body.note ?? null, dueAt: dueAt?.toISOString() ?? null, explanation: clock.explanation },
        write: async (tx, dossier) => {
          await tx
            .update(dossierPauses)
            .set({ to: at })
            .where(and(eq(dossierPauses.dossierId, dossier.id), isNull(dossierPauses.to)));
        },
      };
    },
  );
}
