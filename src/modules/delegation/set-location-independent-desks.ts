import { eq, sql } from 'drizzle-orm';
import type { StaffContext } from '../../context.js';
import { auditLog, locationIndependentDesks } from '../../db/schema/index.js';
import { procedureInForce } from '../catalog/index.js';
import { DomainError } from '../../lib/errors.js';
import { localDateOf } from '../../lib/local-date.js';
import { requireDecisionAdmin } from './decision-store.js';

/**
 * Sets the desks that may receive a location-independent procedure (DOMAIN.md §8: the provincial centre and the
 * district desks in the pilot), recorded with who and why; every process reloads it within a second.
 */
export async function setLocationIndependentDesks(ctx: StaffContext<'db' | 'config' | 'now' | 'reference' | 'provinceLevel'>, input: { code: string; deskCodes: string[]; reason: string }) {
  const { code } = input;
  const province = await ctx.provinceLevel();
  requireDecisionAdmin(ctx.actor, province.inForce, province);
  const day = localDateOf(ctx.now());
  const procedure = await procedureInForce(ctx.db, code, day);
  if (!procedure.locationIndependent) throw new DomainError('VALIDATION_FAILED', `Procedure ${code} is not location-independent`);
  const deskCodes = [...new Set(input.deskCodes)].sort();
  for (const d of deskCodes) {
    const desk = await ctx.reference.desk(d, day).catch(() => null);
    if (!desk) throw new DomainError('VALIDATION_FAILED', `body.deskCodes: no desk ${d} on ${day}`);
  }
  await ctx.db.transaction(async (tx) => {
    const before = await tx.select().from(locationIndependentDesks).where(eq(locationIndependentDesks.procedureCode, code));
    await tx.delete(locationIndependentDesks).where(eq(locationIndependentDesks.procedureCode, code));
    await tx.insert(locationIndependentDesks).values(deskCodes.map((deskCode) => ({ procedureCode: code, deskCode })));
    await tx.insert(auditLog).values({
      actor: ctx.actor.username,
      action: 'set_location_independent_desks',
      detail: { procedureCode: code, before: before.map((b) => b.deskCode).sort(), after: deskCodes, reason: input.reason },
    });
    await tx.execute(sql`insert into reference_revision (id, revision) values (1, 1) on conflict (id) do update set revision = reference_revision.revision + 1`);
  });
  ctx.reference.invalidate();
  return { procedureCode: code, deskCodes };
}
