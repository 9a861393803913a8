import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { StaffContext } from '../../context.js';
import { delegationDecisions, delegationProcedures } from '../../db/schema/index.js';
import { decisionWithProcedures, recordChange, rejectConflicts, requireDecisionAdmin, requireProceduresExist, toDecision } from './decision-store.js';
import type { amendDecisionBody, revokeBody } from './schemas.js';
import { DomainError } from '../../lib/errors.js';

/** Amends a decision's end date, document reference or procedures, checked again for conflicts. */
export async function amendDecision(ctx: StaffContext<'db' | 'config' | 'reference' | 'provinceLevel'>, input: { id: number } & z.infer<typeof amendDecisionBody>) {
  const { id, ...body } = input;
  const before = await decisionWithProcedures(ctx.db, id);
  requireDecisionAdmin(ctx.actor, before.delegatorUnitCode, await ctx.provinceLevel());
  const effectiveTo = body.effectiveTo === undefined ? before.effectiveTo : body.effectiveTo;
  if (effectiveTo !== null && effectiveTo <= before.effectiveFrom) {
    throw new DomainError('VALIDATION_FAILED', 'body.effectiveTo: must be after the decision takes effect');
  }
  const codes = body.procedureCodes ? [...new Set(body.procedureCodes)] : before.procedureCodes;
  await ctx.db.transaction(async (tx) => {
    await requireProceduresExist(tx, codes, before.effectiveFrom);
    const after = { ...before, effectiveTo, documentRef: body.documentRef === undefined ? before.documentRef : body.documentRef };
    await rejectConflicts(tx, toDecision(after), codes);
    await tx.update(delegationDecisions).set({ effectiveTo: after.effectiveTo, documentRef: after.documentRef }).where(eq(delegationDecisions.id, id));
    if (body.procedureCodes) {
      await tx.delete(delegationProcedures).where(eq(delegationProcedures.decisionId, id));
      await tx.insert(delegationProcedures).values(codes.map((procedureCode) => ({ decisionId: id, procedureCode })));
    }
    await recordChange(tx, { decisionId: id, action: 'amend', before, after: { ...after, procedureCodes: codes }, by: ctx.actor.username, reason: body.reason });
  });
  ctx.reference.invalidate();
  return decisionWithProcedures(ctx.db, id);
}

/** Revokes a decision from a date on; it stays on record, and dossiers received before keep it. */
export async function revokeDecision(ctx: StaffContext<'db' | 'config' | 'reference' | 'provinceLevel'>, input: { id: number } & z.infer<typeof revokeBody>) {
  const { id, ...body } = input;
  const before = await decisionWithProcedures(ctx.db, id);
  requireDecisionAdmin(ctx.actor, before.delegatorUnitCode, await ctx.provinceLevel());
  if (before.revokedOn) throw new DomainError('CONFLICT', `Decision ${before.number} was revoked on ${before.revokedOn}`);
  if (body.revokedOn < before.effectiveFrom) throw new DomainError('VALIDATION_FAILED', 'body.revokedOn: before the decision takes effect');
  await ctx.db.transaction(async (tx) => {
    await tx.update(delegationDecisions).set({ revokedOn: body.revokedOn }).where(eq(delegationDecisions.id, id));
    await recordChange(tx, { decisionId: id, action: 'revoke', before, after: { ...before, revokedOn: body.revokedOn }, by: ctx.actor.username, reason: body.reason });
  });
  ctx.reference.invalidate();
  return decisionWithProcedures(ctx.db, id);
}
