import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../src/db/client.js';
import {
  agencies,
  delegationDecisions,
  delegationProcedures,
  desks,
  fields,
  locationIndependentDesks,
  organisationVersions,
  postalCoverage,
  procedures,
  procedureSteps,
  qualityFormulas,
  referenceDataLoads,
  units,
  workingHours,
} from '../src/db/schema/index.js';
import { foldVietnamese } from '../src/lib/text.js';
import { loadCalendarSchedule } from '../src/modules/calendar/index.js';
import { buildCatalogue, type ProcedureSeed } from './catalog/index.js';
import { buildNewEraCatalogue, type NewEraCatalogue } from './catalog/new-era.js';
import { qualityFormulaSeeds } from './quality/index.js';
import { CALENDAR_SEED_AUTHOR, calendarDaySeeds, calendarYearSeeds, DEFAULT_WORKING_HOURS } from './calendar/days.js';
import { deskCodeOf, deskNameOf, HISTORY_START, restructuring2025, unitSeeds, UNITS_SOURCE } from './org/units.js';
import { applyRestructuring } from './org/apply-restructuring.js';
import { applyTwoLevel2025 } from './org/apply-two-level.js';
import { loadDefaultLocationIndependentList } from './location-independent/default-list.js';
import { newAgencies, newDesks, predecessors, TWO_LEVEL_2025, TWO_LEVEL_BASIS } from './org/two-level-2025.js';

/**
 * The organisation's later versions, in date order: each is loaded once the local date it takes effect has come
 * (`organisationUpTo`), after the versions before it, and recorded in organisation_versions.
 */
export const ORGANISATION_VERSIONS: { effectiveFrom: string; name: string; basis: string; apply: (tx: Tx) => Promise<unknown> }[] = [
  {
    effectiveFrom: restructuring2025.effectiveFrom,
    name: 'Quảng Nam: Nông Sơn merged into Quế Sơn, communes merged or renamed',
    basis: 'Nghị quyết 1241/NQ-UBTVQH15',
    apply: (tx) => applyRestructuring(tx, restructuring2025),
  },
  { effectiveFrom: TWO_LEVEL_2025, name: 'Thành phố Đà Nẵng, two-level local government', basis: TWO_LEVEL_BASIS, apply: applyTwoLevel2025 },
];

export interface LoadOptions {
  /** The local date up to which organisation versions are loaded: today at start-up. */
  organisationUpTo: string;
}

const LOAD_LOCK = 0x6d6f7463756172n; // "motcuar": one loader at a time across processes
const BATCH = 500;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export interface LoadResult {
  loaded: boolean;
  contentHash: string;
  summary: Record<string, number>;
}

/**
 * Loads the province's reference data (organisation, working calendar, catalogue) idempotently, in ONE
 * transaction: a failure leaves nothing half-loaded, and a second run with the same content changes nothing.
 * Rows an administrator may have changed since (calendar days, organisation versions) are never overwritten:
 * they are inserted when missing only; calendar days the seed wrote follow a newer copy of the file, as a recorded
 * calendar change (loadCalendar). The catalogue is the seed's and is upserted.
 */
export async function loadReferenceData(db: Db, options: LoadOptions): Promise<LoadResult> {
  const catalogue = buildCatalogue();
  const newEra = buildNewEraCatalogue(catalogue);
  const versions = ORGANISATION_VERSIONS.filter((v) => v.effectiveFrom <= options.organisationUpTo);
  const later = { restructuring2025, newDesks, newAgencies, predecessors };
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ unitSeeds, calendarDaySeeds, calendarYearSeeds, catalogue, newEra, qualityFormulaSeeds, later }))
    .digest('hex');
  const summary = {
    units: unitSeeds.length,
    desks: unitSeeds.length,
    agencies: catalogue.agencies.length,
    calendarDays: calendarDaySeeds.length,
    fields: catalogue.fields.length,
    procedures: catalogue.procedures.length,
    /** Opened with the organisation of 2025-07-01. */
    proceduresFrom20250701: newEra.counts.total,
    delegationDecisions: catalogue.delegations.length,
    postalCoverage: catalogue.postalCoverage.length,
    qualityFormulas: qualityFormulaSeeds.length,
    organisationVersions: versions.length,
  };

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOAD_LOCK.toString()})`);
    const [done] = await tx.select().from(referenceDataLoads).where(eq(referenceDataLoads.dataset, 'reference'));
    const baseLoaded = done?.contentHash !== contentHash;
    // The catalogue of 2025-07-01 belongs to the organisation of that day (its agencies): it opens with it.
    const [twoLevel] = await tx.select().from(organisationVersions).where(eq(organisationVersions.effectiveFrom, TWO_LEVEL_2025));
    if (baseLoaded) {
      await loadOrganisation(tx, catalogue.agencies);
      await loadCalendar(tx);
      await loadCatalogue(tx, catalogue, twoLevel ? TWO_LEVEL_2025 : null);
      if (twoLevel) await openNewEraCatalogue(tx, newEra);
      // A formula version, once there, is never rewritten: scores published with it must stay explainable.
      await tx.insert(qualityFormulas).values(qualityFormulaSeeds).onConflictDoNothing();
      await tx
        .insert(referenceDataLoads)
        .values({ dataset: 'reference', contentHash, summary })
        .onConflictDoUpdate({ target: referenceDataLoads.dataset, set: { contentHash, summary, loadedAt: new Date() } });
    }
    // The versions whose date has come since the last start (cheap when none: one row read each). An applied
    // version is never applied again, as the organisation rows administrators maintain are never overwritten.
    let versionsApplied = 0;
    for (const v of versions) {
      const [applied] = await tx.select().from(organisationVersions).where(eq(organisationVersions.effectiveFrom, v.effectiveFrom));
      if (applied) continue;
      const result = await v.apply(tx);
      if (v.effectiveFrom === TWO_LEVEL_2025) await openNewEraCatalogue(tx, newEra);
      await tx
        .insert(organisationVersions)
        .values({ effectiveFrom: v.effectiveFrom, name: v.name, basis: v.basis, summary: result ?? {} })
        .onConflictDoNothing();
      versionsApplied++;
    }
    // The city's location-independent list (Nghị định 118/2025), once its day has come: inserted when missing only,
    // since the city's administrator publishes the later versions.
    const listed = await loadDefaultLocationIndependentList(tx, options.organisationUpTo);
    return { loaded: baseLoaded || versionsApplied > 0 || listed !== null, contentHash, summary };
  });
}

async function loadOrganisation(tx: Tx, agencySeeds: ReturnType<typeof buildCatalogue>['agencies']) {
  const unitRows = unitSeeds.map((u) => ({ ...u, validFrom: HISTORY_START, source: UNITS_SOURCE }));
  await insertInBatches(unitRows, (b) => tx.insert(units).values(b).onConflictDoNothing());
  const deskRows = unitSeeds.map((u) => ({
    code: deskCodeOf(u),
    name: deskNameOf(u),
    unitCode: u.code,
    level: u.level,
    validFrom: HISTORY_START,
  }));
  await insertInBatches(deskRows, (b) => tx.insert(desks).values(b).onConflictDoNothing());
  const agencyRows = agencySeeds.map((a) => ({
    code: a.code,
    name: a.name,
    kind: a.kind,
    level: a.level,
    unitCode: a.unitCode,
    parentCode: a.parentCode,
    templateCode: a.templateCode ?? null,
    serves: a.serves ?? [],
    validFrom: a.validFrom,
    validTo: a.validTo,
  }));
  await insertInBatches(agencyRows, (b) => tx.insert(agencies).values(b).onConflictDoNothing());
}

/**
 * The working calendar through the calendar's own change mechanism: over a calendar loaded from an earlier copy of
 * the file, the years added and the days corrected are one recorded change that re-projects the open dossiers it
 * moves; days an administrator changed stay as they are.
 */
async function loadCalendar(tx: Tx) {
  const years = calendarYearSeeds.map((y) => y.year);
  await loadCalendarSchedule(tx, {
    years: calendarYearSeeds,
    days: calendarDaySeeds,
    by: CALENDAR_SEED_AUTHOR,
    reason: `Reference data: the working calendar ${Math.min(...years)}-${Math.max(...years)} of seeds/data/vn-working-calendar.json (each day with its status and source)`,
  });
  await tx
    .insert(workingHours)
    .values({ scope: 'province:49', periods: DEFAULT_WORKING_HOURS, updatedBy: 'seed' })
    .onConflictDoNothing();
}

/**
 * The generated catalogue of 2021-2025, upserted by (code, valid_from): open, or closed on `closesOn` once the
 * organisation of 2025-07-01 (and its catalogue) is in (`openNewEraCatalogue`). Its processes are written again.
 */
async function loadCatalogue(tx: Tx, catalogue: ReturnType<typeof buildCatalogue>, closesOn: string | null) {
  await tx
    .insert(fields)
    .values(catalogue.fields)
    .onConflictDoUpdate({ target: fields.code, set: { name: sql`excluded.name` } });
  await tx.delete(procedureSteps);
  const versions = catalogue.procedures.map((p) => ({ ...p, validTo: closesOn }));
  await writeSteps(tx, versions, await upsertProcedures(tx, versions));

  await tx.delete(delegationProcedures);
  for (const d of catalogue.delegations) {
    const values = {
      number: d.number,
      kind: d.kind,
      issuer: d.issuer,
      delegator: d.delegator,
      delegatorUnitCode: d.delegatorUnitCode,
      delegateAgencyCode: d.delegateAgencyCode,
      signedOn: d.signedOn,
      effectiveFrom: d.effectiveFrom,
      effectiveTo: d.effectiveTo,
    };
    const [row] = await tx
      .insert(delegationDecisions)
      .values(values)
      .onConflictDoUpdate({ target: [delegationDecisions.number, delegationDecisions.delegateAgencyCode], set: values })
      .returning({ id: delegationDecisions.id });
    if (!row) throw new Error(`delegation decision ${d.number} not stored`);
    await insertInBatches(d.procedureCodes, (b) =>
      tx.insert(delegationProcedures).values(b.map((procedureCode) => ({ decisionId: row.id, procedureCode }))),
    );
  }

  await tx.delete(locationIndependentDesks);
  await insertInBatches(catalogue.locationIndependentDesks, (b) => tx.insert(locationIndependentDesks).values(b));

  await tx.delete(postalCoverage);
  await insertInBatches(catalogue.postalCoverage, (b) => tx.insert(postalCoverage).values(b));
}

/** Upserts procedure versions by (code, valid_from); their ids by `code@validFrom`. */
async function upsertProcedures(tx: Tx, list: ProcedureSeed[]): Promise<Map<string, number>> {
  const rows = list.map((p) => ({
    code: p.code,
    validFrom: p.validFrom,
    validTo: p.validTo,
    source: p.source,
    levels: p.levels ?? null,
    timeText: p.timeText ?? null,
    timeNote: p.timeNote ?? null,
    agencyText: p.agencyText ?? null,
    legalBasis: p.legalBasis ?? [],
    onlineSubmission: p.onlineSubmission ?? null,
    publishingDecision: p.publishingDecision ?? null,
    sourceUrl: p.sourceUrl ?? null,
    name: p.name,
    nameSearch: foldVietnamese(p.name),
    fieldCode: p.fieldCode,
    level: p.level,
    agencyCode: p.agencyCode,
    authority: p.authority,
    timeAmount: p.processingTime.amount,
    timeUnit: p.processingTime.unit,
    statutoryAmount: p.statutoryTime.amount,
    statutoryUnit: p.statutoryTime.unit,
    timeCutPercent: p.timeCutPercent,
    sameDay: p.sameDay,
    cutoffHour: p.cutoffHour,
    supplementPolicy: p.supplementPolicy,
    fees: p.fees,
    documents: p.documents,
    onlineLevel: p.onlineLevel,
    onlineLevel4In2021: p.onlineLevel4In2021,
    publishedOnNationalPortal: p.publishedOnNationalPortal,
    paperResult: p.paperResult,
    locationIndependent: p.locationIndependent,
    postalEligible: p.postalEligible,
  }));
  const updatable = Object.keys(rows[0] ?? {}).filter((k) => k !== 'code' && k !== 'validFrom');
  const setExcluded = Object.fromEntries(
    updatable.map((k) => {
      const column = procedures[k as keyof typeof procedures.$inferInsert];
      return [k, sql.raw(`excluded."${column.name}"`)];
    }),
  );
  const ids = new Map<string, number>();
  await insertInBatches(rows, async (b) => {
    const written = await tx
      .insert(procedures)
      .values(b)
      .onConflictDoUpdate({ target: [procedures.code, procedures.validFrom], set: setExcluded })
      .returning({ id: procedures.id, code: procedures.code, validFrom: procedures.validFrom });
    for (const r of written) ids.set(`${r.code}@${r.validFrom}`, r.id);
  });
  return ids;
}

/** The internal process of each version (the caller has removed the old steps). */
async function writeSteps(tx: Tx, list: ProcedureSeed[], ids: Map<string, number>) {
  const stepRows = list.flatMap((p) =>
    p.steps.map((s) => ({
      procedureId: ids.get(`${p.code}@${p.validFrom}`)!,
      stepOrder: s.order,
      name: s.name,
      performer: Object.fromEntries(Object.entries(s.performer).filter(([, v]) => v !== undefined)) as Record<string, string>,
      minutes: s.minutes,
    })),
  );
  await insertInBatches(stepRows, (b) => tx.insert(procedureSteps).values(b));
}

/**
 * Opens the catalogue of 2025-07-01 (seeds/README.md): the versions still open before it close on that day (the
 * generated catalogue's last day is 2025-06-30), the agencies it names and the 2025 organisation lacks are added, and
 * its fields, versions and processes are written (upserted: a reload with new content rewrites them).
 */
async function openNewEraCatalogue(tx: Tx, newEra: NewEraCatalogue) {
  const on = TWO_LEVEL_2025;
  await tx
    .update(procedures)
    .set({ validTo: on })
    .where(and(lt(procedures.validFrom, on), isNull(procedures.validTo)));
  await insertInBatches(
    newEra.agencies.map((a) => ({ ...a, templateCode: a.templateCode ?? null })),
    (b) => tx.insert(agencies).values(b).onConflictDoNothing(),
  );
  await tx
    .insert(fields)
    .values(newEra.fields)
    .onConflictDoUpdate({ target: fields.code, set: { name: sql`excluded.name` } });
  const ids = await upsertProcedures(tx, newEra.procedures);
  await tx.delete(procedureSteps).where(inArray(procedureSteps.procedureId, [...ids.values()]));
  await writeSteps(tx, newEra.procedures, ids);
}
