import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, serial, text, uniqueIndex } from './pg.js';

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
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
  },
  (t) => [
    uniqueIndex('agencies_code_valid_from_uq').on(t.code, t.validFrom),
    index('agencies_unit_idx').on(t.unitCode),
    index('agencies_template_idx').on(t.templateCode, t.unitCode),
  ],
);

export const unitLevelOf = (gsoLevel: number) =>
  (['province', 'district', 'commune'] as const)[gsoLevel - 1] ?? ('commune' as const);

export type UnitRow = typeof units.$inferSelect;
export type DeskRow = typeof desks.$inferSelect;
export type AgencyRow = typeof agencies.$inferSelect;
