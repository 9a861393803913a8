import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from './pg.js';

export const timeUnits = ['working_day', 'working_hour', 'same_day', 'calendar_day'] as const;
export type TimeUnit = (typeof timeUnits)[number];
export const procedureSources = ['generated', 'national_catalogue'] as const;
/**
 * Why a stored time is not the literal reading of the source's text: `bare_number` (no unit given: read as working
 * days), `months` (N months read as N × 30 calendar days), `missing` (no time published: the field's usual time).
 */
export const timeNotes = ['bare_number', 'months', 'missing'] as const;

/** A fee; `amountVnd` null where the source gives only a note; `method` where it differs by channel. */
export interface ProcedureFee {
  name: string;
  amountVnd: number | null;
  method?: 'direct' | 'online' | 'postal';
}
/** A required document; `case` names the case it belongs to when the source groups documents into cases. */
export interface ProcedureDocument {
  name: string;
  originals: number;
  copies: number;
  required: boolean;
  case?: string;
}

export const fields = pgTable('fields', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

/** The catalogue of administrative procedures in force in the province (DOMAIN.md §3). */
export const procedures = pgTable(
  'procedures',
  {
    /**
     * A procedure version. A code names a procedure of the national database, but this catalogue holds versions of it
     * over time (valid_from, valid_to: [from, to) as the organisation's) and the generated 2021-2025 codes may equal
     * real ones of the later catalogue: a version is identified by this id, never by its code alone.
     */
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    validFrom: date('valid_from').notNull().default('2020-01-01'),
    validTo: date('valid_to'),
    /** Where the version comes from: generated (seeds/catalog) or the national TTHC database (seeds/data). */
    source: text('source', { enum: procedureSources }).notNull().default('generated'),
    /** Every level the national database names for it (a procedure may be done at city and at commune level). */
    levels: jsonb('levels').$type<string[]>(),
    /** The statutory time as the source writes it, and why the stored time is not its literal reading (if so). */
    timeText: text('time_text'),
    timeNote: text('time_note', { enum: timeNotes }),
    /** The implementing agency as the source names it ("Cơ quan thực hiện"). */
    agencyText: text('agency_text'),
    /** Numbers of the legal documents it rests on ("Căn cứ pháp lý"). */
    legalBasis: jsonb('legal_basis').$type<string[]>().notNull().default([]),
    /** Whether the national database offers submission online (its level 3/4 is not published). */
    onlineSubmission: boolean('online_submission'),
    /** The decision that published it, and its page on the national portal. */
    publishingDecision: text('publishing_decision'),
    sourceUrl: text('source_url'),
    name: text('name').notNull(),
    /** Lower-case name without Vietnamese diacritics (đ → d), for search with or without accents. */
    nameSearch: text('name_search').notNull(),
    fieldCode: text('field_code')
      .notNull()
      .references(() => fields.code),
    level: text('level', { enum: ['province', 'district', 'commune'] }).notNull(),
    /** Implementing agency; for district and commune procedures an agency template (e.g. DIST-TNMT). */
    agencyCode: text('agency_code').notNull(),
    authority: text('authority').notNull(),
    timeAmount: integer('time_amount').notNull(),
    timeUnit: text('time_unit', { enum: timeUnits }).notNull(),
    statutoryAmount: integer('statutory_amount').notNull(),
    statutoryUnit: text('statutory_unit', { enum: timeUnits }).notNull(),
    timeCutPercent: integer('time_cut_percent').notNull().default(0),
    sameDay: boolean('same_day').notNull().default(false),
    /** Intake at or after this local time counts from the next working day (e.g. '15:00'). */
    cutoffHour: text('cutoff_hour'),
    supplementPolicy: text('supplement_policy', { enum: ['pause', 'restart'] }).notNull().default('pause'),
    /**
     * When an administrator corrects the calendar: re-project open dossiers' appointments, or keep the
     * appointment already given (unconfirmed which procedures keep; a setting, DOMAIN.md §5).
     */
    calendarChangePolicy: text('calendar_change_policy', { enum: ['reproject', 'keep'] }).notNull().default('reproject'),
    fees: jsonb('fees').$type<ProcedureFee[]>().notNull(),
    documents: jsonb('documents').$type<ProcedureDocument[]>().notNull(),
    onlineLevel: text('online_level', { enum: ['full', 'partial', 'none'] }).notNull(),
    onlineLevel4In2021: boolean('online_level4_in_2021').notNull().default(false),
    publishedOnNationalPortal: boolean('published_on_national_portal').notNull().default(false),
    paperResult: boolean('paper_result').notNull(),
    locationIndependent: boolean('location_independent').notNull().default(false),
    postalEligible: boolean('postal_eligible').notNull().default(true),
  },
  (t) => [
    index('procedures_level_idx').on(t.level),
    index('procedures_field_idx').on(t.fieldCode),
    index('procedures_agency_idx').on(t.agencyCode),
    check('procedures_time_ck', sql`${t.timeAmount} >= 0`),
    uniqueIndex('procedures_code_valid_from_uq').on(t.code, t.validFrom),
    check('procedures_period_ck', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
    // Also, outside what drizzle models (migration 0027): procedures_versions_no_overlap, an exclusion constraint
    // that no two versions of a code are in force on the same day.
  ],
);

/** Internal process: ordered steps, each with who does it and its allotted working minutes. */
export const procedureSteps = pgTable(
  'procedure_steps',
  {
    procedureId: integer('procedure_id')
      .notNull()
      .references(() => procedures.id, { onDelete: 'cascade' }),
    stepOrder: integer('step_order').notNull(),
    name: text('name').notNull(),
    performer: jsonb('performer').$type<Record<string, string>>().notNull(),
    minutes: integer('minutes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureId, t.stepOrder] })],
);

/**
 * Delegation (ủy quyền, time-bounded) and decentralisation (phân cấp, by regulation) decisions (DOMAIN.md §8).
 * `delegator` is the authority that gives its power (ubnd_tinh, chu_tich_ubnd_tinh, ubnd_huyen,
 * chu_tich_ubnd_huyen, or an agency code for a sub-delegation), held in `delegator_unit_code` (the province or
 * a district); `delegate_agency_code` receives it (an agency, or a template such as DIST-UBND resolved in the
 * dossier's district). A revoked decision stays, with its revocation date: dossiers received before keep it.
 */
export const delegationDecisions = pgTable(
  'delegation_decisions',
  {
    id: serial('id').primaryKey(),
    /** The decision's number; one row per decision and delegate (a decision may delegate to several agencies). */
    number: text('number').notNull(),
    kind: text('kind', { enum: ['delegation', 'decentralisation'] }).notNull(),
    issuer: text('issuer').notNull().default('Ủy ban nhân dân tỉnh Quảng Nam'),
    delegator: text('delegator').notNull(),
    delegatorUnitCode: text('delegator_unit_code').notNull(),
    delegateAgencyCode: text('delegate_agency_code').notNull(),
    signedOn: date('signed_on').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    documentRef: text('document_ref'),
    revokedOn: date('revoked_on'),
    createdBy: text('created_by').notNull().default('seed'),
  },
  (t) => [
    uniqueIndex('delegation_decisions_uq').on(t.number, t.delegateAgencyCode),
    check('delegation_decisions_period_ck', sql`${t.effectiveTo} is null or ${t.effectiveTo} > ${t.effectiveFrom}`),
  ],
);

/** Who created, amended or revoked a decision, when and why (before/after as JSON). */
export const delegationDecisionChanges = pgTable('delegation_decision_changes', {
  id: serial('id').primaryKey(),
  decisionId: integer('decision_id')
    .notNull()
    .references(() => delegationDecisions.id),
  action: text('action', { enum: ['create', 'amend', 'revoke'] }).notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  changedBy: text('changed_by').notNull(),
  reason: text('reason').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Desks that may receive a location-independent procedure (DOMAIN.md §8: the centre and the 18 district desks). */
export const locationIndependentDesks = pgTable(
  'location_independent_desks',
  {
    procedureCode: text('procedure_code').notNull(),
    deskCode: text('desk_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.deskCode] })],
);

export const delegationProcedures = pgTable(
  'delegation_procedures',
  {
    decisionId: integer('decision_id')
      .notNull()
      .references(() => delegationDecisions.id, { onDelete: 'cascade' }),
    /** A code: the decision covers the version of it in force on each day of the decision's period. */
    procedureCode: text('procedure_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.decisionId, t.procedureCode] }), index('delegation_procedure_idx').on(t.procedureCode)],
);

/** Where the public postal operator takes dossiers: per desk unit, for all fields (null) or one field. */
export const postalCoverage = pgTable(
  'postal_coverage',
  {
    id: serial('id').primaryKey(),
    deskUnitCode: text('desk_unit_code').notNull(),
    fieldCode: text('field_code'),
    status: text('status', { enum: ['covered', 'in_progress', 'not_covered'] }).notNull(),
    covered: boolean('covered').notNull(),
    validFrom: date('valid_from').notNull(),
    note: text('note').notNull(),
  },
  (t) => [index('postal_coverage_desk_idx').on(t.deskUnitCode)],
);

export type ProcedureRow = typeof procedures.$inferSelect;

/** Revision of the decisions (one row), incremented by every change: other processes reload their cache. */
export const referenceRevision = pgTable('reference_revision', {
  id: integer('id').primaryKey().default(1),
  revision: integer('revision').notNull().default(0),
});
