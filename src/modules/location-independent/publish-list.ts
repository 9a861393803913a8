import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { StaffContext } from '../../context.js';
import { auditLog, locationIndependentListProcedures, locationIndependentLists } from '../../db/schema/index.js';
import { isProvinceWide } from '../../domain/province-level.js';
import { DomainError } from '../../lib/errors.js';
import { localDateOf } from '../../lib/local-date.js';
import { listView } from './queries.js';
import type { publishListBody } from './schemas.js';

/**
 * Publishes a new version of the city's list of procedures received anywhere in the city (Nghị định 118/2025/NĐ-CP:
 * the province decides which), in force from `validFrom` until a later version. A version is never rewritten and
 * never starts in the past: an intake is judged by the list of its own day, and a dossier keeps the routing it was
 * received under. Every procedure named must be in the catalogue, else nothing is written (400 naming them).
 */
export async function publishList(ctx: StaffContext<'db' | 'now' | 'config' | 'reference' | 'locationIndependentLists' | 'provinceLevel'>, body: z.infer<typeof publishListBody>) {
  const today = localDateOf(ctx.now());
  await requireCityAdmin(ctx);
  if (body.validFrom < today) {
    throw new DomainError('VALIDATION_FAILED', `body.validFrom: a list takes effect today (${today}) or later; intakes already made keep the list of their day`);
  }
  const codes = [...new Set(body.procedureCodes)].sort();
  const missing: string[] = [];
  for (const code of codes) {
    await ctx.reference.procedureOn(code, body.validFrom).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'PROCEDURE_NOT_FOUND') missing.push(code);
      else throw err;
    });
  }
  if (missing.length > 0) throw new DomainError('VALIDATION_FAILED', `body.procedureCodes: not in the catalogue: ${missing.join(', ')}`);

  const id = await ctx.db.transaction(async (tx) => {
    // One change at a time: two versions for the same day cannot both pass the check below.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('location_independent_lists'))`);
    const [taken] = await tx.select({ id: locationIndependentLists.id }).from(locationIndependentLists).where(eq(locationIndependentLists.validFrom, body.validFrom));
    if (taken) throw new DomainError('CONFLICT', `A list taking effect on ${body.validFrom} exists already (version ${taken.id}); publish one for another day`);
    const [row] = await tx
      .insert(locationIndependentLists)
      .values({ validFrom: body.validFrom, basis: body.basis, allCityLevel: body.allCityLevel, reason: body.reason, createdBy: ctx.actor.username })
      .returning({ id: locationIndependentLists.id });
    if (codes.length > 0) await tx.insert(locationIndependentListProcedures).values(codes.map((procedureCode) => ({ listId: row!.id, procedureCode })));
    await tx.insert(auditLog).values({
      actor: ctx.actor.username,
      action: 'publish_location_independent_list',
      requestId: ctx.requestId ?? null,
      detail: { id: row!.id, validFrom: body.validFrom, basis: body.basis, allCityLevel: body.allCityLevel, procedures: codes.length, reason: body.reason },
    });
    // Every process reloads its lists (and reference data) within a second.
    await tx.execute(sql`insert into reference_revision (id, revision) values (1, 1) on conflict (id) do update set revision = reference_revision.revision + 1`);
    return row!.id;
  });
  ctx.locationIndependentLists.invalidate();
  ctx.reference.invalidate();
  return listView(ctx, id);
}

/** The city's administrator: a province administrator province-wide today (the one who publishes acts now). */
async function requireCityAdmin(ctx: StaffContext<'provinceLevel'>) {
  const province = await ctx.provinceLevel();
  if (!ctx.actor.roles.some((r) => r.role === 'province_admin' && isProvinceWide(r, province))) {
    throw new DomainError('FORBIDDEN', `Only a province administrator of ${province.inForce} may publish the location-independent list`);
  }
}
