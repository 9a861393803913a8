import { desc, eq, lte } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { auditLog, qualityFormulas } from '../../db/schema/index.js';
import { formulaDefinitionSchema, type FormulaDefinition } from '../../domain/quality/formula.js';
import { DomainError } from '../../lib/errors.js';
import type { StaffActor } from '../../domain/actor.js';
import { isKnownMeasure } from './measure.js';

export interface Formula {
  version: string;
  title: string;
  effectiveFrom: string;
  definition: FormulaDefinition;
}

const toFormula = (r: typeof qualityFormulas.$inferSelect): Formula => ({
  version: r.version,
  title: r.title,
  effectiveFrom: r.effectiveFrom,
  definition: formulaDefinitionSchema.parse(r.definition),
});

/** The version asked for, or the one in force on `day` (the newest whose effective date has come). */
export async function formulaFor(deps: Deps, day: string, version?: string): Promise<Formula> {
  const [row] = version
    ? await deps.db.select().from(qualityFormulas).where(eq(qualityFormulas.version, version))
    : await deps.db.select().from(qualityFormulas).where(lte(qualityFormulas.effectiveFrom, day)).orderBy(desc(qualityFormulas.effectiveFrom), desc(qualityFormulas.createdAt)).limit(1);
  if (!row) throw new DomainError('NOT_FOUND', version ? `No index formula version ${version}` : `No index formula in force on ${day}`);
  return toFormula(row);
}

export async function listFormulas(deps: Deps) {
  return (await deps.db.select().from(qualityFormulas).orderBy(qualityFormulas.effectiveFrom)).map(toFormula);
}

/**
 * A new formula version (weights, targets, rules) by a province administrator. Versions are never changed
 * afterwards: a score names its version, and published scores stay as they were computed.
 */
export async function createFormula(deps: Deps, input: Formula, who: StaffActor): Promise<Formula> {
  const def = input.definition;
  const groups = new Set(def.groups.map((g) => g.id));
  const ids = new Set<string>();
  for (const i of def.indicators) {
    if (!groups.has(i.group)) throw new DomainError('VALIDATION_FAILED', `indicator ${i.id} names an unknown group ${i.group}`);
    if (ids.has(i.id)) throw new DomainError('VALIDATION_FAILED', `indicator ${i.id} appears twice`);
    if (!isKnownMeasure(i.measure)) throw new DomainError('VALIDATION_FAILED', `indicator ${i.id}: unknown measure ${i.measure}`);
    ids.add(i.id);
  }
  const totalMax = def.groups.reduce((s, g) => s + g.max, 0);
  if (Math.abs(totalMax - 100) > 1e-9) throw new DomainError('VALIDATION_FAILED', `the groups' maxima add up to ${totalMax}, not 100`);
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(qualityFormulas)
      .values({ version: input.version, title: input.title, effectiveFrom: input.effectiveFrom, definition: def, createdBy: who.username })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new DomainError('CONFLICT', `Formula version ${input.version} exists already; versions are never changed`);
    await tx.insert(auditLog).values({ actor: who.username, action: 'quality_formula_created', detail: { version: input.version } });
    return toFormula(inserted[0]!);
  });
}
