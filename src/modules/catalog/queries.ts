import { and, asc, count, eq, exists, gt, gte, isNull, lte, not, or, sql, type SQL } from 'drizzle-orm';
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
  q?: string;
  asOf: string;
  limit: number;
  offset: number;
}

/** Decisions (delegation or decentralisation) in force on a local date, joined to their procedures. */
const decisionInForce = (asOf: string) =>
  and(
    eq(delegationProcedures.decisionId, delegationDecisions.id),
    lte(delegationDecisions.effectiveFrom, asOf),
    or(isNull(delegationDecisions.effectiveTo), gt(delegationDecisions.effectiveTo, asOf)),
    or(isNull(delegationDecisions.revokedOn), gt(delegationDecisions.revokedOn, asOf)),
  );
/** For the `delegated` filter: a province-wide delegation (ủy quyền) of this procedure in force (the report's 201/390). */
const delegationInForce = (asOf: string) =>
  and(
    decisionInForce(asOf),
    eq(delegationDecisions.kind, 'delegation'),
    eq(delegationDecisions.delegatorUnitCode, '49'),
    eq(delegationProcedures.procedureCode, procedures.code),
  );

export async function listProcedures(db: DbOrTx, f: ProcedureFilter) {
  const flag = (col: typeof procedures.sameDay | typeof procedures.locationIndependent | typeof procedures.postalEligible, v?: boolean) => (v === undefined ? undefined : eq(col, v));
  const delegatedSq = db.select({ one: sql`1` }).from(delegationProcedures).innerJoin(delegationDecisions, delegationInForce(f.asOf));
  const conditions: (SQL | undefined)[] = [
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
    name: p.name,
    fieldCode: p.fieldCode,
    level: p.level,
    agencyCode: p.agencyCode,
    authority: p.authority,
    processingTime: { amount: p.timeAmount, unit: p.timeUnit },
    statutoryTime: { amount: p.statutoryAmount, unit: p.statutoryUnit },
    timeCutPercent: p.timeCutPercent,
    sameDay: p.sameDay,
    cutoffHour: p.cutoffHour,
    onlineLevel: p.onlineLevel,
    locationIndependent: p.locationIndependent,
    postalEligible: p.postalEligible,
  };
}

export async function findProcedure(db: DbOrTx, code: string): Promise<ProcedureRow> {
  const [row] = await db.select().from(procedures).where(eq(procedures.code, code));
  if (!row) throw new DomainError('PROCEDURE_NOT_FOUND', `Procedure ${code} is not in the catalogue`);
  return row;
}

export async function getProcedure(db: DbOrTx, code: string, asOf: string) {
  const row = await findProcedure(db, code);
  const [steps, delegations] = await Promise.all([
    db.select().from(procedureSteps).where(eq(procedureSteps.procedureCode, code)).orderBy(asc(procedureSteps.stepOrder)),
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
      .where(eq(delegationProcedures.procedureCode, code)),
  ]);
  const { nameSearch: _omit, timeAmount: _a, timeUnit: _u, statutoryAmount: _sa, statutoryUnit: _su, ...rest } = row;
  return {
    ...rest,
    ...toSummary(row),
    steps: steps.map((s) => ({ order: s.stepOrder, name: s.name, performer: s.performer, minutes: s.minutes })),
    delegations,
  };
}

export async function listFields(db: DbOrTx) {
  const rows = await db
    .select({ code: fields.code, name: fields.name, procedures: count(procedures.code) })
    .from(fields)
    .leftJoin(procedures, eq(procedures.fieldCode, fields.code))
    .groupBy(fields.code, fields.name)
    .orderBy(asc(fields.code));
  return { items: rows };
}
