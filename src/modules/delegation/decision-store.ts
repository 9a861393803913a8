import { eq, inArray, sql } from 'drizzle-orm';
import { isProvinceUnit, isProvinceWide, type ProvinceLevel } from '../../domain/province-level.js';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import { delegationDecisionChanges, delegationDecisions, delegationProcedures } from '../../db/schema/index.js';
import { proceduresInForce } from '../catalog/index.js';
import { conflictsWith, type Decision } from '../../domain/delegation/decisions.js';
import { DomainError } from '../../lib/errors.js';
import type { StaffActor } from '../../domain/actor.js';

export type DecisionRow = typeof delegationDecisions.$inferSelect;

export async function decisionWithProcedures(db: Deps['db'] | Tx, id: number) {
  const [row] = await db.select().from(delegationDecisions).where(eq(delegationDecisions.id, id));
  if (!row) throw new DomainError('NOT_FOUND', `Decision ${id} not found`);
  const links = await db.select({ code: delegationProcedures.procedureCode }).from(delegationProcedures).where(eq(delegationProcedures.decisionId, id));
  return { ...row, procedureCodes: links.map((l) => l.code).sort() };
}

/**
 * Who may change a decision: a province administrator province-wide today, or a unit administrator of the district
 * it is held in (a decision of a province-level unit is the province's).
 */
export function requireDecisionAdmin(who: StaffActor, delegatorUnitCode: string, province: ProvinceLevel) {
  const ok = who.roles.some(
    (r) =>
      (r.role === 'province_admin' && isProvinceWide(r, province)) ||
      (r.role === 'unit_admin' && r.scopeKind === 'unit' && r.scopeCode === delegatorUnitCode && !isProvinceUnit(delegatorUnitCode, province)),
  );
  if (!ok) throw new DomainError('FORBIDDEN', `Only an administrator of unit ${delegatorUnitCode} or of the province may change this decision`);
}

/** Every code has a version in force on the day the decision takes effect (a decision covers those versions). */
export async function requireProceduresExist(tx: Tx, codes: string[], effectiveFrom: string) {
  const found = await proceduresInForce(tx, effectiveFrom, codes);
  const missing = codes.filter((c) => !found.some((f) => f.code === c));
  if (missing.length) throw new DomainError('VALIDATION_FAILED', `body.procedureCodes: not in the catalogue in force on ${effectiveFrom}: ${missing.join(', ')}`);
}

/**
 * Rejects a decision that would give a procedure and authority to another holder while a decision in force does
 * (DOMAIN.md §8: one holder of a power at a time). Runs inside the caller's transaction, under a lock that serialises decision changes.
 */
export async function rejectConflicts(tx: Tx, candidate: Decision & { id?: number }, codes: string[]) {
  // Decision changes are rare: one at a time, so two conflicting decisions cannot both pass this check.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('delegation_decisions'))`);
  const others = await tx
    .select({ d: delegationDecisions, code: delegationProcedures.procedureCode })
    .from(delegationProcedures)
    .innerJoin(delegationDecisions, eq(delegationDecisions.id, delegationProcedures.decisionId))
    .where(inArray(delegationProcedures.procedureCode, codes));
  const clashes = new Map<string, string[]>();
  for (const { d, code } of others) {
    const other: Decision = { ...d, delegate: d.delegateAgencyCode };
    if (conflictsWith(candidate, [other]).length) clashes.set(d.number, [...(clashes.get(d.number) ?? []), code]);
  }
  if (clashes.size) {
    const list = [...clashes].map(([n, cs]) => `${n} (${cs.join(', ')})`).join('; ');
    throw new DomainError('DECISION_CONFLICT', `Another decision gives the same authority to a different holder at the same time: ${list}`, {
      conflicts: [...clashes].map(([number, procedureCodes]) => ({ number, procedureCodes })),
    });
  }
}

/** Records a change with who and why, and bumps the shared revision so every process reloads its decisions. */
export async function recordChange(
  tx: Tx,
  c: { decisionId: number; action: 'create' | 'amend' | 'revoke'; before: unknown; after: unknown; by: string; reason: string },
) {
  await tx.insert(delegationDecisionChanges).values({ decisionId: c.decisionId, action: c.action, before: c.before, after: c.after, changedBy: c.by, reason: c.reason });
  await tx.execute(sql`insert into reference_revision (id, revision) values (1, 1) on conflict (id) do update set revision = reference_revision.revision + 1`);
}

export const toDecision = (d: DecisionRow): Decision => ({ ...d, delegate: d.delegateAgencyCode });
