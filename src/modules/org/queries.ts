import { and, asc, count, eq, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, desks, unitPredecessors, units } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { likeLiteral } from '../../lib/text.js';

type Level = 'province' | 'district' | 'commune';
interface Page {
  limit: number;
  offset: number;
}

/** Rows whose validity period [valid_from, valid_to) contains the local date. */
const validOn = (t: typeof units | typeof desks | typeof agencies, date: string) =>
  and(lte(t.validFrom, date), or(isNull(t.validTo), gt(t.validTo, date)));

async function paged<T>(rows: Promise<T[]>, total: Promise<{ n: number }[]>) {
  const [items, [counted]] = await Promise.all([rows, total]);
  return { items, total: counted?.n ?? 0 };
}

export function listUnits(db: DbOrTx, f: { asOf: string; level?: Level; parent?: string } & Page) {
  const where = and(
    validOn(units, f.asOf),
    f.level ? eq(units.level, f.level) : undefined,
    f.parent ? eq(units.parentCode, f.parent) : undefined,
  );
  return paged(
    db.select().from(units).where(where).orderBy(asc(units.code)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(units).where(where),
  );
}

/** The unit version with this code on a date; a 404 says which units the code denoted on other dates. */
export async function getUnit(db: DbOrTx, code: string, asOf: string) {
  const [row] = await db.select().from(units).where(and(eq(units.code, code), validOn(units, asOf)));
  if (!row) {
    const others = await unitHistory(db, code);
    const denoted = others.map((u) => `${u.name} from ${u.validFrom}${u.validTo ? ` until ${u.validTo}` : ''}`).join('; ');
    throw new DomainError('UNIT_NOT_FOUND', `Unit ${code} does not exist on ${asOf}${denoted ? ` (code ${code} denotes: ${denoted})` : ''}`);
  }
  return row;
}

/**
 * The links of a unit version: the old units it was formed from, and the units it became (codes are reused, so a
 * link names both versions: code and valid_from).
 */
export async function unitLinks(db: DbOrTx, unit: { code: string; validFrom: string }) {
  const [from, into] = await Promise.all([
    db
      .select()
      .from(unitPredecessors)
      .where(and(eq(unitPredecessors.unitCode, unit.code), eq(unitPredecessors.unitValidFrom, unit.validFrom)))
      .orderBy(asc(unitPredecessors.id)),
    db
      .select()
      .from(unitPredecessors)
      .where(and(eq(unitPredecessors.predecessorCode, unit.code), eq(unitPredecessors.predecessorValidFrom, unit.validFrom)))
      .orderBy(asc(unitPredecessors.id)),
  ]);
  const names = new Map<string, string>();
  if (into.length > 0) {
    const successors = await db
      .select({ code: units.code, validFrom: units.validFrom, name: units.name })
      .from(units)
      .where(or(...into.map((l) => and(eq(units.code, l.unitCode), eq(units.validFrom, l.unitValidFrom)))));
    for (const u of successors) names.set(`${u.code}@${u.validFrom}`, u.name);
  }
  return {
    predecessors: from.map((l) => ({
      code: l.predecessorCode,
      validFrom: l.predecessorValidFrom,
      name: l.predecessorName,
      districtCode: l.predecessorDistrictCode,
      districtName: l.predecessorDistrictName,
      provinceCode: l.predecessorProvinceCode,
      partial: l.partial,
      basis: l.basis,
    })),
    successors: into.map((l) => ({
      code: l.unitCode,
      validFrom: l.unitValidFrom,
      name: names.get(`${l.unitCode}@${l.unitValidFrom}`) ?? l.unitCode,
      partial: l.partial,
      basis: l.basis,
    })),
  };
}

/** Every version of a unit, oldest first: its history across restructurings. */
export function unitHistory(db: DbOrTx, code: string) {
  return db.select().from(units).where(eq(units.code, code)).orderBy(asc(units.validFrom));
}

export function listDesks(db: DbOrTx, f: { asOf: string; level?: Level; unit?: string } & Page) {
  const where = and(
    validOn(desks, f.asOf),
    f.level ? eq(desks.level, f.level) : undefined,
    f.unit ? eq(desks.unitCode, f.unit) : undefined,
  );
  return paged(
    db.select().from(desks).where(where).orderBy(asc(desks.code)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(desks).where(where),
  );
}

export async function getDesk(db: DbOrTx, code: string, asOf: string) {
  const [row] = await db.select().from(desks).where(and(eq(desks.code, code), validOn(desks, asOf)));
  if (!row) throw new DomainError('DESK_NOT_FOUND', `Desk ${code} does not exist on ${asOf}`);
  return row;
}

export function listAgencies(
  db: DbOrTx,
  f: { asOf: string; level?: Level; unit?: string; kind?: string; q?: string } & Page,
) {
  const conditions: (SQL | undefined)[] = [
    validOn(agencies, f.asOf),
    f.level ? eq(agencies.level, f.level) : undefined,
    f.unit ? eq(agencies.unitCode, f.unit) : undefined,
    f.kind ? eq(agencies.kind, f.kind) : undefined,
    f.q ? sql`${agencies.name} ilike ${'%' + likeLiteral(f.q) + '%'}` : undefined,
  ];
  const where = and(...conditions);
  return paged(
    db.select().from(agencies).where(where).orderBy(asc(agencies.code)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(agencies).where(where),
  );
}

export async function getAgency(db: DbOrTx, code: string, asOf: string) {
  const [row] = await db.select().from(agencies).where(and(eq(agencies.code, code), validOn(agencies, asOf)));
  if (!row) throw new DomainError('AGENCY_NOT_FOUND', `Agency ${code} does not exist on ${asOf}`);
  return row;
}
