import { and, asc, eq, sql } from 'drizzle-orm';
import { transitionPlanItems, transitionPlans } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';

export type PlanItemRow = typeof transitionPlanItems.$inferSelect;

const itemView = (i: PlanItemRow) => ({
  dossierCode: i.dossierCode,
  state: i.state,
  from: { deskCode: i.fromDeskCode, unitCode: i.fromUnitCode, authorityAgencyCode: i.fromAuthorityAgencyCode, holderAgencyCode: i.fromHolderAgencyCode },
  to: i.toDeskCode
    ? { deskCode: i.toDeskCode, unitCode: i.toUnitCode!, authorityAgencyCode: i.toAuthorityAgencyCode!, holderAgencyCode: i.toHolderAgencyCode! }
    : null,
  basis: i.basis,
  amendedBy: i.amendedBy,
  transferredAt: i.transferredAt?.toISOString() ?? null,
});

/** A plan with its counts, its roles and a page of its dossiers (optionally of one state). */
export async function planView(deps: Deps, id: number, page: { limit: number; offset: number; state?: PlanItemRow['state'] }) {
  const [plan] = await deps.db.select().from(transitionPlans).where(eq(transitionPlans.id, id));
  if (!plan) throw new DomainError('NOT_FOUND', `No transition plan ${id}`);
  const where = and(eq(transitionPlanItems.planId, id), page.state ? eq(transitionPlanItems.state, page.state) : undefined);
  const [counts, items, [total]] = await Promise.all([
    deps.db.execute<{ state: string; n: number }>(sql`select state, count(*)::int n from transition_plan_items where plan_id = ${id} group by state`),
    deps.db.select().from(transitionPlanItems).where(where).orderBy(asc(transitionPlanItems.id)).limit(page.limit).offset(page.offset),
    deps.db.select({ n: sql<number>`count(*)::int` }).from(transitionPlanItems).where(where),
  ]);
  const n = (s: string) => counts.rows.find((r) => r.state === s)?.n ?? 0;
  return {
    id: plan.id,
    effectiveFrom: plan.effectiveFrom,
    basis: plan.basis,
    districtRules: plan.districtRules,
    appointmentExtensionDays: plan.appointmentExtensionDays,
    status: plan.status,
    createdBy: plan.createdBy,
    createdAt: plan.createdAt.toISOString(),
    appliedAt: plan.appliedAt?.toISOString() ?? null,
    counts: { placed: n('placed'), unplaced: n('unplaced'), transferred: n('transferred') },
    roles: plan.roles,
    items: items.map(itemView),
    total: total?.n ?? 0,
    limit: page.limit,
    offset: page.offset,
  };
}

const csvCell = (v: string | null | undefined) => {
  const s = v ?? '';
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every dossier of a plan as CSV (UTF-8 with BOM, for a spreadsheet), one line per dossier. */
export async function planCsv(deps: Deps, id: number): Promise<string> {
  const [plan] = await deps.db.select({ id: transitionPlans.id }).from(transitionPlans).where(eq(transitionPlans.id, id));
  if (!plan) throw new DomainError('NOT_FOUND', `No transition plan ${id}`);
  const items = await deps.db.select().from(transitionPlanItems).where(eq(transitionPlanItems.planId, id)).orderBy(asc(transitionPlanItems.id));
  const header = 'dossier_code,state,from_desk,from_unit,from_authority_agency,from_holder,to_desk,to_unit,to_authority_agency,to_holder,basis';
  const lines = items.map((i) =>
    [i.dossierCode, i.state, i.fromDeskCode, i.fromUnitCode, i.fromAuthorityAgencyCode, i.fromHolderAgencyCode, i.toDeskCode, i.toUnitCode, i.toAuthorityAgencyCode, i.toHolderAgencyCode, i.basis]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[header, ...lines].join('\n')}\n`;
}
