import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { dossiers, postalPartnerKeys, postalPartners, postalSubmissions, shipmentEvents, shipments, webhookAttempts, webhookDeliveries } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import type { StaffActor } from '../../domain/actor.js';
import { provinceWide, scopeCondition } from '../dossiers/index.js';
import type { ChannelFigures, listShipmentsQuery, partnerDossierView, qualityQuery, qualityView, shipmentView, webhookListQuery } from './schemas.js';
import type { PartnerPrincipal } from './verify-signature.js';

type ShipmentView = z.infer<typeof shipmentView>;

const shipmentColumns = { s: shipments, code: dossiers.code, applicant: dossiers.applicant };
const toShipmentView = (r: { s: typeof shipments.$inferSelect; code: string; applicant: { name: string; phone: string | null } }): ShipmentView => ({
  id: r.s.id,
  dossierCode: r.code,
  status: r.s.status,
  statusAt: r.s.statusAt,
  failureReason: r.s.failureReason,
  recipient: { name: r.applicant.name, phone: r.applicant.phone, address: r.s.address },
  createdAt: r.s.createdAt,
});

/** One of the partner's shipments with its reports; another partner's is a 404. */
export async function shipmentOf(deps: Deps, partner: PartnerPrincipal, id: number): Promise<ShipmentView> {
  const [row] = await deps.db
    .select(shipmentColumns)
    .from(shipments)
    .innerJoin(dossiers, eq(dossiers.id, shipments.dossierId))
    .where(and(eq(shipments.id, id), eq(shipments.partnerId, partner.id)));
  if (!row) throw new DomainError('SHIPMENT_NOT_FOUND', `Shipment ${id} not found`);
  const events = await deps.db.select().from(shipmentEvents).where(eq(shipmentEvents.shipmentId, id)).orderBy(asc(shipmentEvents.id));
  return {
    ...toShipmentView(row),
    events: events.map((e) => ({ eventId: e.eventId, status: e.status, occurredAt: e.occurredAt, reason: e.reason, receivedAt: e.receivedAt, applied: e.applied })),
  };
}

export async function listShipments(deps: Deps, partner: PartnerPrincipal, q: z.infer<typeof listShipmentsQuery>) {
  const rows = await deps.db
    .select(shipmentColumns)
    .from(shipments)
    .innerJoin(dossiers, eq(dossiers.id, shipments.dossierId))
    .where(and(eq(shipments.partnerId, partner.id), gt(shipments.id, q.after), q.status ? eq(shipments.status, q.status) : undefined))
    .orderBy(asc(shipments.id))
    .limit(q.limit);
  const items = rows.map(toShipmentView);
  return { items, nextAfter: items.length === q.limit ? items[items.length - 1]!.id : null };
}

/** A dossier the partner submitted (received); any other is a 404. */
export async function submittedDossier(deps: Deps, partner: PartnerPrincipal, code: string): Promise<z.infer<typeof partnerDossierView>> {
  const [row] = await deps.db
    .select({ d: dossiers, sub: postalSubmissions, shipmentId: shipments.id })
    .from(postalSubmissions)
    .innerJoin(dossiers, eq(dossiers.id, postalSubmissions.dossierId))
    .leftJoin(shipments, eq(shipments.dossierId, dossiers.id))
    .where(and(eq(postalSubmissions.partnerId, partner.id), eq(dossiers.code, code)));
  if (!row) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  const { d, sub } = row;
  return {
    code: d.code,
    procedureCode: d.procedureCode,
    deskCode: d.deskCode,
    status: d.status,
    receivedAt: d.receivedAt,
    dueAt: d.newDueAt ?? d.dueAt,
    returnedAt: d.returnedAt,
    resultDelivery: d.resultDelivery,
    submission: { clerkId: sub.clerkId, clerkName: sub.clerkName, postOfficeCode: sub.postOfficeCode, submittedAt: sub.submittedAt },
    shipmentId: row.shipmentId,
  };
}

type PartnerRow = typeof postalPartners.$inferSelect;
type PartnerKeyRow = typeof postalPartnerKeys.$inferSelect;
const toPartnerView = (p: PartnerRow, keys: PartnerKeyRow[]) => ({
  code: p.code,
  name: p.name,
  webhookUrl: p.webhookUrl,
  deliversResults: p.deliversResults,
  createdAt: p.createdAt,
  disabledAt: p.disabledAt,
  keys: keys.filter((k) => k.partnerId === p.id).map((k) => ({ id: k.id, createdAt: k.createdAt, expiresAt: k.expiresAt })),
});

const keysInOrder = (deps: Pick<Deps, 'db'>, partnerId?: number) =>
  deps.db
    .select()
    .from(postalPartnerKeys)
    .where(partnerId === undefined ? undefined : eq(postalPartnerKeys.partnerId, partnerId))
    .orderBy(asc(postalPartnerKeys.createdAt), asc(postalPartnerKeys.id));

export async function listPartners(deps: Deps) {
  const [partners, keys] = await Promise.all([deps.db.select().from(postalPartners).orderBy(asc(postalPartners.code)), keysInOrder(deps)]);
  return { items: partners.map((p) => toPartnerView(p, keys)) };
}

/** One partner as administrators see it (keys without secrets). */
export async function partnerView(deps: Pick<Deps, 'db'>, partner: PartnerRow) {
  return toPartnerView(partner, await keysInOrder(deps, partner.id));
}

const webhookColumns = { w: webhookDeliveries, partnerCode: postalPartners.code };
const toWebhookView = (r: { w: typeof webhookDeliveries.$inferSelect; partnerCode: string }) => ({
  id: r.w.id,
  partnerCode: r.partnerCode,
  kind: r.w.kind,
  idempotencyKey: r.w.idempotencyKey,
  status: r.w.status,
  attempts: r.w.attempts,
  lastError: r.w.lastError,
  nextAttemptAt: r.w.nextAttemptAt,
  deliveredAt: r.w.deliveredAt,
  replays: r.w.replays,
  createdAt: r.w.createdAt,
  payload: r.w.payload,
});

export async function listWebhooks(deps: Deps, q: z.infer<typeof webhookListQuery>) {
  const rows = await deps.db
    .select(webhookColumns)
    .from(webhookDeliveries)
    .innerJoin(postalPartners, eq(postalPartners.id, webhookDeliveries.partnerId))
    .where(and(q.partner ? eq(postalPartners.code, q.partner) : undefined, q.status ? eq(webhookDeliveries.status, q.status) : undefined))
    .orderBy(desc(webhookDeliveries.id))
    .limit(q.limit);
  return { items: rows.map(toWebhookView) };
}

/** One webhook with its delivery log (one line per attempt). */
export async function webhookDetail(deps: Deps, id: number) {
  const [row] = await deps.db
    .select(webhookColumns)
    .from(webhookDeliveries)
    .innerJoin(postalPartners, eq(postalPartners.id, webhookDeliveries.partnerId))
    .where(eq(webhookDeliveries.id, id));
  if (!row) throw new DomainError('WEBHOOK_NOT_FOUND', `Webhook ${id} not found`);
  const log = await deps.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, id)).orderBy(asc(webhookAttempts.id));
  return { ...toWebhookView(row), log: log.map((a) => ({ attempt: a.attempt, at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })) };
}

const empty = (): ChannelFigures => ({
  received: 0,
  supplementRequested: 0,
  supplementRate: null,
  withdrawn: 0,
  stopped: 0,
  cancelled: 0,
  cancellationRate: null,
  intakeNotReceived: 0,
  intakeRefused: 0,
});
const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);
const finish = (f: ChannelFigures): ChannelFigures => ({
  ...f,
  cancelled: f.withdrawn + f.stopped,
  supplementRate: rate(f.supplementRequested, f.received),
  cancellationRate: rate(f.withdrawn + f.stopped, f.received),
});

/**
 * Quality of postal intake (DOMAIN.md §7): per desk, field and period (local time), postal against desk intake:
 * dossiers received, those that got at least one supplement request (from their events), those withdrawn or
 * stopped (stopped covers refusal after intake), and the intakes that did not become dossiers (not received for
 * missing documents, refused at intake). Rates are of dossiers received. Within the caller's scope.
 */
export async function postalQuality(deps: Deps, who: StaffActor, q: z.infer<typeof qualityQuery>): Promise<z.infer<typeof qualityView>> {
  if (q.to < q.from) throw new DomainError('VALIDATION_FAILED', 'querystring.to: must not be before from');
  const period = sql.raw(`'${q.period}'`);
  const local = (col: SQL) => sql`to_char(date_trunc(${period}, ${col} at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD')`;
  const fromTs = sql`(${q.from}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')`;
  const toTs = sql`((${q.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')`;
  // The dossiers table is not aliased: the scope condition names its columns as "dossiers"."unit_code".
  const province = await deps.provinceLevel();
  const dossierRows = await deps.db.execute<{ desk_code: string; field_code: string; period: string; channel: string; received: number; supplement_requested: number; withdrawn: number; stopped: number }>(sql`
    select dossiers.desk_code, dossiers.field_code, ${local(sql`dossiers.received_at`)} as period, dossiers.channel,
           count(*)::int as received,
           count(*) filter (where exists (select 1 from dossier_events e where e.dossier_id = dossiers.id and e.type = 'request_supplement'))::int as supplement_requested,
           count(*) filter (where dossiers.status = 'withdrawn')::int as withdrawn,
           count(*) filter (where dossiers.status = 'stopped')::int as stopped
    from dossiers
    where dossiers.channel in ('postal', 'desk') and dossiers.received_at >= ${fromTs} and dossiers.received_at < ${toTs}
      and ${scopeCondition(who, province)}
      ${q.desk ? sql`and dossiers.desk_code = ${q.desk}` : sql``}
      ${q.field ? sql`and dossiers.field_code = ${q.field}` : sql``}
    group by 1, 2, 3, 4`);
  const unitCodes = who.roles.filter((r) => r.scopeKind === 'unit').map((r) => r.scopeCode);
  const intakeScope = provinceWide(who, province)
    ? sql``
    : unitCodes.length
      ? sql`and i.desk_code in (select k.code from desks k where ${inArray(sql`k.unit_code`, unitCodes)})`
      : sql`and false`;
  const intakeRows = await deps.db.execute<{ desk_code: string; field_code: string; period: string; channel: string; not_received: number; refused: number }>(sql`
    select i.desk_code, p.field_code, ${local(sql`i.decided_at`)} as period, i.channel,
           count(*) filter (where i.outcome = 'not_received')::int as not_received,
           count(*) filter (where i.outcome = 'refused')::int as refused
    from intake_decisions i join procedures p on p.id = i.procedure_id
    where i.channel in ('postal', 'desk') and i.decided_at >= ${fromTs} and i.decided_at < ${toTs} ${intakeScope}
      ${q.desk ? sql`and i.desk_code = ${q.desk}` : sql``}
      ${q.field ? sql`and p.field_code = ${q.field}` : sql``}
    group by 1, 2, 3, 4`);
  const groups = new Map<string, { deskCode: string; fieldCode: string; period: string; postal: ChannelFigures; desk: ChannelFigures }>();
  const groupOf = (r: { desk_code: string; field_code: string; period: string }) => {
    const key = `${r.desk_code}|${r.field_code}|${r.period}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { deskCode: r.desk_code, fieldCode: r.field_code, period: r.period, postal: empty(), desk: empty() }));
    return g;
  };
  for (const r of dossierRows.rows) {
    const f = groupOf(r)[r.channel as 'postal' | 'desk'];
    f.received += r.received;
    f.supplementRequested += r.supplement_requested;
    f.withdrawn += r.withdrawn;
    f.stopped += r.stopped;
  }
  for (const r of intakeRows.rows) {
    const f = groupOf(r)[r.channel as 'postal' | 'desk'];
    f.intakeNotReceived += r.not_received;
    f.intakeRefused += r.refused;
  }
  const items = [...groups.values()]
    .sort((a, b) => a.period.localeCompare(b.period) || a.deskCode.localeCompare(b.deskCode) || a.fieldCode.localeCompare(b.fieldCode))
    .map((g) => ({ ...g, postal: finish(g.postal), desk: finish(g.desk) }));
  const total = (ch: 'postal' | 'desk') =>
    finish(
      items.reduce((t, g) => {
        const f = g[ch];
        return { ...t, received: t.received + f.received, supplementRequested: t.supplementRequested + f.supplementRequested, withdrawn: t.withdrawn + f.withdrawn, stopped: t.stopped + f.stopped, intakeNotReceived: t.intakeNotReceived + f.intakeNotReceived, intakeRefused: t.intakeRefused + f.intakeRefused };
      }, empty()),
    );
  return { from: q.from, to: q.to, period: q.period, totals: { postal: total('postal'), desk: total('desk') }, items };
}

/**
 * A dossier this partner carries: one it submitted, or one whose result it ships. Anything else is a 404, as an
 * unknown code is.
 */
export async function carriedDossier(deps: Pick<Deps, 'db'>, partner: PartnerPrincipal, code: string): Promise<{ id: number; code: string }> {
  const [row] = await deps.db
    .select({ id: dossiers.id, code: dossiers.code })
    .from(dossiers)
    .where(
      and(
        eq(dossiers.code, code),
        sql`(exists (select 1 from ${postalSubmissions} s where s.dossier_id = ${dossiers.id} and s.partner_id = ${partner.id})
          or exists (select 1 from ${shipments} sh where sh.dossier_id = ${dossiers.id} and sh.partner_id = ${partner.id}))`,
      ),
    );
  if (!row) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  return row;
}
