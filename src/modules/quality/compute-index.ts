import type { Deps } from '../../deps.js';
import { scoreIndex, type Score } from '../../domain/quality/formula.js';
import { DomainError } from '../../lib/errors.js';
import { localDateOf } from '../../lib/local-date.js';
import { sql } from 'drizzle-orm';
import { acrossOf, boundaryWithin, type Across, type Boundary } from '../restructuring/index.js';
import { gatherFacts, type Facts, type PredecessorView, type ScopeUnit } from './facts.js';
import { formulaFor, type Formula } from './formulas.js';
import { measure } from './measure.js';
import { parsePeriod, type Period } from './period.js';

export interface Scope {
  kind: 'unit' | 'agency';
  code: string;
}

export interface ScopeScore {
  scope: Scope & { name: string; level: string };
  period: Period;
  score: Score;
  facts: Facts;
  /** Set when the period spans an organisation version: how the unit's figures cross it (null for an agency). */
  acrossRestructuring: Across | null;
  computedAt: string;
}

/** A unit's restructuring note for a period whose boundary (if any) is `b`; agencies have none. */
export const acrossFor = (b: Boundary | null, scope: Scope) => (b && scope.kind === 'unit' ? acrossOf(b, scope.code) : null);

/** The formula in force at the period's end (or the version asked for). */
export const formulaOfPeriod = (deps: Deps, period: Period, version?: string) => {
  const today = localDateOf(deps.now());
  return formulaFor(deps, period.to < today ? period.to : today, version);
};

/** A period is closed once its last local day is over: its counters change only by late events (backdated intake). */
export const isClosed = (deps: Deps, period: Period) => period.to < localDateOf(deps.now());

/** The index of one unit or agency for a period (DOMAIN.md §9), from the counters: live, not cached. */
export async function computeIndex(deps: Deps, scope: Scope, periodLabel: string, version?: string): Promise<ScopeScore> {
  const period = parsePeriod(periodLabel);
  const formula = await formulaOfPeriod(deps, period, version);
  const g = await gatherFacts(deps, period, formula.definition.rules.rollUpSubordinateUnits, { kind: scope.kind, codes: [scope.code] });
  const facts = (scope.kind === 'unit' ? g.unitFacts : g.agencyFacts).get(scope.code);
  const named = scope.kind === 'unit' ? g.units.find((u) => u.code === scope.code) : g.agencies.find((a) => a.code === scope.code);
  if (!facts || !named) throw new DomainError(scope.kind === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND', `No ${scope.kind} ${scope.code} in force on ${period.to}`);
  return {
    scope: { ...scope, name: named.name, level: named.level },
    period,
    score: scoreIndex(formula.version, formula.definition, (_id, m) => measure(facts, formula.definition, m)),
    facts,
    acrossRestructuring: acrossFor(g.boundary, scope),
    computedAt: deps.now().toISOString(),
  };
}

/**
 * The unit in force at the period's end, when a restructuring inside the period formed it (Phường Tam Kỳ, or the
 * city, in 2025): the months before are its predecessors' (predecessorScore). Null for a unit that was there all
 * along, or one not in force at the period's end.
 */
export async function formedWithin(deps: Deps, unitCode: string, period: Period): Promise<(PredecessorView & { formedOn: string }) | null> {
  const [unit] = (
    await deps.db.execute<ScopeUnit & { valid_from: string } & Record<string, unknown>>(sql`
      select code, name, level, parent_code as "parentCode", valid_from::text from units
      where code = ${unitCode} and valid_from <= ${period.to} and (valid_to is null or valid_to > ${period.to})`)
  ).rows;
  if (!unit || unit.valid_from <= period.from) return null;
  const boundary = await boundaryWithin(deps.db, period.from, unit.valid_from);
  if (!boundary || boundary.effectiveFrom !== unit.valid_from) return null;
  return { unit: { code: unit.code, name: unit.name, level: unit.level, parentCode: unit.parentCode }, boundary, formedOn: unit.valid_from };
}

/** A unit's index for a period before it was formed: its predecessors' figures together, live. */
export async function predecessorScore(deps: Deps, view: PredecessorView, period: Period, formula: Formula) {
  const g = await gatherFacts(deps, period, formula.definition.rules.rollUpSubordinateUnits, { kind: 'unit', codes: [view.unit.code] }, view);
  const facts = g.unitFacts.get(view.unit.code)!;
  return { score: scoreIndex(formula.version, formula.definition, (_id, m) => measure(facts, formula.definition, m)), facts };
}

/** One unit's or agency's index out of every one's (computeAll): what computeIndex answers for it. */
export function scoreOf(all: Awaited<ReturnType<typeof scoreAll>>, scope: Scope, computedAt: Date): ScopeScore {
  const s = (scope.kind === 'unit' ? all.units : all.agencies).find((x) => x.code === scope.code);
  if (!s) throw new DomainError(scope.kind === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND', `No ${scope.kind} ${scope.code} in force on ${all.period.to}`);
  return {
    scope: { ...scope, name: s.name, level: s.level },
    period: all.period,
    score: s.score,
    facts: s.facts,
    acrossRestructuring: acrossFor(all.boundary, scope),
    computedAt: computedAt.toISOString(),
  };
}

/**
 * Every unit and agency scored for a period, ranked by total (ties by code). One pass over the counters for all
 * of them: this is what the ranking and the publication use (target ≤ 1 s for a year, bench/index).
 */
export async function computeAll(deps: Deps, periodLabel: string, version?: string) {
  const period = parsePeriod(periodLabel);
  return scoreAll(deps, period, await formulaOfPeriod(deps, period, version));
}

/** computeAll under a formula already chosen; `deps.db` may be a transaction (one snapshot for scores.ts). */
export async function scoreAll(deps: Deps, period: Period, formula: Formula) {
  const g = await gatherFacts(deps, period, formula.definition.rules.rollUpSubordinateUnits);
  const score = (facts: Facts) => scoreIndex(formula.version, formula.definition, (_id, m) => measure(facts, formula.definition, m));
  const rank = <T extends { total: number; code: string }>(xs: T[]) =>
    xs.sort((a, b) => b.total - a.total || a.code.localeCompare(b.code)).map((x, i) => ({ rank: i + 1, ...x }));
  const units = rank(
    g.units.map((u) => {
      const s = score(g.unitFacts.get(u.code)!);
      return { kind: 'unit' as const, code: u.code, name: u.name, level: u.level, total: s.total, scoredMaximum: s.scoredMaximum, band: s.band, received: g.unitFacts.get(u.code)!.received, flagged: acrossFor(g.boundary, { kind: 'unit', code: u.code })?.flagged ?? [], score: s, facts: g.unitFacts.get(u.code)! };
    }),
  );
  const agencies = rank(
    g.agencies.map((a) => {
      const s = score(g.agencyFacts.get(a.code)!);
      return { kind: 'agency' as const, code: a.code, name: a.name, level: a.level, total: s.total, scoredMaximum: s.scoredMaximum, band: s.band, received: g.agencyFacts.get(a.code)!.received, flagged: [], score: s, facts: g.agencyFacts.get(a.code)! };
    }),
  );
  return { period, formulaVersion: formula.version, units, agencies, boundary: g.boundary };
}
