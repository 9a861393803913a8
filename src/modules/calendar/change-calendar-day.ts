import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarChanges, calendarDays } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { bumpCalendarRevision } from './calendar-revision.js';
import { DomainError } from '../../lib/errors.js';
import { inSupportedYears, SUPPORTED_RANGE_TEXT } from '../../lib/supported-range.js';
import type { DayKind, DayStatus } from '../../domain/calendar/types.js';

export interface DayChange {
  date: string;
  /** The day's new entry, or null to make it an ordinary day again. */
  day: { kind: DayKind; name: string; source: string | null; status: DayStatus } | null;
  by: string;
  reason: string;
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * An administrator sets or removes a calendar day. The change, who made it and why, and the outbox row that
 * makes the workers re-project the open dossiers it moves are written in one transaction.
 */
export async function changeCalendarDay(db: Db, change: DayChange) {
  if (change.day && !inSupportedYears(change.date)) {
    // The calendar is compiled for these years only; a day beyond them could affect nothing (a typo, 0050 for 2050).
    throw new DomainError('VALIDATION_FAILED', `params.date: must be a date within ${SUPPORTED_RANGE_TEXT}`);
  }
  if (change.day) {
    const wd = weekdayOf(change.date);
    if (change.day.kind === 'makeup_workday' && wd !== 6 && wd !== 0) {
      throw new DomainError('VALIDATION_FAILED', `${change.date} is a weekday; only a weekend day can be a make-up workday`);
    }
    if (change.day.kind !== 'makeup_workday' && (wd === 6 || wd === 0) && change.day.kind !== 'holiday') {
      throw new DomainError('VALIDATION_FAILED', `${change.date} is a weekend day; a ${change.day.kind} must be a weekday`);
    }
  }
  return db.transaction(async (tx) => {
    await bumpCalendarRevision(tx);
    const [before] = await tx.select().from(calendarDays).where(eq(calendarDays.date, change.date)).for('update');
    if (!change.day && !before) {
      throw new DomainError('CALENDAR_DAY_NOT_FOUND', `${change.date} is an ordinary day; there is nothing to remove`);
    }
    let after = null;
    if (change.day) {
      const values = { date: change.date, ...change.day, updatedBy: change.by, updatedAt: new Date() };
      [after] = await tx
        .insert(calendarDays)
        .values(values)
        .onConflictDoUpdate({ target: calendarDays.date, set: values })
        .returning();
    } else {
      await tx.delete(calendarDays).where(eq(calendarDays.date, change.date));
    }
    const [recorded] = await tx
      .insert(calendarChanges)
      .values({ date: change.date, scope: 'day', before: before ?? null, after: after ?? null, changedBy: change.by, reason: change.reason })
      .returning();
    if (!recorded) throw new Error('calendar change not recorded');
    await enqueueInTx(tx, 'calendar.changed', { changeId: recorded.id, date: change.date, scope: 'day' });
    return { day: after ?? null, change: recorded };
  });
}
