import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

/**
 * One history across a restructuring (DOMAIN.md §2b): for a period that spans an organisation version's date, the
 * dossiers counted under an old unit before that date are attributed to the unit it became. Counters are keyed by
 * GSO code and day; a code reused by a new unit was always one of that unit's own predecessors (Công văn
 * 1027/CTK-CSCL), so "old code before the date, new code from it" never mixes two unrelated units.
 */
export interface Boundary {
  effectiveFrom: string;
  /** Old unit code (the version that ended on the date) → the units it became; several = split (`partial`). */
  successors: Map<string, { code: string; partial: boolean }[]>;
  /** Old units as they were the day before: code → level and parent (a district's communes). */
  before: Map<string, { name: string; level: string; parentCode: string | null }>;
  /** Units in force from the date: code → name. */
  after: Map<string, string>;
  /** Every predecessor's name, held here or not (old Đà Nẵng's communes are not). */
  predecessorNames: Map<string, string>;
}

/**
 * The predecessor links of the change on `on` (a condition on `unit_predecessors p`): those to a unit version opened
 * then, and those from a unit version that ended then into a unit that kept its version (a commune absorbing another
 * on 2025-01-01 without a change of its own).
 */
export const linksOfChange = (on: string) =>
  sql`(p.unit_valid_from = ${on} or exists (select 1 from units o where o.code = p.predecessor_code and o.valid_from = p.predecessor_valid_from and o.valid_to = ${on}))`;

/** The latest organisation version whose date falls inside (from, to], with its links; null if none. */
export async function boundaryWithin(db: DbOrTx, from: string, to: string): Promise<Boundary | null> {
  const [version] = (
    await db.execute<{ effective_from: string }>(
      sql`select effective_from::text from organisation_versions where effective_from > ${from} and effective_from <= ${to} order by effective_from desc limit 1`,
    )
  ).rows;
  if (!version) return null;
  const on = version.effective_from;
  const [links, before, after] = await Promise.all([
    db.execute<{ old: string; code: string; partial: string | null; name: string }>(
      // Every link, a predecessor not held here (old Đà Nẵng's) included: it has no dossiers before the date, but a
      // split one is flagged where it is counted. By new unit code, so that a split predecessor's first unit is fixed.
      sql`select predecessor_code as old, unit_code as code, partial, predecessor_name as name from unit_predecessors p
          where ${linksOfChange(on)} order by unit_code, predecessor_code`,
    ),
    db.execute<{ code: string; name: string; level: string; parent_code: string | null }>(
      sql`select code, name, level, parent_code from units where valid_to = ${on}`,
    ),
    db.execute<{ code: string; name: string }>(sql`select code, name from units where valid_from <= ${on} and (valid_to is null or valid_to > ${on})`),
  ]);
  const successors = new Map<string, { code: string; partial: boolean }[]>();
  for (const l of links.rows) successors.set(l.old, [...(successors.get(l.old) ?? []), { code: l.code, partial: l.partial !== null }]);
  return {
    effectiveFrom: on,
    successors,
    before: new Map(before.rows.map((u) => [u.code, { name: u.name, level: u.level, parentCode: u.parent_code }])),
    after: new Map(after.rows.map((u) => [u.code, u.name])),
    predecessorNames: new Map(links.rows.map((l) => [l.old, l.name])),
  };
}

/** The unit an old unit's dossiers count for after the boundary (the first, when split), or itself when none. */
export function attributedUnit(b: Boundary, oldCode: string): { code: string; split: boolean } {
  const next = b.successors.get(oldCode) ?? [];
  return next.length === 0 ? { code: oldCode, split: false } : { code: next[0]!.code, split: next.length > 1 || next[0]!.partial };
}

/**
 * Which units' counters make a scope's figures on each side of the boundary: a new unit gathers its predecessors
 * before the date; an old district (no longer in force) is an "area view": before the date itself and its communes,
 * from it the units formed from those communes, flagging units formed partly from another district's communes.
 */
export function membersAcross(b: Boundary, unit: string): { before: string[]; after: string[]; flagged: { code: string; name: string; note: string }[] } | null {
  if (b.after.has(unit)) {
    // A new unit gathers its predecessors (with a reused code, the old unit of that code is one of them); a new
    // province-level unit with no listed predecessors (the city) gathers every old unit. A predecessor split between
    // several units (Xã Hòa Liên, Nghị quyết 1659/NQ-UBTVQH15 khoản 9-10: the resolution gives no boundary) is
    // counted once, under the first of them, and flagged in each.
    const links = [...b.successors].filter(([, next]) => next.some((n) => n.code === unit));
    const flagged = links
      .filter(([, next]) => next.length > 1)
      .map(([old, next]) => ({ code: old, name: b.predecessorNames.get(old) ?? old, note: `split between ${next.map((n) => b.after.get(n.code) ?? n.code).join(' and ')}: counted once, under ${next[0]!.code}` }));
    const preds = links.filter(([, next]) => next[0]!.code === unit).map(([old]) => old);
    return { before: links.length > 0 ? preds : [...b.before.keys()], after: links.length > 0 ? [unit] : [...b.after.keys()], flagged };
  }
  const old = b.before.get(unit);
  if (!old || old.level !== 'district') return null;
  const communes = [...b.before].filter(([, u]) => u.parentCode === unit).map(([code]) => code);
  const formed = new Set(communes.flatMap((c) => (b.successors.get(c) ?? []).map((n) => n.code)));
  const flagged: { code: string; name: string; note: string }[] = [];
  for (const code of formed) {
    // A predecessor not held here (old Đà Nẵng's) is never a commune of a district held here.
    const fromElsewhere = [...b.successors].filter(([o, next]) => next.some((n) => n.code === code) && b.before.has(o) && b.before.get(o)?.parentCode !== unit);
    if (fromElsewhere.length > 0) {
      flagged.push({ code, name: b.after.get(code) ?? code, note: `also formed from ${fromElsewhere.map(([o]) => b.before.get(o)?.name ?? o).join(', ')} (another district): counted whole here` });
    }
  }
  return { before: [unit, ...communes], after: [...formed], flagged };
}

/**
 * The dossier units a scope's index gathers over a period spanning the boundary: each new unit adds its predecessors
 * (their codes before the date are theirs alone: a reused code was always one of the unit's own predecessors), the
 * new province-level unit every old unit.
 */
export function withPredecessors(b: Boundary, unit: string, members: string[]): string[] {
  if (!b.after.has(unit)) return members;
  const out = new Set(members);
  for (const m of members) for (const p of membersAcross(b, m)?.before ?? []) if (b.after.has(m)) out.add(p);
  return [...out];
}

/** What a scope's figures say about the restructuring inside their period (one shape for the index, rankings and report). */
export interface Across {
  effectiveFrom: string;
  /** The scope is an old district no longer in force: its area view. */
  areaView: boolean;
  /** Split predecessors counted once (and under which unit), units shared with another district. */
  flagged: { code: string; name: string; note: string }[];
}

/** The restructuring note of one unit's figures over a period spanning `b`; a unit neither old nor new gets none flagged. */
export function acrossOf(b: Boundary, unit: string): Across {
  const scope = membersAcross(b, unit);
  return { effectiveFrom: b.effectiveFrom, areaView: scope !== null && !b.after.has(unit), flagged: scope?.flagged ?? [] };
}
