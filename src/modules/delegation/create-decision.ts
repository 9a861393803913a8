import type { z } from 'zod';
import type { StaffContext } from '../../context.js';
import { delegationDecisions, delegationProcedures } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { decisionWithProcedures, recordChange, rejectConflicts, requireDecisionAdmin, requireProceduresExist } from './decision-store.js';
import type { createDecisionBody } from './schemas.js';

/**
 * Records a delegation or decentralisation decision (DOMAIN.md §8): checked against the decisions in force
 * (no two holders of the same procedure and authority at once), written with its procedures and the change
 * record in one transaction. Dossiers already received keep the authority they were received under.
 */
export async function createDecision(ctx: StaffContext<'db' | 'config' | 'reference' | 'provinceLevel'>, input: z.infer<typeof createDecisionBody>) {
  // A decision without a delegator unit is the province's: Quảng Nam's (49) until 2025-06-30, the city's (48) since.
  const body = { ...input, delegatorUnitCode: input.delegatorUnitCode ?? (await ctx.provinceLevel(input.effectiveFrom)).inForce };
  requireDecisionAdmin(ctx.actor, body.delegatorUnitCode, await ctx.provinceLevel());
  const day = body.effectiveFrom;
  if (!(await ctx.reference.holderExists(body.delegateAgencyCode, day)) && !body.delegateAgencyCode.startsWith('DIST-') && body.delegateAgencyCode !== 'COMM-UBND') {
    throw new DomainError('VALIDATION_FAILED', `body.delegateAgencyCode: no agency ${body.delegateAgencyCode} on ${day}`);
  }
  const codes = [...new Set(body.procedureCodes)];
  const id = await ctx.db.transaction(async (tx) => {
    await requireProceduresExist(tx, codes, body.effectiveFrom);
    const { procedureCodes: _codes, reason: _reason, ...values } = body;
    await rejectConflicts(tx, { ...values, delegate: values.delegateAgencyCode, revokedOn: null }, codes);
    const inserted = await tx
      .insert(delegationDecisions)
      .values({ ...values, createdBy: ctx.actor.username })
      .onConflictDoNothing()
      .returning({ id: delegationDecisions.id });
    const row = inserted[0];
    if (!row) throw new DomainError('CONFLICT', `Decision ${body.number} to ${body.delegateAgencyCode} is already recorded`);
    await tx.insert(delegationProcedures).values(codes.map((procedureCode) => ({ decisionId: row.id, procedureCode })));
    await recordChange(tx, { decisionId: row.id, action: 'create', before: null, after: { ...values, procedureCodes: codes }, by: ctx.actor.username, reason: body.reason });
    return row.id;
  });
  ctx.reference.invalidate();
  return decisionWithProcedures(ctx.db, id);
}
