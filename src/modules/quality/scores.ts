import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { qualityScorePeriods, qualityScores } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import type { Score } from '../../domain/quality/formula.js';
import { DomainError } from '../../lib/errors.js';
import { boundaryWithin } from '../restructuring/index.js';
import { acrossFor, scoreAll, type Scope, type ScopeScore } from './compute-index.js';
import { emptyFacts, type Facts } from './facts.js';
import type { Formula } from './formulas.js';
import type { Period } from './period.js';

export interface StoredPeriod {
  period: string;
  formulaVersion: string;
  sourceSeq: number;
  computedAt: Date;
}

/** Writers of one period serialise on this lock (two processes computing it at once store the newer snapshot). */
const lockKey = (period: string, version: string) => sql`pg_advisory_xact_lock(hashtext(${`quality_scores:${period}:${version}`}))`;

/** A stored fact record in the order the live computation gives it (jsonb keeps its own key order). */
const factsOf = (stored: unknown): Facts => {
  const f = (stored ?? {}) as Record<string, unknown>;
  const out = emptyFacts();
  for (const k of Object.keys(out) as (keyof Facts)[]) out[k] = Number(f[k] ?? 0);
  return out;
};

/**
 * The scores of closed periods, computed once per formula version and kept in quality_scores (a closed period
 * is a fact: DOMAIN.md §9 scores it from counters that only late events change). A stored period is valid while
 * none of its months was stamped changed after the snapshot it was computed from (count-events.ts stamps the
 * months of every counting and rebuild); otherwise the next read computes it again, every unit and agency in one
 * pass. Concurrent reads of a period that is missing or stale share one computation.
 */
export class ScoreStore {
  private readonly inflight = new Map<string, Promise<StoredPeriod>>();
  /**
   * Periods are computed one after another in a process: each holds every unit's and agency's facts while it
   * runs (tens of MiB for a year), and a cold 12-month series would otherwise hold twelve at once.
   */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: Deps) {}

  /** The stored period, computed now when missing or stale. Only for closed periods (the caller decides). */
  ensure(period: Period, formula: Formula): Promise<StoredPeriod> {
    const key = `${period.label}|${formula.version}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.validOrCompute(period, formula).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async validOrCompute(period: Period, formula: Formula): Promise<StoredPeriod> {
    const stored = await this.valid(period.label, formula.version);
    if (stored) return stored;
    const mine = this.turn.then(() => this.compute(period, formula));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async valid(period: string, version: string): Promise<StoredPeriod | null> {
    const r = await this.deps.db.execute<{ source_seq: string; computed_at: Date | string; current_seq: string }>(sql`
      select p.source_seq, p.computed_at,
        (select coalesce(max(c.change_seq), 0) from quality_counter_changes c where c.month between p.period_from and p.period_to) as current_seq
      from quality_score_periods p where p.period = ${period} and p.formula_version = ${version}`);
    const row = r.rows[0];
    if (!row || Number(row.source_seq) < Number(row.current_seq)) return null;
    return { period, formulaVersion: version, sourceSeq: Number(row.source_seq), computedAt: new Date(row.computed_at) };
  }

  /** Every unit and agency from one snapshot of the counters, stored with that snapshot's change number. */
  async compute(period: Period, formula: Formula): Promise<StoredPeriod> {
    const { deps } = this;
    const { seq, all } = await deps.db.transaction(
      async (tx) => {
        const r = await tx.execute<{ seq: string }>(
          sql`select coalesce(max(change_seq), 0) as seq from quality_counter_changes where month between ${period.from} and ${period.to}`,
        );
        // The same code as the live answer, on the transaction's snapshot (a Tx answers what gatherFacts asks of a Db).
        return { seq: Number(r.rows[0]?.seq ?? 0), all: await scoreAll({ ...deps, db: tx as unknown as Db }, period, formula) };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const at = deps.now();
    const base = { period: period.label, formulaVersion: formula.version, computedAt: at };
    const rows = [...all.units, ...all.agencies].map((s) => ({
      ...base,
      scopeKind: s.kind,
      scopeCode: s.code,
      name: s.name,
      level: s.level,
      rank: s.rank,
      total: s.total,
      scoredMaximum: s.scoredMaximum,
      band: s.band,
      received: s.received,
      resolved: s.facts.resolved,
      score: s.score,
      facts: s.facts,
    }));
    return deps.db.transaction(async (tx) => {
      await tx.execute(sql`select ${lockKey(period.label, formula.version)}`);
      const [cur] = await tx
        .select()
        .from(qualityScorePeriods)
        .where(and(eq(qualityScorePeriods.period, period.label), eq(qualityScorePeriods.formulaVersion, formula.version)));
      if (cur && cur.sourceSeq >= seq) return { period: cur.period, formulaVersion: cur.formulaVersion, sourceSeq: cur.sourceSeq, computedAt: cur.computedAt };
      await tx.delete(qualityScores).where(and(eq(qualityScores.period, period.label), eq(qualityScores.formulaVersion, formula.version)));
      for (let i = 0; i < rows.length; i += 400) await tx.insert(qualityScores).values(rows.slice(i, i + 400));
      const head = { periodFrom: period.from, periodTo: period.to, sourceSeq: seq, computedAt: at };
      await tx
        .insert(qualityScorePeriods)
        .values({ period: period.label, formulaVersion: formula.version, ...head })
        .onConflictDoUpdate({ target: [qualityScorePeriods.period, qualityScorePeriods.formulaVersion], set: head });
      return { period: period.label, formulaVersion: formula.version, sourceSeq: seq, computedAt: at };
    });
  }

  /** The stored index of one unit or agency, as computeIndex answers it (with when it was computed). */
  async index(scope: Scope, period: Period, formula: Formula): Promise<ScopeScore> {
    await this.ensure(period, formula);
    const [row] = await this.deps.db
      .select()
      .from(qualityScores)
      .where(
        and(
          eq(qualityScores.period, period.label),
          eq(qualityScores.formulaVersion, formula.version),
          eq(qualityScores.scopeKind, scope.kind),
          eq(qualityScores.scopeCode, scope.code),
        ),
      );
    if (!row) throw new DomainError(scope.kind === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND', `No ${scope.kind} ${scope.code} in force on ${period.to}`);
    return {
      scope: { ...scope, name: row.name, level: row.level },
      period,
      score: row.score as Score,
      facts: factsOf(row.facts),
      // From the organisation, not stored: the restructuring's links are not changed by counting.
      acrossRestructuring: acrossFor(await boundaryWithin(this.deps.db, period.from, period.to), scope),
      computedAt: row.computedAt.toISOString(),
    };
  }

  /** Every unit or agency of a stored period in rank order, without their score details. */
  async ranking(period: Period, formula: Formula, kind: 'unit' | 'agency') {
    const stored = await this.ensure(period, formula);
    const items = await this.deps.db
      .select({
        rank: qualityScores.rank,
        code: qualityScores.scopeCode,
        name: qualityScores.name,
        level: qualityScores.level,
        total: qualityScores.total,
        scoredMaximum: qualityScores.scoredMaximum,
        band: qualityScores.band,
        received: qualityScores.received,
      })
      .from(qualityScores)
      .where(and(eq(qualityScores.period, period.label), eq(qualityScores.formulaVersion, formula.version), eq(qualityScores.scopeKind, kind)))
      .orderBy(asc(qualityScores.rank));
    const boundary = await boundaryWithin(this.deps.db, period.from, period.to);
    return { computedAt: stored.computedAt, items: items.map((x) => ({ ...x, flagged: acrossFor(boundary, { kind, code: x.code })?.flagged ?? [] })) };
  }

  /** Series points of one scope over closed months, each under its own formula. */
  async points(scope: Scope, months: { period: Period; formula: Formula }[]) {
    await Promise.all(months.map((m) => this.ensure(m.period, m.formula)));
    const rows = months.length
      ? await this.deps.db
          .select({
            period: qualityScores.period,
            formulaVersion: qualityScores.formulaVersion,
            total: qualityScores.total,
            scoredMaximum: qualityScores.scoredMaximum,
            received: qualityScores.received,
            resolved: qualityScores.resolved,
            computedAt: qualityScores.computedAt,
          })
          .from(qualityScores)
          .where(
            and(
              inArray(qualityScores.period, months.map((m) => m.period.label)),
              inArray(qualityScores.formulaVersion, [...new Set(months.map((m) => m.formula.version))]),
              eq(qualityScores.scopeKind, scope.kind),
              eq(qualityScores.scopeCode, scope.code),
            ),
          )
      : [];
    return months.map((m) => {
      const row = rows.find((r) => r.period === m.period.label && r.formulaVersion === m.formula.version);
      if (!row) throw new DomainError(scope.kind === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND', `No ${scope.kind} ${scope.code} in force on ${m.period.to}`);
      return row;
    });
  }
}
