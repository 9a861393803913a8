import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgTable, serial, text, timestamptz, uniqueIndex } from './pg.js';

/**
 * A transition plan: where the open dossiers of the desks and agencies closed by a restructuring go (DOMAIN.md §2a).
 * Reviewed (JSON, CSV), amended per dossier by an administrator, then applied in one go or in batches. One plan per
 * effective date: a second plan for the same date would move the same dossiers elsewhere.
 */
export const transitionPlans = pgTable('transition_plans', {
  id: serial('id').primaryKey(),
  effectiveFrom: date('effective_from').notNull().unique(),
  basis: text('basis').notNull(),
  /** District code → GSO code of the new unit that takes the district's own dossiers (where the data does not say). */
  districtRules: jsonb('district_rules').$type<Record<string, string>>().notNull(),
  /** Working days added to each transferred dossier's appointment: 0 = the appointment stands. */
  appointmentExtensionDays: integer('appointment_extension_days').notNull(),
  status: text('status', { enum: ['draft', 'applying', 'applied'] }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  appliedAt: timestamptz('applied_at'),
  /** Staff roles over closed units and agencies, ended on the effective date by applying the plan. */
  roles: jsonb('roles').$type<{ id: number; username: string; role: string; scopeKind: string; scopeCode: string }[]>().notNull(),
});

/** One open dossier of a plan: where it is, where it goes (or why it cannot be placed), and whether it went. */
export const transitionPlanItems = pgTable(
  'transition_plan_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    planId: integer('plan_id')
      .notNull()
      .references(() => transitionPlans.id),
    dossierId: bigint('dossier_id', { mode: 'number' }).notNull(),
    dossierCode: text('dossier_code').notNull(),
    fromDeskCode: text('from_desk_code').notNull(),
    fromUnitCode: text('from_unit_code').notNull(),
    fromAuthorityAgencyCode: text('from_authority_agency_code').notNull(),
    fromHolderAgencyCode: text('from_holder_agency_code').notNull(),
    toDeskCode: text('to_desk_code'),
    toUnitCode: text('to_unit_code'),
    toAuthorityAgencyCode: text('to_authority_agency_code'),
    toHolderAgencyCode: text('to_holder_agency_code'),
    /** Why it goes there (the rule and its source), or why it cannot be placed. */
    basis: text('basis').notNull(),
    state: text('state', { enum: ['placed', 'unplaced', 'transferred'] }).notNull(),
    amendedBy: text('amended_by'),
    transferredAt: timestamptz('transferred_at'),
  },
  (t) => [
    uniqueIndex('transition_plan_items_uq').on(t.planId, t.dossierId),
    index('transition_plan_items_pending_idx').on(t.planId, t.id).where(sql`${t.state} = 'placed'`),
  ],
);
