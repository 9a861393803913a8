import { inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { calendarChanges, calendarDays, calendarYears } from '../../db/schema/index.js';
import type { DayKind, DayStatus } from '../../domain/calendar/types.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { bumpCalendarRevision } from './calendar-revision.js';

export interface ScheduleDay {
  date: string;
  kind: DayKind;
  name: string;
  source: string | null;
  status: DayStatus;
}

export interface CalendarSchedule {
  /** The years the schedule is the official (or best known) one of, with the source of each. */
  years: { year: number; source: string }[];
  /** Every listed day of those years. */
  days: ScheduleDay[];
  /** Who loads it: the rows it writes carry this name, and rows of another name are an administrator's. */
  by: string;
  reason: string;
}

export interface ScheduleLoadResult {
  /** The calendar change recorded (null when nothing changed, or on the first load of an empty calendar). */
  changeId: number | null;
  added: string[];
  changed: string[];
  removed: string[];
  yearsAdded: number[];
  /** Dates an administrator has set or removed since: their decision stands over the schedule. */
  keptAdministrators: string[];
}

const same = (a: ScheduleDay, b: ScheduleDay) =>
  a.kind === b.kind && a.name === b.name && (a.source ?? null) === (b.source ?? null) && a.status === b.status;
const dayOf = (r: ScheduleDay): ScheduleDay => ({ date: r.date, kind: r.kind, name: r.name, source: r.source, status: r.status });

/**
 * Loads the schedule of whole years (the official notices, or the best known days with their status) into the
 * calendar. On an empty calendar it is simply written. Over a calendar already loaded, what differs (a day added,
 * corrected or dropped by the schedule; a year loaded, whose holidays were computed and provisional until now) is
 * one calendar change with the days before and after, who and why, in the caller's transaction, and its outbox row
 * makes the workers re-project the open dossiers it moves (DOMAIN.md §5), each with an event naming it. A day an
 * administrator has set or removed is left as they decided. Idempotent: loading the same schedule again finds
 * nothing to change and records nothing.
 */
export async function loadCalendarSchedule(db: DbOrTx, schedule: CalendarSchedule): Promise<ScheduleLoadResult> {
  return db.transaction((tx) => apply(tx, schedule));
}

async function apply(db: Tx, schedule: CalendarSchedule): Promise<ScheduleLoadResult> {
  const result: ScheduleLoadResult = { changeId: null, added: [], changed: [], removed: [], yearsAdded: [], keptAdministrators: [] };
  const yearNumbers = schedule.years.map((y) => y.year);
  const inYears = (date: string) => yearNumbers.includes(Number(date.slice(0, 4)));
  for (const d of schedule.days) if (!inYears(d.date)) throw new RangeError(`calendar schedule: ${d.date} is outside its years`);

  const loadedYears = await db.select().from(calendarYears);
  if (loadedYears.length === 0) {
    await db.insert(calendarYears).values(schedule.years).onConflictDoNothing();
    if (schedule.days.length) await db.insert(calendarDays).values(schedule.days.map((d) => ({ ...d, updatedBy: schedule.by }))).onConflictDoNothing();
    result.yearsAdded = yearNumbers;
    result.added = schedule.days.map((d) => d.date);
    return result;
  }

  const stored = new Map(
    (await db.select().from(calendarDays)).filter((r) => inYears(r.date)).map((r) => [r.date, r] as const),
  );
  // Days an administrator removed leave no row, only their change.
  const administered = new Set(
    (await db.select({ date: calendarChanges.date, by: calendarChanges.changedBy, scope: calendarChanges.scope }).from(calendarChanges))
      .filter((c) => c.scope === 'day' && c.by !== schedule.by && c.date !== null)
      .map((c) => c.date!),
  );
  const before: ScheduleDay[] = [];
  const after: ScheduleDay[] = [];
  const upserts: ScheduleDay[] = [];
  const listed = new Set<string>();
  for (const day of schedule.days) {
    listed.add(day.date);
    const row = stored.get(day.date);
    if ((row && row.updatedBy !== schedule.by) || (!row && administered.has(day.date))) {
      result.keptAdministrators.push(day.date);
      continue;
    }
    if (row && same(row, day)) continue;
    (row ? result.changed : result.added).push(day.date);
    if (row) before.push(dayOf(row));
    after.push(day);
    upserts.push(day);
  }
  for (const row of stored.values()) {
    if (listed.has(row.date) || row.updatedBy !== schedule.by) continue;
    result.removed.push(row.date);
    before.push(dayOf(row));
  }
  const loaded = new Set(loadedYears.map((y) => y.year));
  result.yearsAdded = yearNumbers.filter((y) => !loaded.has(y));
  // A year's source is where its days come from: kept up to date, but it moves no appointment.
  for (const y of schedule.years) {
    await db.insert(calendarYears).values(y).onConflictDoUpdate({ target: calendarYears.year, set: { source: y.source } });
  }
  if (upserts.length === 0 && result.removed.length === 0 && result.yearsAdded.length === 0) return result;

  await bumpCalendarRevision(db);
  for (const day of upserts) {
    const values = { ...day, updatedBy: schedule.by, updatedAt: new Date() };
    await db.insert(calendarDays).values(values).onConflictDoUpdate({ target: calendarDays.date, set: values });
  }
  if (result.removed.length) await db.delete(calendarDays).where(inArray(calendarDays.date, result.removed));
  // The change covers every day it touched, and the whole of each year newly loaded (its computed days are replaced).
  const touched = [
    ...result.added,
    ...result.changed,
    ...result.removed,
    ...result.yearsAdded.flatMap((y) => [`${y}-01-01`, `${y}-12-31`]),
  ].sort();
  const [recorded] = await db
    .insert(calendarChanges)
    .values({
      date: touched[0]!,
      dateTo: touched.at(-1)!,
      scope: 'schedule',
      before: { years: [...loaded].sort(), days: before },
      after: { years: result.yearsAdded, days: after, removed: result.removed },
      changedBy: schedule.by,
      reason: schedule.reason,
    })
    .returning();
  if (!recorded) throw new Error('calendar change not recorded');
  await enqueueInTx(db, 'calendar.changed', { changeId: recorded.id, date: recorded.date, scope: 'schedule' });
  result.changeId = recorded.id;
  return result;
}
