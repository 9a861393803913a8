import { and, asc, desc, eq, gte, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Deps } from '../../../deps.js';
import { auditLog, controlSlipLines, dossierEvents, dossierPauses, dossiers, postalPartners, postalSubmissions } from '../../../db/schema/index.js';
import { DomainError } from '../../../lib/errors.js';
import type { Actor, StaffActor } from '../../../domain/actor.js';
import type { DossierRow } from '../acts/apply-act.js';
import type { listQuery } from '../http/schemas.js';
import { canAct, canSee, scopeCondition } from '../access/visibility.js';
import { flagsStanding, noSlaFlags, slaFlagsFromEvents, slaFlagsOf, type SlaFlags } from './sla-flags.js';
import { allowedActs } from '../../../domain/dossier/state-machine.js';
import { isOpenSql } from '../../../db/open-statuses.js';
import { mayAct } from '../../../domain/dossier/who-may-act.js';
import { positionOf } from '../access/process-position.js';
import { workQueueCondition } from '../access/work-queue.js';
import { paperTransfersOf } from './paper-transfers.js';

const OPEN = isOpenSql(dossiers.status);
/** Local midnight of a date as an instant (UTC+7). */
const localMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`);

/** Cursor for keyset pagination on (received_at desc, id desc). */
const encodeCursor = (d: { receivedAt: Date; id: number }) => Buffer.from(`${d.receivedAt.toISOString()}|${d.id}`).toString('base64url');
function decodeCursor(cursor: string): { receivedAt: Date; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at ?? '');
  if (Number.isNaN(receivedAt.getTime()) || !/^\d{1,15}$/.test(id ?? '')) {
    throw new DomainError('VALIDATION_FAILED', 'querystring.cursor: not a cursor from this API');
  }
  return { receivedAt, id: Number(id) };
}

/** Dossiers of a desk or agency within the caller's scope, newest first, keyset-paginated. */
export async function listDossiers(deps: Deps, who: StaffActor, q: z.infer<typeof listQuery>, requestId?: string) {
  const now = deps.now();
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    scopeCondition(who, await deps.provinceLevel()),
    q.desk ? eq(dossiers.deskCode, q.desk) : undefined,
    q.agency ? or(eq(dossiers.authorityAgencyCode, q.agency), eq(dossiers.holderAgencyCode, q.agency)) : undefined,
    q.status ? eq(dossiers.status, q.status) : undefined,
    q.procedure ? eq(dossiers.procedureCode, q.procedure) : undefined,
    q.field ? eq(dossiers.fieldCode, q.field) : undefined,
    q.channel ? eq(dossiers.channel, q.channel) : undefined,
    q.overdue === undefined
      ? undefined
      : q.overdue
        ? and(OPEN, isNotNull(dossiers.dueAt), lt(dossiers.dueAt, now))
        : sql`not (${OPEN} and ${dossiers.dueAt} is not null and ${dossiers.dueAt} < ${now})`,
    q.dueBefore ? and(OPEN, lt(dossiers.dueAt, new Date(q.dueBefore))) : undefined,
    q.mine ? workQueueCondition(who) : undefined,
    q.receivedFrom ? gte(dossiers.receivedAt, localMidnight(q.receivedFrom)) : undefined,
    q.receivedTo ? lt(dossiers.receivedAt, new Date(localMidnight(q.receivedTo).getTime() + 86_400_000)) : undefined,
    after
      ? or(lt(dossiers.receivedAt, after.receivedAt), and(eq(dossiers.receivedAt, after.receivedAt), lt(dossiers.id, after.id)))
      : undefined,
  ];
  const rows = await deps.db
    .select()
    .from(dossiers)
    .where(and(...conditions))
    .orderBy(desc(dossiers.receivedAt), desc(dossiers.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  // A list shows each dossier's applicant: every dossier listed is a read, recorded as such (DOMAIN.md §11).
  if (page.length > 0) {
    await deps.db.insert(auditLog).values(page.map((d) => ({ actor: who.username, action: 'list_read', dossierCode: d.code, requestId: requestId ?? null })));
  }
  const flags = await slaFlagsOf(deps.db, page.map((d) => d.id));
  return { items: page.map((d) => toView(d, flags.get(d.id))), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}

/** A dossier the caller may see, or 404 (another unit's dossier is indistinguishable from none). */
export async function visibleDossier(deps: Pick<Deps, 'db' | 'config' | 'provinceLevel'>, who: Actor, code: string): Promise<DossierRow> {
  const [d] = await deps.db.select().from(dossiers).where(eq(dossiers.code, code));
  if (!d || !canSee(who, d, await deps.provinceLevel())) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  return d;
}

export async function dossierWithHistory(deps: Deps, who: StaffActor, code: string, requestId?: string) {
  const d = await visibleDossier(deps, who, code);
  const province = await deps.provinceLevel();
  const [events, pauses, postal, parties, papers] = await Promise.all([
    deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(asc(dossierEvents.id)),
    deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id)).orderBy(asc(dossierPauses.id)),
    d.channel === 'postal'
      ? deps.db
          .select({
            partnerCode: postalPartners.code,
            clerkId: postalSubmissions.clerkId,
            clerkName: postalSubmissions.clerkName,
            postOfficeCode: postalSubmissions.postOfficeCode,
            submittedAt: postalSubmissions.submittedAt,
          })
          .from(postalSubmissions)
          .innerJoin(postalPartners, eq(postalPartners.id, postalSubmissions.partnerId))
          .where(eq(postalSubmissions.dossierId, d.id))
      : [],
    positionOf(deps, d),
    paperTransfersOf(deps, d.id),
  ]);
  await deps.db.insert(auditLog).values({ actor: who.username, action: 'read', dossierCode: code, requestId: requestId ?? null });
  return {
    ...toView(d, slaFlagsFromEvents(events)),
    history: events.map((e) => ({ type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actor: e.actor, at: e.at, data: e.data })),
    pauses: pauses.map((p) => ({ from: p.from, to: p.to, reason: p.reason, items: p.items, requestedBy: p.requestedBy })),
    postalSubmission: postal[0] ?? null,
    paperTransfers: papers,
    // What the caller may do now: the state machine's acts that are theirs (a client shows these buttons).
    yourActs: canAct(who, d, province) ? allowedActs(d.status).filter((act) => mayAct(act, who, parties, province)) : [],
  };
}

export async function controlSlip(deps: Deps, who: StaffActor, code: string) {
  const d = await visibleDossier(deps, who, code);
  await deps.db.insert(auditLog).values({ actor: who.username, action: 'read_control_slip', dossierCode: code });
  const [lines, papers] = await Promise.all([
    deps.db.select().from(controlSlipLines).where(eq(controlSlipLines.dossierId, d.id)).orderBy(asc(controlSlipLines.id)),
    paperTransfersOf(deps, d.id),
  ]);
  return { dossierCode: d.code, paperTransfers: papers, lines: lines.map(({ id: _id, dossierId: _d, ...l }) => l) };
}

export async function auditTrail(deps: Deps, who: StaffActor, code: string) {
  await visibleDossier(deps, who, code);
  const rows = await deps.db.select().from(auditLog).where(eq(auditLog.dossierCode, code)).orderBy(asc(auditLog.id));
  return { items: rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, requestId: r.requestId })) };
}

/** A dossier as staff see it, with its SLA flags (read from its events). */
export async function viewOf(deps: Deps, d: DossierRow) {
  return toView(d, (await slaFlagsOf(deps.db, [d.id])).get(d.id));
}

/** What staff see of a dossier: personal data masked (the citizen ID is never readable). */
export function toView(d: DossierRow, flags: SlaFlags = noSlaFlags()) {
  return {
    code: d.code,
    status: d.status,
    procedureCode: d.procedureCode,
    fieldCode: d.fieldCode,
    deskCode: d.deskCode,
    unitCode: d.unitCode,
    channel: d.channel,
    applicant: d.applicant,
    documents: d.documents,
    resultDelivery: d.resultDelivery,
    authority: d.authority,
    authorityAgencyCode: d.authorityAgencyCode,
    authorityUnitCode: d.authorityUnitCode,
    delegationNumber: d.delegationNumber,
    currentStep: d.currentStep,
    holder: { agencyCode: d.holderAgencyCode, role: d.holderRole, username: d.holderUsername },
    receivedAt: d.receivedAt,
    effectiveStart: d.effectiveStart,
    processingTime: { amount: d.timeAmount, unit: d.timeUnit },
    budgetMinutes: d.budgetMinutes,
    dueAt: d.dueAt,
    originalDueAt: d.originalDueAt,
    newDueAt: d.newDueAt,
    flags: flagsStanding(flags, d.endedAt),
    provisional: d.provisional,
    supplementRequests: d.supplementRequests,
    endedAt: d.endedAt,
    timeliness: d.timeliness,
    resultReference: d.resultReference,
    returnedAt: d.returnedAt,
    version: d.version,
  };
}

