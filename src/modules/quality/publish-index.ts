import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { auditLog, qualityPublications } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { localDateOf } from '../../lib/local-date.js';
import type { StaffActor } from '../../domain/actor.js';
import { computeAll, type Scope } from './compute-index.js';
import { parsePeriod } from './period.js';

/**
 * Publishes the index of every unit and agency for a finished period: a snapshot per scope under the formula
 * version used, never updated afterwards (a later formula version publishes beside it, not over it).
 */
export async function publishIndex(deps: Deps, input: { period: string; version?: string }, who: StaffActor) {
  const period = parsePeriod(input.period);
  if (period.to >= localDateOf(deps.now())) throw new DomainError('VALIDATION_FAILED', `period ${input.period} is not over yet; only a finished period is published`);
  const all = await computeAll(deps, input.period, input.version);
  const at = deps.now();
  const rows = [...all.units, ...all.agencies].map((s) => ({
    period: period.label,
    scopeKind: s.kind,
    scopeCode: s.code,
    formulaVersion: all.formulaVersion,
    total: s.total,
    score: { ...s.score, rank: s.rank, name: s.name, level: s.level },
    publishedBy: who.username,
    publishedAt: at,
  }));
  return deps.db.transaction(async (tx) => {
    let published = 0;
    for (let i = 0; i < rows.length; i += 500) {
      published += (await tx.insert(qualityPublications).values(rows.slice(i, i + 500)).onConflictDoNothing().returning({ id: qualityPublications.id })).length;
    }
    if (published === 0) throw new DomainError('CONFLICT', `The index for ${period.label} under formula ${all.formulaVersion} is already published`);
    await tx.insert(auditLog).values({ actor: who.username, action: 'quality_index_published', detail: { period: period.label, formulaVersion: all.formulaVersion, scopes: published } });
    return { period: period.label, formulaVersion: all.formulaVersion, published, publishedAt: at.toISOString() };
  });
}

/** The published scores of a period (optionally one scope), as they were published. */
export async function publishedScores(deps: Deps, periodLabel: string, scope?: Scope) {
  const period = parsePeriod(periodLabel);
  const rows = await deps.db
    .select()
    .from(qualityPublications)
    .where(
      and(
        eq(qualityPublications.period, period.label),
        scope ? and(eq(qualityPublications.scopeKind, scope.kind), eq(qualityPublications.scopeCode, scope.code)) : sql`true`,
      ),
    )
    .orderBy(qualityPublications.formulaVersion, qualityPublications.scopeKind, sql`${qualityPublications.total} desc`, qualityPublications.scopeCode);
  return {
    period: period.label,
    items: rows.map((r) => ({ scopeKind: r.scopeKind, scopeCode: r.scopeCode, formulaVersion: r.formulaVersion, total: r.total, score: r.score, publishedBy: r.publishedBy, publishedAt: r.publishedAt.toISOString() })),
  };
}
