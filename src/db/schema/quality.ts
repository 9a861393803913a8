import { bigint, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamptz, uniqueIndex } from './pg.js';

/** The measures counted from the events, shared by the daily and the monthly counters. */
const measures = () => ({
  /** Dossiers received (event `received`). */
  received: integer('received').notNull().default(0),
  /** … of which every document was digitised at intake (indicator 4.2). */
  receivedDigitised: integer('received_digitised').notNull().default(0),
  /** Dossiers resolved (first ending act `complete`: result ready), by timeliness. */
  resolved: integer('resolved').notNull().default(0),
  resolvedEarly: integer('resolved_early').notNull().default(0),
  resolvedOnTime: integer('resolved_on_time').notNull().default(0),
  resolvedLate: integer('resolved_late').notNull().default(0),
  /** Resolved early or on time but after more than one supplement request: late for indicator 2.1. */
  resolvedInTimeMultiSupplement: integer('resolved_in_time_multi_supplement').notNull().default(0),
  /** Resolved with an electronic result reference (indicator 4.1). */
  resolvedElectronic: integer('resolved_electronic').notNull().default(0),
  /** Resolved for a procedure whose result is a paper document (denominator of 4.1). */
  resolvedPaperResult: integer('resolved_paper_result').notNull().default(0),
  /** Working minutes from the effective start to the result, summed (indicator 2.2, monitoring). */
  resolvedWorkingMinutes: bigint('resolved_working_minutes', { mode: 'number' }).notNull().default(0),
  /** Supplement requests (each one). */
  supplementRequests: integer('supplement_requests').notNull().default(0),
  /** Dossiers stopped or refused during handling, and withdrawn at the applicant's request. */
  stopped: integer('stopped').notNull().default(0),
  withdrawn: integer('withdrawn').notNull().default(0),
  /** Ratings given by applicants, and the negative ones (indicator 5.4). */
  rated: integer('rated').notNull().default(0),
  ratedNegative: integer('rated_negative').notNull().default(0),
  /**
   * Dossiers whose documents are all electronic (indicator 4.2 from the files): received online (filed
   * electronically, exempt from digitisation: Thông tư 03/2025 Art. 5(2)), or the digitisation record that
   * covers the last required document of a dossier received on paper (event `digitisation_recorded`).
   */
  digitisedRecorded: integer('digitised_recorded').notNull().default(0),
  /** The first result file attached to a dossier whose result is a paper document (event `result_file_attached`; 4.1). */
  resultFileAttached: integer('result_file_attached').notNull().default(0),
  /** The first file of a dossier re-used from the applicant's earlier dossiers (event `file_reused`; 4.3). */
  reusedData: integer('reused_data').notNull().default(0),
});

/**
 * Per-day counters of dossier events for the service-quality index (QĐ 766/QĐ-TTg) and the report's table
 * (DOMAIN.md §9-§10), by desk, unit, deciding agency, procedure (and its field) and channel. Fed by the
 * workers from dossier_events (each event counted once, see `counted_at`); `rebuildCounters` recomputes them from
 * the events and gives the same rows. Each measure is counted on the local day of its event.
 */
export const qualityCounters = pgTable(
  'quality_counters',
  {
    day: date('day').notNull(),
    deskCode: text('desk_code').notNull(),
    unitCode: text('unit_code').notNull(),
    agencyCode: text('agency_code').notNull(),
    procedureCode: text('procedure_code').notNull(),
    /** The procedure version its dossiers were received under (a code may name versions of other eras). */
    procedureId: integer('procedure_id').notNull(),
    fieldCode: text('field_code').notNull(),
    channel: text('channel').notNull(),
    ...measures(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.deskCode, t.unitCode, t.agencyCode, t.procedureId, t.channel] }),
    index('quality_counters_unit_day_idx').on(t.unitCode, t.day),
    index('quality_counters_agency_day_idx').on(t.agencyCode, t.day),
  ],
);

/**
 * The same measures by month, unit, agency and channel only (no desk, procedure or day): what the index reads.
 * Periods of the index are whole months, and without the procedure the rows are few (a year of the province is
 * tens of thousands, not the million of the daily counters), so every unit and agency scores in well under a
 * second. Kept in the same transaction as the daily counters, from the same events.
 */
export const qualityCountersMonthly = pgTable(
  'quality_counters_monthly',
  {
    month: date('month').notNull(),
    unitCode: text('unit_code').notNull(),
    agencyCode: text('agency_code').notNull(),
    channel: text('channel').notNull(),
    ...measures(),
  },
  (t) => [primaryKey({ columns: [t.month, t.unitCode, t.agencyCode, t.channel] })],
);

/** Procedures that received online dossiers, by month, unit and agency (indicator 3.2: online services used). */
export const qualityOnlineUse = pgTable(
  'quality_online_use',
  {
    month: date('month').notNull(),
    unitCode: text('unit_code').notNull(),
    agencyCode: text('agency_code').notNull(),
    procedureCode: text('procedure_code').notNull(),
    procedureId: integer('procedure_id').notNull(),
    received: integer('received').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.unitCode, t.agencyCode, t.procedureId] })],
);

/**
 * A version of the index formula: weights, targets and inclusion rules as data (DOMAIN.md §9: the split inside
 * the groups and the targets are reconstructions, so configuration). A new version never rewrites scores already
 * published with an earlier one.
 */
export const qualityFormulas = pgTable('quality_formulas', {
  version: text('version').primaryKey(),
  title: text('title').notNull(),
  /** From this date the version is the current one (the newest whose date has come). */
  effectiveFrom: date('effective_from').notNull(),
  definition: jsonb('definition').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** Published scores: a snapshot per period, scope and formula version; never updated. */
export const qualityPublications = pgTable(
  'quality_publications',
  {
    id: serial('id').primaryKey(),
    period: text('period').notNull(),
    scopeKind: text('scope_kind', { enum: ['unit', 'agency'] }).notNull(),
    scopeCode: text('scope_code').notNull(),
    formulaVersion: text('formula_version').notNull(),
    total: doublePrecision('total').notNull(),
    score: jsonb('score').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamptz('published_at').notNull(),
  },
  (t) => [
    uniqueIndex('quality_publications_uq').on(t.period, t.scopeKind, t.scopeCode, t.formulaVersion),
    index('quality_publications_period_idx').on(t.period),
  ],
);

export type QualityCounterRow = typeof qualityCounters.$inferSelect;

/**
 * The months whose counters changed, with the order of the change: every counting transaction (and a rebuild)
 * stamps the months of the local days its events fall on, under the counting lock, with the next `change_seq`.
 * A stored score is valid while no month of its period has a `change_seq` above the one it was computed at;
 * each API process polls this table to drop what it holds in memory for a month that changed.
 */
export const qualityCounterChanges = pgTable('quality_counter_changes', {
  month: date('month').primaryKey(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  changedAt: timestamptz('changed_at').notNull(),
});

/**
 * A closed period scored under one formula version: computed once from one snapshot of the counters (the
 * highest `change_seq` of its months then is `source_seq`), served from `quality_scores` until a month of it
 * changes. Not a publication: it is recomputed (and overwritten) when late events or a rebuild touch the period.
 */
export const qualityScorePeriods = pgTable(
  'quality_score_periods',
  {
    period: text('period').notNull(),
    formulaVersion: text('formula_version').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    sourceSeq: bigint('source_seq', { mode: 'number' }).notNull(),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.period, t.formulaVersion] })],
);

/** The score of every unit and agency of a stored period (see quality_score_periods): what the public reads serve. */
export const qualityScores = pgTable(
  'quality_scores',
  {
    period: text('period').notNull(),
    formulaVersion: text('formula_version').notNull(),
    scopeKind: text('scope_kind', { enum: ['unit', 'agency'] }).notNull(),
    scopeCode: text('scope_code').notNull(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    /** Rank among all scopes of its kind (total descending, then code), as the ranking gives it. */
    rank: integer('rank').notNull(),
    total: doublePrecision('total').notNull(),
    scoredMaximum: doublePrecision('scored_maximum').notNull(),
    band: text('band'),
    received: bigint('received', { mode: 'number' }).notNull(),
    resolved: bigint('resolved', { mode: 'number' }).notNull(),
    score: jsonb('score').notNull(),
    facts: jsonb('facts').notNull(),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.period, t.formulaVersion, t.scopeKind, t.scopeCode] })],
);
