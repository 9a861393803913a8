import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarChanges, workingHours } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { bumpCalendarRevision } from './calendar-revision.js';

/** Sets the province's working hours or a desk's override, recorded with who and why (DOMAIN.md §5). */
export async function setWorkingHours(
  db: Db,
  input: { scope: string; periods: { start: string; end: string }[]; by: string; reason: string },
) {
  return db.transaction(async (tx) => {
    await bumpCalendarRevision(tx);
    const [before] = await tx.select().from(workingHours).where(eq(workingHours.scope, input.scope)).for('update');
    const values = { scope: input.scope, periods: input.periods, updatedBy: input.by, updatedAt: new Date() };
    const [after] = await tx
      .insert(workingHours)
      .values(values)
      .onConflictDoUpdate({ target: workingHours.scope, set: values })
      .returning();
    const [recorded] = await tx
      .insert(calendarChanges)
      .values({ date: null, scope: input.scope, before: before ?? null, after: after ?? null, changedBy: input.by, reason: input.reason })
      .returning();
    if (!recorded) throw new Error('working-hours change not recorded');
    await enqueueInTx(tx, 'calendar.changed', { changeId: recorded.id, date: null, scope: input.scope });
    return after;
  });
}
