import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { calendarChanges, calendarDays, workingHours } from '../../db/schema/index.js';

export function listDays(db: DbOrTx, range: { from?: string; to?: string }) {
  return db
    .select()
    .from(calendarDays)
    .where(and(range.from ? gte(calendarDays.date, range.from) : undefined, range.to ? lte(calendarDays.date, range.to) : undefined))
    .orderBy(asc(calendarDays.date));
}

export function listChanges(db: DbOrTx, f: { date?: string; limit: number }) {
  return db
    .select()
    .from(calendarChanges)
    // A schedule's change covers a range of days (date .. dateTo).
    .where(f.date ? and(lte(calendarChanges.date, f.date), gte(sql`coalesce(${calendarChanges.dateTo}, ${calendarChanges.date})`, f.date)) : undefined)
    .orderBy(desc(calendarChanges.id))
    .limit(f.limit);
}

/** A desk's working hours: its own override, else the province's. */
export async function workingHoursOf(db: DbOrTx, provinceCode: string, deskCode?: string) {
  if (deskCode) {
    const [own] = await db.select().from(workingHours).where(eq(workingHours.scope, `desk:${deskCode}`));
    if (own) return { scope: own.scope, periods: own.periods, inherited: false };
  }
  const [province] = await db.select().from(workingHours).where(eq(workingHours.scope, `province:${provinceCode}`));
  return { scope: `province:${provinceCode}`, periods: province?.periods ?? [], inherited: Boolean(deskCode) };
}
