import { and, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { units } from '../../db/schema/index.js';
import type { ClosedProvince, ProvinceLevel } from '../../domain/province-level.js';

/**
 * The province-level units on a day, from the units table: the one in force, and those closed on or before it
 * with every unit they had (a unit whose parent chain reaches it while it existed). Exactly one is in force on any
 * day the organisation covers; none is a server error (the organisation was not loaded).
 */
export async function provinceLevelOn(db: DbOrTx, day: string): Promise<ProvinceLevel> {
  const provinces = await db
    .select({ code: units.code, validFrom: units.validFrom, validTo: units.validTo })
    .from(units)
    .where(and(eq(units.level, 'province'), lte(units.validFrom, day)));
  const inForce = provinces.find((p) => p.validTo === null || p.validTo > day);
  if (!inForce) throw new Error(`No province-level unit is in force on ${day}: the organisation is not loaded`);
  const closed: ClosedProvince[] = [];
  for (const p of provinces) {
    if (p.validTo === null || p.validTo > day) continue;
    // Its districts and communes: units opened before it closed, under it or under one of its districts.
    const rows = await db.execute<{ code: string }>(sql`
      with recursive under(code) as (
        select ${p.code}::text
        union
        select u.code from units u join under on u.parent_code = under.code
        where u.valid_from < ${p.validTo}::date and u.level <> 'province'
      )
      select code from under`);
    closed.push({ code: p.code, closedOn: p.validTo, unitCodes: rows.rows.map((r) => r.code) });
  }
  return { day, inForce: inForce.code, closed };
}
