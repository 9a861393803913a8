import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../src/db/client.js';
import { agencies, desks, organisationVersions, unitPredecessors, units } from '../../src/db/schema/index.js';
import { cityUnit, communeUnits, newAgencies, newDesks, predecessors, TWO_LEVEL_2025, TWO_LEVEL_BASIS, TWO_LEVEL_SOURCE } from './two-level-2025.js';

export interface TwoLevelResult {
  applied: boolean;
  closed: { units: number; desks: number; agencies: number };
  opened: { units: number; desks: number; agencies: number; predecessorLinks: number };
}

/**
 * Loads the 2025-07-01 organisation (thành phố Đà Nẵng, two-level local government) as a later version: every unit,
 * desk and agency of the earlier organisation still open on 2025-06-30 is closed on that day (valid_to 2025-07-01:
 * periods are [valid_from, valid_to)), and the city, its 94 commune-level units, the 95 centres and the generated
 * agencies are opened, with the predecessor links of Nghị quyết 1659/NQ-UBTVQH15. Nothing valid before is rewritten.
 * The earlier organisation is all of Quảng Nam (the only province this system held), so "open on 2025-06-30" is it.
 * Idempotent: recorded in organisation_versions, a second run changes nothing. Runs in the caller's transaction.
 */
export async function applyTwoLevel2025(db: DbOrTx): Promise<TwoLevelResult> {
  const on = TWO_LEVEL_2025;
  const none: TwoLevelResult = { applied: false, closed: { units: 0, desks: 0, agencies: 0 }, opened: { units: 0, desks: 0, agencies: 0, predecessorLinks: 0 } };
  const run = async (tx: Tx): Promise<TwoLevelResult> => {
    const [done] = await tx.select().from(organisationVersions).where(eq(organisationVersions.effectiveFrom, on));
    if (done) return none;
    const openOn = <T extends typeof units | typeof desks | typeof agencies>(t: T) => and(lt(t.validFrom, on), or(isNull(t.validTo), gt(t.validTo, on)));
    const closedUnits = await tx.update(units).set({ validTo: on }).where(openOn(units)).returning({ id: units.id });
    const closedDesks = await tx.update(desks).set({ validTo: on }).where(openOn(desks)).returning({ id: desks.id });
    const closedAgencies = await tx.update(agencies).set({ validTo: on }).where(openOn(agencies)).returning({ id: agencies.id });

    const source = TWO_LEVEL_SOURCE;
    const openedUnits = await tx
      .insert(units)
      .values([cityUnit, ...communeUnits].map((u) => ({ ...u, validFrom: on, source })))
      .onConflictDoNothing()
      .returning({ id: units.id });
    const openedDesks = await tx
      .insert(desks)
      .values(newDesks.map((d) => ({ ...d, validFrom: on })))
      .onConflictDoNothing()
      .returning({ id: desks.id });
    const openedAgencies = await tx
      .insert(agencies)
      .values(newAgencies.map((a) => ({ ...a, validFrom: on })))
      .onConflictDoNothing()
      .returning({ id: agencies.id });

    // The predecessor's version is the one that ended on the effective date (held only for Quảng Nam's units).
    const endedThen = await tx
      .select({ code: units.code, validFrom: units.validFrom, level: units.level })
      .from(units)
      .where(eq(units.validTo, on));
    const versionOf = new Map(endedThen.map((u) => [`${u.level}:${u.code}`, u.validFrom]));
    const links = predecessors.map((p) => ({
      unitCode: p.unitCode,
      unitValidFrom: on,
      predecessorCode: p.predecessorCode,
      predecessorValidFrom: p.predecessorProvinceCode === '49' ? (versionOf.get(`${p.predecessorLevel}:${p.predecessorCode}`) ?? null) : null,
      predecessorName: p.predecessorName,
      predecessorDistrictCode: p.predecessorDistrictCode,
      predecessorDistrictName: p.predecessorDistrictName,
      predecessorProvinceCode: p.predecessorProvinceCode,
      partial: p.partial,
      basis: p.basis,
    }));
    const missing = links.filter((l) => l.predecessorProvinceCode === '49' && l.predecessorValidFrom === null);
    if (missing.length > 0) {
      throw new Error(`Predecessors not open on ${on} in this database: ${missing.map((m) => `${m.predecessorCode} ${m.predecessorName}`).join(', ')}`);
    }
    const linked = await tx.insert(unitPredecessors).values(links).onConflictDoNothing().returning({ id: unitPredecessors.id });

    const result: TwoLevelResult = {
      applied: true,
      closed: { units: closedUnits.length, desks: closedDesks.length, agencies: closedAgencies.length },
      opened: { units: openedUnits.length, desks: openedDesks.length, agencies: openedAgencies.length, predecessorLinks: linked.length },
    };
    await tx.insert(organisationVersions).values({ effectiveFrom: on, name: 'Thành phố Đà Nẵng, two-level local government', basis: TWO_LEVEL_BASIS, summary: result });
    return result;
  };
  return db.transaction(run);
}
