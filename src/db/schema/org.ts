import { sql } from 'drizzle-orm';
import { check, date, index, jsonb, pgTable, serial, text, timestamptz, uniqueIndex } from './pg.js';

/**
 * Administrative units (GSO codes) with validity periods: a change (merger, rename, new parent) closes the
 * current version (`valid_to`) and opens a new one, so history is never rewritten (DOMAIN.md §2).
 * A period is [valid_from, valid_to).
 */
export const units = pgTable(
  'units',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    level: text('level', { enum: ['province', 'district', 'commune'] }).notNull(),
    parentCode: text('parent_code'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    source: text('source').notNull(),
  },
  (t) => [
    uniqueIndex('units_code_valid_from_uq').on(t.code, t.validFrom),
    index('units_parent_idx').on(t.parentCode),
    check('units_period_ck', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

/** One one-stop desk (Bộ phận Một cửa) per unit; the provincial one is the Public Administration Service Center. */
export const desks = pgTable(
  'desks',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    unitCode: text('unit_code').notNull(),
    level: text('level', { enum: ['province', 'district', 'commune'] }).notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
  },
  (t) => [uniqueIndex('desks_code_valid_from_uq').on(t.code, t.validFrom), index('desks_unit_idx').on(t.unitCode)],
);

/** Specialised agencies, committees (as authorities), the police and the service centre. */
export const agencies = pgTable(
  'agencies',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    level: text('level', { enum: ['province', 'district', 'commune'] }).notNull(),
    unitCode: text('unit_code').notNull(),
    parentCode: text('parent_code'),
    /** For district and commune agencies: the template the catalogue names (e.g. DIST-TNMT). */
    templateCode: text('template_code'),
    /**
     * Catalogue codes and templates this agency answers for besides its own (a merged department of the 2025-07-01
     * city answers for the Quảng Nam departments it absorbed; a commune office for the district offices' templates):
     * how the catalogue's agency names resolve in a later organisation.
     */
    serves: text('serves').array().notNull().default(sql`'{}'::text[]`),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
  },
  (t) => [
    uniqueIndex('agencies_code_valid_from_uq').on(t.code, t.validFrom),
    index('agencies_unit_idx').on(t.unitCode),
    index('agencies_template_idx').on(t.templateCode, t.unitCode),
  ],
);

/**
 * The old units a unit version was formed from (Nghị quyết 1659/NQ-UBTVQH15 for 2025-07-01). A unit version is
 * (code, valid_from): codes are reused, so both ends carry their version. The predecessor's version is null when that
 * unit is outside the history this system holds (old Đà Nẵng's communes). `partial` says the predecessor was split
 * and only part of it went here (Xã Hòa Liên).
 */
export const unitPredecessors = pgTable(
  'unit_predecessors',
  {
    id: serial('id').primaryKey(),
    unitCode: text('unit_code').notNull(),
    unitValidFrom: date('unit_valid_from').notNull(),
    predecessorCode: text('predecessor_code').notNull(),
    predecessorValidFrom: date('predecessor_valid_from'),
    predecessorName: text('predecessor_name').notNull(),
    predecessorDistrictCode: text('predecessor_district_code'),
    predecessorDistrictName: text('predecessor_district_name'),
    predecessorProvinceCode: text('predecessor_province_code').notNull(),
    partial: text('partial'),
    basis: text('basis').notNull(),
  },
  (t) => [
    uniqueIndex('unit_predecessors_uq').on(t.unitCode, t.unitValidFrom, t.predecessorProvinceCode, t.predecessorCode),
    index('unit_predecessors_old_idx').on(t.predecessorCode, t.predecessorValidFrom),
  ],
);

/** Organisation versions loaded after the base one (a restructuring's effective date, its legal basis). */
export const organisationVersions = pgTable('organisation_versions', {
  effectiveFrom: date('effective_from').primaryKey(),
  name: text('name').notNull(),
  basis: text('basis').notNull(),
  appliedAt: timestamptz('applied_at').notNull().defaultNow(),
  summary: jsonb('summary').notNull(),
});

export const unitLevelOf = (gsoLevel: number) =>
  (['province', 'district', 'commune'] as const)[gsoLevel - 1] ?? ('commune' as const);

export type UnitRow = typeof units.$inferSelect;
export type DeskRow = typeof desks.$inferSelect;
export type AgencyRow = typeof agencies.$inferSelect;
export type UnitPredecessorRow = typeof unitPredecessors.$inferSelect;
