import { and, asc, count, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { delegationDecisions, delegationProcedures, dossiers, procedures } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { procedureInForce, versionInForce } from '../catalog/index.js';
import { resolveAuthority } from '../dossiers/index.js';
import type { listQuery } from './schemas.js';

const inForce = (day: string) =>
  and(
    lte(delegationDecisions.effectiveFrom, day),
    or(isNull(delegationDecisions.effectiveTo), gt(delegationDecisions.effectiveTo, day)),
    or(isNull(delegationDecisions.revokedOn), gt(delegationDecisions.revokedOn, day)),
  );

export async function listDecisions(deps: Deps, q: z.infer<typeof listQuery>) {
  const conditions: (SQL | undefined)[] = [
    q.on ? inForce(q.on) : undefined,
    q.delegate ? eq(delegationDecisions.delegateAgencyCode, q.delegate) : undefined,
    q.unit ? eq(delegationDecisions.delegatorUnitCode, q.unit) : undefined,
    q.procedure
      ? inArray(delegationDecisions.id, deps.db.select({ id: delegationProcedures.decisionId }).from(delegationProcedures).where(eq(delegationProcedures.procedureCode, q.procedure)))
      : undefined,
  ];
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    deps.db.select().from(delegationDecisions).where(where).orderBy(asc(delegationDecisions.effectiveFrom), asc(delegationDecisions.id)).limit(q.limit).offset(q.offset),
    deps.db.select({ n: count() }).from(delegationDecisions).where(where),
  ]);
  const links = rows.length
    ? await deps.db.select().from(delegationProcedures).where(inArray(delegationProcedures.decisionId, rows.map((r) => r.id)))
    : [];
  return {
    items: rows.map((r) => ({ ...r, procedureCodes: links.filter((l) => l.decisionId === r.id).map((l) => l.procedureCode).sort() })),
    total: total?.n ?? 0,
    limit: q.limit,
    offset: q.offset,
  };
}

/** Who decides a procedure on a day in a unit, and the chain of decisions that led there. */
export async function authorityOf(deps: Deps, code: string, on: string, unit: string) {
  const procedure = await procedureInForce(deps.db, code, on);
  const desk = (await deps.reference.deskOfUnit(unit, on)) ?? null;
  if (!desk) throw new DomainError('UNIT_NOT_FOUND', `querystring.unit: no unit ${unit} on ${on}`);
  if (procedure.level !== 'province' && desk.level === 'province') {
    throw new DomainError('VALIDATION_FAILED', `querystring.unit: procedure ${code} is decided in a ${procedure.level}; name the unit`);
  }
  const a = await resolveAuthority(deps.reference, procedure, desk, on);
  return { procedure: code, on, unit, authority: a.authority, holder: a.agencyCode, decision: a.decisionNumber, chain: a.chain };
}

/**
 * Delegated procedures on a day (the report's 201 of 390: 132 of the committee's 229, 69 of its chairman's 161)
 * and by holder; province-wide delegations (district sub-delegations are listed by unit).
 */
export async function delegationReport(deps: Deps, on: string) {
  const province = (await deps.provinceLevel(on)).inForce;
  const delegatedIds = deps.db
    .select({ code: delegationProcedures.procedureCode })
    .from(delegationProcedures)
    .innerJoin(delegationDecisions, eq(delegationDecisions.id, delegationProcedures.decisionId))
    .where(and(inForce(on), eq(delegationDecisions.kind, 'delegation'), eq(delegationDecisions.delegatorUnitCode, province)));
  const byAuthority = await deps.db
    .select({
      authority: procedures.authority,
      total: count(),
      delegated: sql<number>`count(*) filter (where ${procedures.code} in ${delegatedIds})`.mapWith(Number),
    })
    .from(procedures)
    .where(and(inArray(procedures.authority, ['ubnd_tinh', 'chu_tich_ubnd_tinh']), versionInForce(on)))
    .groupBy(procedures.authority)
    .orderBy(asc(procedures.authority));
  const byHolder = await deps.db
    .select({ unit: delegationDecisions.delegatorUnitCode, holder: delegationDecisions.delegateAgencyCode, procedures: sql<number>`count(distinct ${delegationProcedures.procedureCode})`.mapWith(Number) })
    .from(delegationProcedures)
    .innerJoin(delegationDecisions, eq(delegationDecisions.id, delegationProcedures.decisionId))
    .where(and(inForce(on), eq(delegationDecisions.kind, 'delegation')))
    .groupBy(delegationDecisions.delegatorUnitCode, delegationDecisions.delegateAgencyCode)
    .orderBy(asc(delegationDecisions.delegatorUnitCode), asc(delegationDecisions.delegateAgencyCode));
  const total = byAuthority.reduce((s, r) => s + r.total, 0);
  const delegated = byAuthority.reduce((s, r) => s + r.delegated, 0);
  return { on, total, delegated, byAuthority, byHolder };
}

/** Dossiers received in a period under each decision relied on (local dates, inclusive). */
export async function dossiersByDecision(deps: Deps, from: string, to: string) {
  const start = new Date(`${from}T00:00:00+07:00`);
  const end = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000);
  const rows = await deps.db
    .select({ decision: dossiers.delegationNumber, holder: dossiers.authorityAgencyCode, dossiers: count() })
    .from(dossiers)
    .where(and(gte(dossiers.receivedAt, start), lt(dossiers.receivedAt, end), sql`${dossiers.delegationNumber} is not null`))
    .groupBy(dossiers.delegationNumber, dossiers.authorityAgencyCode)
    .orderBy(asc(dossiers.delegationNumber));
  return { from, to, items: rows.map((r) => ({ decision: r.decision!, holder: r.holder, dossiers: r.dossiers })) };
}
