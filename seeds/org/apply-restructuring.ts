import { and, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../src/db/client.js';
import { agencies, desks, unitPredecessors, units } from '../../src/db/schema/index.js';
import { deskCodeOf, deskNameOf, type RestructuringSeed, type UnitSeed, UNITS_SOURCE } from './units.js';

/**
 * Loads a restructuring (e.g. the real 2025-01-01 one) as a later version of the organisation: the current
 * versions of removed and changed units, and their desks and commune committees, are closed on the effective
 * date and new versions opened. Nothing earlier is rewritten: a dossier received before keeps its unit.
 * Idempotent: a second run finds the versions already in place and changes nothing.
 */
export async function applyRestructuring(db: DbOrTx, r: RestructuringSeed): Promise<{ closed: number; opened: number }> {
  return db.transaction(async (tx) => {
    if (r.effectiveFrom === PHANTOM_2025.validFrom) await removePhantomQuePhuoc(tx);
    let closed = 0;
    let opened = 0;
    for (const u of [...r.removed, ...r.changed.map((c) => ({ ...c.after, code: c.code }))]) {
      closed += await closeCurrent(tx, u.code, r.effectiveFrom);
    }
    for (const u of [...r.added, ...r.changed.map((c) => c.after)]) {
      opened += await openVersion(tx, u, r.effectiveFrom);
    }
    await linkMerged(tx, r);
    return { closed, opened };
  });
}

/** Closes the version of the unit (and of its desk and commune committee) open before `on`. */
async function closeCurrent(tx: Tx, code: string, on: string): Promise<number> {
  const open = <T extends typeof units | typeof desks>(t: T) => and(isNull(t.validTo), lt(t.validFrom, on));
  const closedUnits = await tx
    .update(units)
    .set({ validTo: on })
    .where(and(eq(units.code, code), open(units)))
    .returning({ id: units.id });
  await tx.update(desks).set({ validTo: on }).where(and(eq(desks.unitCode, code), open(desks)));
  await tx
    .update(agencies)
    .set({ validTo: on })
    .where(and(eq(agencies.unitCode, code), isNull(agencies.validTo), lt(agencies.validFrom, on)));
  return closedUnits.length;
}

/**
 * Records each removed commune as a predecessor of the commune it was merged into: the link goes to the version of
 * the receiving commune in force on the date (a new one when it was renamed or moved, else its earlier one, as the
 * merger did not change its code or name) from the version of the removed one that ended then.
 */
async function linkMerged(tx: Tx, r: RestructuringSeed) {
  const on = r.effectiveFrom;
  const links = [];
  for (const m of r.mergedInto ?? []) {
    const [old] = await tx.select().from(units).where(and(eq(units.code, m.code), eq(units.validTo, on)));
    const [into] = await tx.select().from(units).where(and(eq(units.code, m.into), lte(units.validFrom, on), or(isNull(units.validTo), gt(units.validTo, on))));
    if (!old || !into) throw new Error(`restructuring ${on}: ${m.code} → ${m.into} names a unit not ended or not in force then`);
    const [district] = old.parentCode ? await tx.select({ name: units.name }).from(units).where(and(eq(units.code, old.parentCode), lte(units.validFrom, old.validFrom))).limit(1) : [];
    links.push({
      unitCode: into.code,
      unitValidFrom: into.validFrom,
      predecessorCode: old.code,
      predecessorValidFrom: old.validFrom,
      predecessorName: old.name,
      predecessorDistrictCode: old.parentCode,
      predecessorDistrictName: district?.name ?? null,
      predecessorProvinceCode: '49',
      partial: null,
      basis: m.basis,
    });
  }
  if (links.length > 0) await tx.insert(unitPredecessors).values(links).onConflictDoNothing();
}

async function openVersion(tx: Tx, u: UnitSeed, on: string): Promise<number> {
  const inserted = await tx
    .insert(units)
    .values({ ...u, validFrom: on, source: `${UNITS_SOURCE}; restructuring ${on}` })
    .onConflictDoNothing()
    .returning({ id: units.id });
  if (inserted.length === 0) return 0;
  await tx
    .insert(desks)
    .values({ code: deskCodeOf(u), name: deskNameOf(u), unitCode: u.code, level: u.level, validFrom: on })
    .onConflictDoNothing();
  if (u.level === 'commune') {
    await tx
      .insert(agencies)
      .values({
        code: `UBND-${u.code}`,
        name: `Ủy ban nhân dân ${u.name}`,
        kind: 'people_committee',
        level: 'commune',
        unitCode: u.code,
        parentCode: null,
        templateCode: 'COMM-UBND',
        validFrom: on,
      })
      .onConflictDoNothing();
  }
  return inserted.length;
}


/**
 * Earlier copies of the unit list opened a "Xã Quế Phước 20674" on 2025-01-01: a source-data artifact (Nghị quyết
 * 1241/NQ-UBTVQH15 created no such commune; 20674 is absent from the GSO list of 2025-07-18). A database loaded from
 * such a copy holds that unit, its desk and committee; they are removed, unless a dossier was received there, which
 * an operator must look at first (the loader then stops and says so).
 */
const PHANTOM_2025 = { code: '20674', desk: 'X20674', agency: 'UBND-20674', validFrom: '2025-01-01' };

async function removePhantomQuePhuoc(tx: Tx) {
  const p = PHANTOM_2025;
  const used = await tx.execute(sql`select 1 from dossiers where desk_code = ${p.desk} or authority_agency_code = ${p.agency} limit 1`);
  if (used.rows.length > 0) {
    throw new Error(`Dossiers reference desk ${p.desk} or agency ${p.agency} of the non-existent Xã Quế Phước (20674); correct them before loading`);
  }
  await tx.delete(agencies).where(and(eq(agencies.code, p.agency), eq(agencies.validFrom, p.validFrom)));
  await tx.delete(desks).where(and(eq(desks.code, p.desk), eq(desks.validFrom, p.validFrom)));
  await tx.delete(units).where(and(eq(units.code, p.code), eq(units.validFrom, p.validFrom)));
}
