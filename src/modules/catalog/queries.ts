import { and, asc, count, eq, exists, gt, gte, inArray, isNull, lte, not, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  delegationDecisions,
  delegationProcedures,
  fields,
  procedures,
  procedureSteps,
  type ProcedureRow,
} from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { foldVietnamese, likeLiteral } from '../../lib/text.js';

export interface ProcedureFilter {
  level?: 'province' | 'district' | 'commune';
  field?: string;
  agency?: string;
  onlineLevel?: 'full' | 'partial' | 'none';
  sameDay?: boolean;
  locationIndependent?: boolean;
  postalEligible?: boolean;
  timeCut?: boolean;
  delegated?: boolean;
  source?: 'generated' | 'national_catalogue';
  q?: string;
  asOf: string;
  limit: number;
  offset: number;
}

/** The version of a procedure in force on a local date (periods are [valid_from, valid_to)). */
export const versionInForce = (on: string) =>
  and(lte(procedures.validFrom, on), or(isNull(procedures.validTo), gt(procedures.validTo, on)));

/** Decisions (delegation or decentralisation) in force on a local date, joined to their procedures. */
const decisionInForce = (asOf: string) =>
  and(
    eq(delegationProcedures.decisionId, delegationDecisions.id),
    lte(delegationDecisions.effectiveFrom, asOf),
    or(isNull(delegationDecisions.effectiveTo), gt(delegationDecisions.effectiveTo, asOf)),
    or(isNull(delegationDecisions.revokedOn), gt(delegationDecisions.revokedOn, asOf)),
  );
/**
 * A decision names codes; it covers the versions of them that were in force when it took effect or that it outlives
 * unchanged, not a version opened after it under another organisation (a Quảng Nam decision does not cover the city's
 * catalogue of 2025-07-01, whose codes may even be the same): the version must have opened by the decision's start.
 */
export const decisionCoversVersion = () => and(eq(delegationProcedures.procedureCode, procedures.code), gte(delegationDecisions.effectiveFrom, procedures.validFrom));

/**
 * For the `delegated` filter: a province-wide delegation (ủy quyền) of this procedure in force (the report's
 * 201/390), by the province-level unit in force that day (`province`).
 */
const delegationInForce = (asOf: string, province: string) =>
  and(decisionInForce(asOf), eq(delegationDecisions.kind, 'delegation'), eq(delegationDecisions.delegatorUnitCode, province), decisionCoversVersion());

/** The catalogue in force on `f.asOf`, filtered; `province` is the province-level unit in force that day. */
export async function listProcedures(db: DbOrTx, f: ProcedureFilter, province: string) {
  const flag = (col: typeof procedures.sameDay | typeof procedures.locationIndependent | typeof procedures.postalEligible, v?: boolean) => (v === undefined ? undefined : eq(col, v));
  const delegatedSq = db.select({ one: sql`1` }).from(delegationProcedures).innerJoin(delegationDecisions, delegationInForce(f.asOf, province));
  const conditions: (SQL | undefined)[] = [
    versionInForce(f.asOf),
    f.source ? eq(procedures.source, f.source) : undefined,
    f.level ? eq(procedures.level, f.level) : undefined,
    f.field ? eq(procedures.fieldCode, f.field) : undefined,
    f.agency ? eq(procedures.agencyCode, f.agency) : undefined,
    f.onlineLevel ? eq(procedures.onlineLevel, f.onlineLevel) : undefined,
    flag(procedures.sameDay, f.sameDay),
    flag(procedures.locationIndependent, f.locationIndependent),
    flag(procedures.postalEligible, f.postalEligible),
    f.timeCut === undefined
      ? undefined
      : f.timeCut
        ? gte(procedures.timeCutPercent, 10)
        : sql`${procedures.timeCutPercent} < 10`,
    f.delegated === undefined ? undefined : f.delegated ? exists(delegatedSq) : not(exists(delegatedSq)),
    f.q
      ? or(
          sql`${procedures.nameSearch} like ${'%' + likeLiteral(foldVietnamese(f.q)) + '%'}`,
          sql`${procedures.code} like ${likeLiteral(f.q) + '%'}`,
        )
      : undefined,
  ];
  const where = and(...conditions);
  const [items, [total]] = await Promise.all([
    db.select().from(procedures).where(where).orderBy(asc(procedures.code)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(procedures).where(where),
  ]);
  return { items: items.map(toSummary), total: total?.n ?? 0 };
}

export function toSummary(p: ProcedureRow) {
  return {
    code: p.code,
    versionId: p.id,
    validFrom: p.validFrom,
    validTo: p.validTo,
    source: p.source,
    name: p.name,
    fieldCode: p.fieldCode,
    level: p.level,
    agencyCode: p.agencyCode,
    authority: p.authority,
    processingTime: { amount: p.timeAmount, unit: p.timeUnit },
    statutoryTime: { amount: p.statutoryAmount, unit: p.statutoryUnit, text: p.timeText, note: p.timeNote },
    timeCutPercent: p.timeCutPercent,
    sameDay: p.sameDay,
    cutoffHour: p.cutoffHour,
    onlineLevel: p.onlineLevel,
    locationIndependent: p.locationIndependent,
    postalEligible: p.postalEligible,
  };
}

/**
 * The version of procedure `code` in force on the local date `on` (YYYY-MM-DD, Asia/Ho_Chi_Minh), or
 * PROCEDURE_NOT_FOUND (404) naming the date: a code may have no version that day, or versions of other eras only.
 */
export async function procedureInForce(db: DbOrTx, code: string, on: string): Promise<ProcedureRow> {
  const [row] = await db.select().from(procedures).where(and(eq(procedures.code, code), versionInForce(on)));
  if (!row) throw new DomainError('PROCEDURE_NOT_FOUND', `Procedure ${code} has no version in force on ${on}`);
  return row;
}

/** The versions in force on a local date, by code (all of them, or those of `codes`), in code order. */
export async function proceduresInForce(db: DbOrTx, on: string, codes?: readonly string[]): Promise<ProcedureRow[]> {
  if (codes && codes.length === 0) return [];
  return db
    .select()
    .from(procedures)
    .where(and(versionInForce(on), codes ? inArray(procedures.code, [...codes]) : undefined))
    .orderBy(asc(procedures.code));
}

/** A procedure version by its id (what a dossier keeps), or PROCEDURE_NOT_FOUND. */
export async function procedureVersion(db: DbOrTx, id: number): Promise<ProcedureRow> {
  const [row] = await db.select().from(procedures).where(eq(procedures.id, id));
  if (!row) throw new DomainError('PROCEDURE_NOT_FOUND', `Procedure version ${id} is not in the catalogue`);
  return row;
}

export async function getProcedure(db: DbOrTx, code: string, asOf: string) {
  const row = await procedureInForce(db, code, asOf);
  const [steps, delegations] = await Promise.all([
    db.select().from(procedureSteps).where(eq(procedureSteps.procedureId, row.id)).orderBy(asc(procedureSteps.stepOrder)),
    db
      .select({
        number: delegationDecisions.number,
        kind: delegationDecisions.kind,
        delegator: delegationDecisions.delegator,
        delegateAgencyCode: delegationDecisions.delegateAgencyCode,
        effectiveFrom: delegationDecisions.effectiveFrom,
        effectiveTo: delegationDecisions.effectiveTo,
      })
      .from(delegationProcedures)
      .innerJoin(delegationDecisions, decisionInForce(asOf))
      .where(and(eq(delegationProcedures.procedureCode, code), gte(delegationDecisions.effectiveFrom, row.validFrom))),
  ]);
  const { nameSearch: _omit, timeAmount: _a, timeUnit: _u, statutoryAmount: _sa, statutoryUnit: _su, timeText: _t, timeNote: _n, id: _id, ...rest } = row;
  return {
    ...rest,
    ...toSummary(row),
    steps: steps.map((s) => ({ order: s.stepOrder, name: s.name, performer: s.performer, minutes: s.minutes })),
    delegations,
  };
}

export async function listFields(db: DbOrTx, asOf: string) {
  const rows = await db
    .select({ code: fields.code, name: fields.name, procedures: count(procedures.id) })
    .from(fields)
    .leftJoin(procedures, and(eq(procedures.fieldCode, fields.code), versionInForce(asOf)))
    .groupBy(fields.code, fields.name)
    .orderBy(asc(fields.code));
  return { items: rows };
}
