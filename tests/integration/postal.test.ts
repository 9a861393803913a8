import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileDeliveries } from '../../src/modules/postal/index.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { sign } from '../../src/domain/postal/signature.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

// The business clock starts at the real present (signature timestamps are wall-clock); tests move it for key expiry.
const clock = new TestClock(new Date());
let ctx: TestContext;
let admin: { authorization: string; username: string };
let land: ProcedurePick;
let other: ProcedurePick;
interface Key {
  id: string;
  secret: string;
}
let vnpost: Key;
let rival: Key;

const nowSeconds = () => String(Math.floor(Date.now() / 1000));
// Two identical requests carry identical signatures when signed at the same instant (a replay): the helper signs
// each with its own millisecond, as a real client's clock would.
let lastMs = 0;
const uniqueIso = () => new Date((lastMs = Math.max(Date.now(), lastMs + 1))).toISOString();

/** A request signed as a partner would sign it; `tamper` changes what is sent after signing. */
function signed(
  key: Key,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  opts: { timestamp?: string; secret?: string; sendBody?: string; headers?: Record<string, string> } = {},
) {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const timestamp = opts.timestamp ?? uniqueIso();
  const signature = sign(opts.secret ?? key.secret, method, url, timestamp, raw);
  return ctx.app.inject({
    method,
    url,
    payload: opts.sendBody ?? (raw || undefined),
    headers: {
      ...(raw ? { 'content-type': 'application/json' } : {}),
      'x-partner-key': key.id,
      'x-timestamp': timestamp,
      'x-signature': signature,
      ...opts.headers,
    },
  });
}
const staff = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, who = admin) =>
  ctx.app.inject({ method, url, payload: payload as never, headers: { authorization: who.authorization } });

/** A desk officer of a unit (intake is theirs alone), one per unit. */
const deskOfficers = new Map<string, Promise<{ authorization: string; username: string }>>();
const deskOf = (unit: string) => {
  if (!deskOfficers.has(unit)) deskOfficers.set(unit, loginAs(ctx, 'desk_officer', { kind: 'unit', code: unit }));
  return deskOfficers.get(unit)!;
};

async function createPartner(code: string, extra: Record<string, unknown> = {}) {
  const res = await staff('POST', '/api/v1/postal/partners', { code, name: `Bưu điện ${code}`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key as Key;
}
const postalBody = (p: ProcedurePick, desk: string, overrides: Record<string, unknown> = {}) => {
  const { channel: _channel, ...body } = intakeBody(p, desk, overrides);
  return { ...body, postalClerk: { id: 'BD-0042', name: 'Trần Thị Bưu' }, postOfficeCode: 'BC-560000' };
};
async function submit(key: Key, body: unknown, headers: Record<string, string> = {}) {
  return signed(key, 'POST', '/api/v1/postal/dossiers', body, { headers });
}
async function receivedByPost(key: Key, p: ProcedurePick, desk: string, overrides: Record<string, unknown> = {}) {
  const res = await submit(key, postalBody(p, desk, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().dossierCode as string;
}
const heads = new Map<string, Promise<{ authorization: string; username: string }>>();
/** Handed to the deciding agency (by the province administrator, who may reassign), whose head signs the result. */
async function complete(code: string) {
  const agencyCode = (await staff('GET', `/api/v1/dossiers/${code}`)).json().authorityAgencyCode as string;
  if (!heads.has(agencyCode)) heads.set(agencyCode, loginAs(ctx, 'agency_head', { kind: 'agency', code: agencyCode }));
  expect((await staff('POST', `/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' })).statusCode).toBe(200);
  const done = await staff('POST', `/api/v1/dossiers/${code}/completion`, { resultReference: `KQ-${code}` }, await heads.get(agencyCode)!);
  expect(done.statusCode, done.body).toBe(200);
}
async function shipmentOfDossier(code: string) {
  const rows = await ctx.deps.db.execute<{ id: string; partner: string }>(
    sql`select s.id, p.code as partner from shipments s join dossiers d on d.id = s.dossier_id join postal_partners p on p.id = s.partner_id where d.code = ${code}`,
  );
  return rows.rows[0] ? { id: Number(rows.rows[0].id), partner: rows.rows[0].partner } : null;
}
const report = (key: Key, shipmentId: number, body: Record<string, unknown>) =>
  signed(key, 'POST', `/api/v1/postal/shipments/${shipmentId}/events`, { occurredAt: new Date().toISOString(), ...body });

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  land = await pickProcedure(ctx, sql`level = 'district' and field_code = 'DATDAI' and postal_eligible and jsonb_array_length(documents) >= 2 and documents @> '[{"required": true}]'`);
  other = await pickProcedure(ctx, sql`level = 'district' and field_code <> 'DATDAI' and postal_eligible and documents @> '[{"required": true}]'`);
  vnpost = await createPartner('VNPOST');
  rival = await createPartner('RIVAL', { deliversResults: false });
});
afterAll(async () => ctx?.close());

describe('partner administration', () => {
  it('is for the province administrator; a code is registered once; secrets are shown once', async () => {
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    expect((await staff('POST', '/api/v1/postal/partners', { code: 'X1', name: 'x' }, officer)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/postal/partners' })).statusCode).toBe(401);
    const dup = await staff('POST', '/api/v1/postal/partners', { code: 'VNPOST', name: 'again' });
    expect(dup.statusCode).toBe(409);
    expect((await staff('POST', '/api/v1/postal/partners', { code: 'bad code', name: 'x' })).statusCode).toBe(400);
    const list = await staff('GET', '/api/v1/postal/partners');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(vnpost.secret);
    expect(list.json().items.map((p: { code: string }) => p.code)).toEqual(['RIVAL', 'VNPOST']);
    const stored = await ctx.deps.db.execute<{ secret_encrypted: string }>(sql`select secret_encrypted from postal_partner_keys`);
    for (const r of stored.rows) expect(r.secret_encrypted).not.toContain(vnpost.secret);
  });
});

describe('changing a partner', () => {
  const precheck = (key: Key) => signed(key, 'POST', '/api/v1/postal/precheck', { procedureCode: land.code, deskCode: 'H502', documents: [] });

  it('changes its name, webhook URL and result delivery; refuses bad input and other roles, changing nothing', async () => {
    const key = await createPartner('EDITME', { webhookUrl: 'https://partner.example/hooks' });
    const before = (await staff('GET', '/api/v1/postal/partners')).json().items.find((p: { code: string }) => p.code === 'EDITME');
    const officer = await loginAs(ctx, 'unit_admin', { kind: 'unit', code: '502' });
    expect((await staff('PATCH', '/api/v1/postal/partners/EDITME', { name: 'x' }, officer)).statusCode).toBe(403);
    expect((await staff('PATCH', '/api/v1/postal/partners/NOBODY', { name: 'x' })).statusCode).toBe(404);
    for (const bad of [{}, { webhookUrl: 'ftp://partner.example' }, { name: '' }, { disabled: 'yes' }, { code: 'OTHER' }]) {
      const res = await staff('PATCH', '/api/v1/postal/partners/EDITME', bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await staff('GET', '/api/v1/postal/partners')).json().items.find((p: { code: string }) => p.code === 'EDITME')).toEqual(before);

    const res = await staff('PATCH', '/api/v1/postal/partners/EDITME', { name: 'Bưu điện tỉnh Quảng Nam', webhookUrl: 'https://partner.example/v2/hooks', deliversResults: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'EDITME', name: 'Bưu điện tỉnh Quảng Nam', webhookUrl: 'https://partner.example/v2/hooks', deliversResults: false, disabledAt: null });
    expect(res.json().keys).toEqual([expect.objectContaining({ id: key.id, expiresAt: null })]);
    expect((await staff('PATCH', '/api/v1/postal/partners/EDITME', { webhookUrl: null })).json().webhookUrl).toBeNull();
  });

  it('disabled: its keys are refused at once and its webhooks wait; enabled again, it works with the same keys', async () => {
    const key = await createPartner('PAUSED', { webhookUrl: 'http://127.0.0.1:1/hooks' });
    expect((await precheck(key)).statusCode).toBe(200);
    const off = await staff('PATCH', '/api/v1/postal/partners/PAUSED', { disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    const disabledAt = off.json().disabledAt as string;
    expect(disabledAt).not.toBeNull();
    const refused = await precheck(key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('SIGNATURE_INVALID');
    // Disabling again keeps the first time.
    expect((await staff('PATCH', '/api/v1/postal/partners/PAUSED', { disabled: true })).json().disabledAt).toBe(disabledAt);

    // A webhook already queued for it is not sent while it is disabled: the attempt fails (retried, then dead).
    const [hook] = (
      await ctx.deps.db.execute<{ id: string }>(sql`
        insert into webhook_deliveries (partner_id, kind, idempotency_key, payload, status, next_attempt_at, created_at)
        select id, 'result_ready', 'result_ready:PAUSED-TEST', '{}'::jsonb, 'pending', now(), now() from postal_partners where code = 'PAUSED'
        returning id`)
    ).rows;
    const { deliverWebhook } = await import('../../src/modules/postal/index.js');
    await expect(deliverWebhook(ctx.deps, Number(hook!.id))).rejects.toThrow('the partner is disabled');
    const attempts = await ctx.deps.db.execute<{ error: string }>(sql`select error from webhook_attempts where delivery_id = ${Number(hook!.id)}`);
    expect(attempts.rows).toEqual([{ error: 'the partner is disabled' }]);

    const on = await staff('PATCH', '/api/v1/postal/partners/PAUSED', { disabled: false });
    expect(on.json().disabledAt).toBeNull();
    expect((await precheck(key)).statusCode).toBe(200);
  });
});

describe('request signatures', () => {
  const url = '/api/v1/postal/precheck';
  const body = () => ({ procedureCode: land.code, deskCode: 'H502', documents: [] });

  it('accepts a good signature, with unix seconds or an ISO timestamp', async () => {
    expect((await signed(vnpost, 'POST', url, body())).statusCode).toBe(200);
    expect((await signed(vnpost, 'POST', url, body(), { timestamp: new Date().toISOString() })).statusCode).toBe(200);
  });

  it('refuses a missing, wrong or tampered signature, before validating the body', async () => {
    const none = await ctx.app.inject({ method: 'POST', url, payload: body() });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('SIGNATURE_INVALID');
    const wrong = await signed(vnpost, 'POST', url, body(), { secret: 'sk_not-the-secret' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('SIGNATURE_INVALID');
    const tampered = await signed(vnpost, 'POST', url, body(), { sendBody: JSON.stringify({ ...body(), deskCode: 'H503' }) });
    expect(tampered.json().error.code).toBe('SIGNATURE_INVALID');
    const otherKey = await signed({ id: rival.id, secret: vnpost.secret }, 'POST', url, body());
    expect(otherKey.statusCode).toBe(401);
    const unknown = await signed({ id: 'pk_nobody', secret: vnpost.secret }, 'POST', url, body());
    expect(unknown.statusCode).toBe(401);
    const garbage = await signed(vnpost, 'POST', url, { procedureCode: 1 }, { secret: 'x' });
    expect(garbage.statusCode).toBe(401);
    // Well signed but invalid: then it is a 400.
    expect((await signed(vnpost, 'POST', url, { procedureCode: 1 })).statusCode).toBe(400);
  });

  it('refuses a timestamp more than five minutes away, either side', async () => {
    for (const t of [Date.now() / 1000 - 301, Date.now() / 1000 + 310]) {
      const res = await signed(vnpost, 'POST', url, body(), { timestamp: String(Math.floor(t)) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('SIGNATURE_EXPIRED');
    }
    expect((await signed(vnpost, 'POST', url, body(), { timestamp: 'yesterday' })).statusCode).toBe(401);
  });

  it('refuses a replayed request (the same signature twice)', async () => {
    const timestamp = nowSeconds();
    expect((await signed(vnpost, 'GET', '/api/v1/postal/shipments', undefined, { timestamp })).statusCode).toBe(200);
    const again = await signed(vnpost, 'GET', '/api/v1/postal/shipments', undefined, { timestamp });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('REPLAYED');
  });

  it('signs the query string too', async () => {
    const ts = nowSeconds();
    const sig = sign(vnpost.secret, 'GET', '/api/v1/postal/shipments?limit=1', ts, '');
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/postal/shipments?limit=2', headers: { 'x-partner-key': vnpost.id, 'x-timestamp': ts, 'x-signature': sig } });
    expect(res.statusCode).toBe(401);
  });
});

describe('key rotation', () => {
  it('keeps the old key working for the overlap, then only the new one', async () => {
    const temp = await createPartner('TEMP', { deliversResults: false });
    const res = await staff('POST', '/api/v1/postal/partners/TEMP/keys', {});
    expect(res.statusCode, res.body).toBe(201);
    const fresh = res.json().key as Key;
    expect(new Date(res.json().previousKeys[0].expiresAt).getTime() - clock.now().getTime()).toBe(86_400_000);
    const get = (k: Key) => signed(k, 'GET', '/api/v1/postal/shipments');
    expect((await get(temp)).statusCode).toBe(200);
    expect((await get(fresh)).statusCode).toBe(200);
    clock.advanceMinutes(24 * 60 + 1);
    try {
      expect((await get(temp)).statusCode).toBe(401);
      expect((await get(fresh)).statusCode).toBe(200);
      // A leaked key: overlap 0 ends it at once.
      const now = (await staff('POST', '/api/v1/postal/partners/TEMP/keys', { overlapSeconds: 0 })).json().key as Key;
      expect((await get(fresh)).statusCode).toBe(401);
      expect((await get(now)).statusCode).toBe(200);
    } finally {
      clock.advanceMinutes(-(24 * 60 + 1));
    }
    expect((await staff('POST', '/api/v1/postal/partners/NOPE/keys', {})).statusCode).toBe(404);
  });
});

describe('postal intake', () => {
  it('pre-checks documents and coverage without recording anything', async () => {
    const before = await ctx.deps.db.execute(sql`select (select count(*) from dossiers) + (select count(*) from intake_decisions) as n`);
    const required = land.documents.filter((d) => d.required);
    const partial = await signed(vnpost, 'POST', '/api/v1/postal/precheck', {
      procedureCode: land.code,
      deskCode: 'H502',
      // Case and diacritics do not matter, as at the desk.
      documents: [{ name: required[0]!.name.toUpperCase() }],
    });
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({ postalCovered: true, acceptable: true, readyToSubmit: false, missingDocuments: required.slice(1).map((d) => d.name) });
    expect(partial.json().requiredDocuments).toHaveLength(land.documents.length);
    const full = await signed(vnpost, 'POST', '/api/v1/postal/precheck', { procedureCode: land.code, deskCode: 'H502', documents: required.map((d) => ({ name: d.name })) });
    expect(full.json()).toMatchObject({ readyToSubmit: true, missingDocuments: [] });
    // Land at one of the four districts not handed over.
    const uncovered = await signed(vnpost, 'POST', '/api/v1/postal/precheck', { procedureCode: land.code, deskCode: 'H503', documents: [] });
    expect(uncovered.json()).toMatchObject({ postalCovered: false, acceptable: false, readyToSubmit: false });
    expect(uncovered.json().refusalReason).toMatch(/bưu chính/);
    expect((await signed(vnpost, 'POST', '/api/v1/postal/precheck', { procedureCode: 'NOPE', deskCode: 'H502', documents: [] })).statusCode).toBe(404);
    const after = await ctx.deps.db.execute(sql`select (select count(*) from dossiers) + (select count(*) from intake_decisions) as n`);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('refuses a land procedure at a district the postal operator does not cover (Mẫu 03)', async () => {
    for (const desk of ['H503', 'H507', 'H514', 'H517']) {
      const res = await submit(vnpost, postalBody(land, desk));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().outcome).toBe('refused');
      expect(JSON.stringify(res.json().form)).toMatch(/bưu chính công ích/);
    }
    // Another field at the same district is covered.
    expect((await submit(vnpost, postalBody(other, 'H503'))).statusCode).toBe(201);
  });

  it('receives through the desk intake with channel postal, recording the clerk and post office', async () => {
    const code = await receivedByPost(vnpost, land, 'H502');
    const [row] = (
      await ctx.deps.db.execute<{ channel: string; created_by: string; clerk_id: string; clerk_name: string; post_office_code: string }>(
        sql`select d.channel, d.created_by, s.clerk_id, s.clerk_name, s.post_office_code from dossiers d join postal_submissions s on s.dossier_id = d.id where d.code = ${code}`,
      )
    ).rows;
    expect(row).toEqual({ channel: 'postal', created_by: 'postal:VNPOST', clerk_id: 'BD-0042', clerk_name: 'Trần Thị Bưu', post_office_code: 'BC-560000' });
    const seen = await signed(vnpost, 'GET', `/api/v1/postal/dossiers/${code}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ code, status: 'received', submission: { clerkId: 'BD-0042', postOfficeCode: 'BC-560000' } });
    // Another partner, or a dossier received at the desk: 404.
    expect((await signed(rival, 'GET', `/api/v1/postal/dossiers/${code}`)).statusCode).toBe(404);
    const desk = await staff('POST', '/api/v1/dossiers', intakeBody(land, 'H502'), await deskOf('502'));
    expect((await signed(vnpost, 'GET', `/api/v1/postal/dossiers/${desk.json().dossierCode}`)).statusCode).toBe(404);
    // Staff see who took it in; a desk-received dossier has no postal submission.
    const staffView = await staff('GET', `/api/v1/dossiers/${code}`);
    expect(staffView.json().postalSubmission).toEqual({ partnerCode: 'VNPOST', clerkId: 'BD-0042', clerkName: 'Trần Thị Bưu', postOfficeCode: 'BC-560000', submittedAt: expect.any(String) });
    expect((await staff('GET', `/api/v1/dossiers/${desk.json().dossierCode}`)).json().postalSubmission).toBeNull();
  });

  it('lists what is missing when documents are missing (Mẫu 02), as the desk would', async () => {
    const res = await submit(vnpost, postalBody(land, 'H502', { documents: [] }));
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('not_received');
    const sub = await ctx.deps.db.execute(sql`select outcome, dossier_id from postal_submissions where reference = ${res.json().reference}`);
    expect(sub.rows).toEqual([{ outcome: 'not_received', dossier_id: null }]);
  });

  it('is idempotent with an Idempotency-Key; bad input changes nothing', async () => {
    const body = postalBody(other, 'H502');
    const first = await submit(vnpost, body, { 'idempotency-key': 'vnpost-intake-0001' });
    const second = await submit(vnpost, body, { 'idempotency-key': 'vnpost-intake-0001' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().dossierCode).toBe(first.json().dossierCode);
    const reused = await submit(vnpost, { ...body, note: 'other' }, { 'idempotency-key': 'vnpost-intake-0001' });
    expect(reused.statusCode).toBe(422);
    const count = async () => (await ctx.deps.db.execute(sql`select count(*)::int as n from postal_submissions`)).rows[0];
    const before = await count();
    const bad = await submit(vnpost, { ...body, postalClerk: undefined });
    expect(bad.statusCode).toBe(400);
    expect(await count()).toEqual(before);
  });
});

describe('result delivery by post', () => {
  let code: string;
  let shipmentId: number;
  beforeAll(async () => {
    code = await receivedByPost(vnpost, land, 'H502', { resultDelivery: { method: 'post', address: '12 Phan Bội Châu, Tam Kỳ' } });
    await complete(code);
    const s = await shipmentOfDossier(code);
    expect(s?.partner).toBe('VNPOST');
    shipmentId = s!.id;
  });

  it('creates one shipment when the result is ready, visible to its partner only', async () => {
    const own = await signed(vnpost, 'GET', `/api/v1/postal/shipments/${shipmentId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ dossierCode: code, status: 'requested', recipient: { address: '12 Phan Bội Châu, Tam Kỳ' } });
    const list = await signed(vnpost, 'GET', '/api/v1/postal/shipments');
    expect(list.json().items.map((s: { id: number }) => s.id)).toContain(shipmentId);
    const theirs = await signed(rival, 'GET', `/api/v1/postal/shipments/${shipmentId}`);
    expect(theirs.statusCode).toBe(404);
    expect((await signed(rival, 'GET', '/api/v1/postal/shipments')).json().items).toEqual([]);
    const forged = await report(rival, shipmentId, { eventId: 'r-1', status: 'delivered' });
    expect(forged.statusCode).toBe(404);
  });

  it('goes to the default carrier when the dossier was received at the desk', async () => {
    const desk = await staff('POST', '/api/v1/dossiers', intakeBody(other, 'H502', { resultDelivery: { method: 'post', address: 'Thôn 2, Tam Thanh' } }), await deskOf('502'));
    await complete(desk.json().dossierCode);
    expect((await shipmentOfDossier(desk.json().dossierCode))?.partner).toBe('VNPOST');
    const byDesk = await staff('POST', '/api/v1/dossiers', intakeBody(other, 'H502'), await deskOf('502'));
    await complete(byDesk.json().dossierCode);
    expect(await shipmentOfDossier(byDesk.json().dossierCode)).toBeNull();
  });

  it('takes status reports out of order and repeated, moving forward only; delivered returns the result once', async () => {
    const base = Date.now();
    const t = (m: number) => new Date(base - (60 - m) * 60_000).toISOString();
    const transit = await report(vnpost, shipmentId, { eventId: 'e-2', status: 'in_transit', occurredAt: t(20) });
    expect(transit.json()).toMatchObject({ applied: true, duplicate: false, shipment: { status: 'in_transit' } });
    const late = await report(vnpost, shipmentId, { eventId: 'e-1', status: 'picked_up', occurredAt: t(10) });
    expect(late.json()).toMatchObject({ applied: false, shipment: { status: 'in_transit' } });
    const again = await report(vnpost, shipmentId, { eventId: 'e-2', status: 'in_transit', occurredAt: t(20) });
    expect(again.json()).toMatchObject({ applied: false, duplicate: true, shipment: { status: 'in_transit' } });
    const clash = await report(vnpost, shipmentId, { eventId: 'e-2', status: 'delivered', occurredAt: t(20) });
    expect(clash.statusCode).toBe(409);
    const noReason = await report(vnpost, shipmentId, { eventId: 'e-x', status: 'failed' });
    expect(noReason.statusCode).toBe(400);

    const delivered = await report(vnpost, shipmentId, { eventId: 'e-3', status: 'delivered', occurredAt: t(30) });
    expect(delivered.json()).toMatchObject({ applied: true, shipment: { status: 'delivered' } });
    for (const r of [
      { eventId: 'e-3', status: 'delivered', occurredAt: t(30) },
      { eventId: 'e-4', status: 'delivered', occurredAt: t(31) },
      { eventId: 'e-5', status: 'failed', reason: 'Không có người nhận', occurredAt: t(40) },
      { eventId: 'e-6', status: 'in_transit', occurredAt: t(25) },
    ]) {
      const res = await report(vnpost, shipmentId, r);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ applied: false, shipment: { status: 'delivered', failureReason: null } });
    }
    const dossier = await staff('GET', `/api/v1/dossiers/${code}`);
    expect(dossier.json().status).toBe('returned');
    const returns = await ctx.deps.db.execute<{ actor: string; data: { method: string } }>(
      sql`select e.actor, e.data from dossier_events e join dossiers d on d.id = e.dossier_id where d.code = ${code} and e.type = 'return_result'`,
    );
    expect(returns.rows).toHaveLength(1);
    expect(returns.rows[0]).toMatchObject({ actor: 'postal:VNPOST', data: { method: 'post' } });
    const history = (await signed(vnpost, 'GET', `/api/v1/postal/shipments/${shipmentId}`)).json().events as { eventId: string; applied: boolean }[];
    expect(history.map((e) => e.eventId)).toEqual(['e-2', 'e-1', 'e-3', 'e-4', 'e-5', 'e-6']);
    expect(history.filter((e) => e.applied).map((e) => e.eventId)).toEqual(['e-2', 'e-3']);
  });

  it('completes the return of a delivery reported just before the process died (the sweep reconciles)', async () => {
    const c = await receivedByPost(vnpost, other, 'H502', { resultDelivery: { method: 'post', address: 'Thôn 5' } });
    await complete(c);
    const s = (await shipmentOfDossier(c))!;
    // The report committed, the return act did not run.
    await ctx.deps.db.execute(sql`update shipments set status = 'delivered' where id = ${s.id}`);
    expect((await staff('GET', `/api/v1/dossiers/${c}`)).json().status).toBe('processed');
    expect(await reconcileDeliveries(ctx.deps)).toBe(1);
    expect((await staff('GET', `/api/v1/dossiers/${c}`)).json().status).toBe('returned');
    expect(await reconcileDeliveries(ctx.deps)).toBe(0);
  });

  it('keeps a failed delivery with its reason', async () => {
    const c = await receivedByPost(vnpost, other, 'H502', { resultDelivery: { method: 'post', address: 'Thôn 3' } });
    await complete(c);
    const s = (await shipmentOfDossier(c))!;
    const res = await report(vnpost, s.id, { eventId: `f-${s.id}`, status: 'failed', reason: 'Sai địa chỉ' });
    expect(res.json()).toMatchObject({ applied: true, shipment: { status: 'failed', failureReason: 'Sai địa chỉ' } });
    expect((await staff('GET', `/api/v1/dossiers/${c}`)).json().status).toBe('processed');
  });
});

describe('webhooks to the partner', () => {
  let server: Server;
  let hookUrl: string;
  let hook: Key;
  let failuresLeft = 0;
  const received: { key: string; kind: string; ok: boolean; body: string; verified: boolean }[] = [];
  const bodyOf = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => resolve(b));
    });
  const deliveries = async (kind?: string) =>
    (await staff('GET', '/api/v1/postal/webhooks?partner=HOOK')).json().items.filter((w: { kind: string }) => !kind || w.kind === kind) as {
      id: number;
      kind: string;
      status: string;
      attempts: number;
      idempotencyKey: string;
    }[];
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await bodyOf(req);
      const ok = failuresLeft <= 0;
      failuresLeft--;
      const expected = sign(hook.secret, 'POST', req.url ?? '', String(req.headers['x-timestamp']), body);
      received.push({ key: String(req.headers['idempotency-key']), kind: String(req.headers['x-webhook-kind']), ok, body, verified: expected === req.headers['x-signature'] });
      res.statusCode = ok ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/motcua/hooks?v=1`;
    hook = await createPartner('HOOK', { webhookUrl: hookUrl });
    const config = ctx.deps.config as { POSTAL_WEBHOOK_BACKOFF_MS: number; POSTAL_WEBHOOK_ATTEMPTS: number };
    config.POSTAL_WEBHOOK_BACKOFF_MS = 50;
    config.POSTAL_WEBHOOK_ATTEMPTS = 4;
  });
  afterAll(async () => {
    server?.close();
  });

  async function withWorkers<T>(run: () => Promise<T>) {
    const w = await startWorkers(ctx.deps);
    try {
      return await run();
    } finally {
      await w.close();
      await w.queue.obliterate({ force: true }).catch(() => undefined);
    }
  }

  it('retries a failing receiver with backoff and delivers each webhook once when it recovers, signed', async () => {
    failuresLeft = 2;
    const code = await receivedByPost(hook, other, 'H502', { resultDelivery: { method: 'post', address: 'Khối 5, Tam Kỳ' } });
    await complete(code);
    const s = (await shipmentOfDossier(code))!;
    expect(s.partner).toBe('HOOK');
    await withWorkers(async () => {
      const rows = await until(() => deliveries(), (r) => r.length === 2 && r.every((w) => w.status === 'delivered'));
      expect(rows.map((w) => w.kind).sort()).toEqual(['result_ready', 'shipment_requested']);
      expect(rows.map((w) => w.status)).toEqual(['delivered', 'delivered']);
    });
    expect(received).toHaveLength(4);
    expect(received.every((r) => r.verified)).toBe(true);
    const okByKey = new Map<string, number>();
    for (const r of received.filter((r) => r.ok)) okByKey.set(r.key, (okByKey.get(r.key) ?? 0) + 1);
    expect([...okByKey.values()]).toEqual([1, 1]);
    expect([...okByKey.keys()].sort()).toEqual([`result_ready:${code}`, `shipment_requested:${s.id}`]);
    const ready = JSON.parse(received.find((r) => r.kind === 'result_ready')!.body);
    expect(ready).toMatchObject({ kind: 'result_ready', data: { dossierCode: code, shipmentId: s.id } });
    const totalAttempts = (await deliveries()).reduce((n, w) => n + w.attempts, 0);
    expect(totalAttempts).toBe(4);
    const withLog = (await deliveries()).find((w) => w.attempts > 1)!;
    const detail = (await staff('GET', `/api/v1/postal/webhooks/${withLog.id}`)).json();
    expect(detail.log.map((l: { statusCode: number }) => l.statusCode)).toEqual([...Array(withLog.attempts - 1).fill(503), 200]);
  }, 40_000);

  it('dead-letters after the last attempt; an administrator replays it and it is delivered', async () => {
    received.length = 0;
    failuresLeft = 1000;
    const code = await receivedByPost(hook, other, 'H502');
    expect((await staff('POST', `/api/v1/dossiers/${code}/withdrawal`, { reason: 'Công dân rút hồ sơ' }, await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' }))).statusCode).toBe(200);
    const cancelled = await withWorkers(async () => (await until(() => deliveries('dossier_cancelled'), (r) => r[0]?.status === 'dead'))[0]!);
    expect(cancelled).toMatchObject({ status: 'dead', attempts: 4 });
    const dead = (await staff('GET', '/api/v1/postal/webhooks?status=dead')).json().items.map((w: { id: number }) => w.id);
    expect(dead).toContain(cancelled.id);
    expect((await staff('POST', '/api/v1/postal/webhooks/999999/replay')).statusCode).toBe(404);

    failuresLeft = 0;
    const replay = await staff('POST', `/api/v1/postal/webhooks/${cancelled.id}/replay`);
    expect(replay.statusCode, replay.body).toBe(202);
    await withWorkers(async () => {
      await until(() => deliveries('dossier_cancelled'), (r) => r[0]?.status === 'delivered');
    });
    const [after] = await deliveries('dossier_cancelled');
    expect(after).toMatchObject({ status: 'delivered', attempts: 5 });
    expect(received.filter((r) => r.ok)).toHaveLength(1);
    expect(JSON.parse(received.find((r) => r.ok)!.body)).toMatchObject({ kind: 'dossier_cancelled', data: { dossierCode: code, reason: 'Công dân rút hồ sơ' } });
    const again = await staff('POST', `/api/v1/postal/webhooks/${cancelled.id}/replay`);
    expect(again.statusCode).toBe(409);
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    expect((await staff('GET', '/api/v1/postal/webhooks', undefined, officer)).statusCode).toBe(403);
  }, 40_000);
});

describe('quality of postal intake', () => {
  it('gives supplement and cancellation rates of postal against desk intake by desk, field and period', async () => {
    // A desk and field no other test uses.
    const desk = 'H504';
    const p = await pickProcedure(ctx, sql`level = 'district' and field_code not in ('DATDAI', ${other.fieldCode}) and postal_eligible and documents @> '[{"required": true}]'`);
    const a = await receivedByPost(vnpost, p, desk);
    const b = await receivedByPost(vnpost, p, desk);
    await receivedByPost(vnpost, p, desk);
    expect((await submit(vnpost, postalBody(p, desk, { documents: [] }))).json().outcome).toBe('not_received');
    const deskOfficer = await deskOf('504');
    for (let i = 0; i < 4; i++) expect((await staff('POST', '/api/v1/dossiers', intakeBody(p, desk), deskOfficer)).statusCode).toBe(201);
    expect((await staff('POST', `/api/v1/dossiers/${a}/supplement-requests`, { reason: 'Thiếu bản sao', items: ['Bản sao CCCD'] }, deskOfficer)).statusCode).toBe(200);
    expect((await staff('POST', `/api/v1/dossiers/${b}/withdrawal`, { reason: 'Rút' }, deskOfficer)).statusCode).toBe(200);

    const today = new Date(clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const res = await staff('GET', `/api/v1/reports/postal-quality?from=${today}&to=${today}&desk=${desk}&field=${p.fieldCode}&period=month`);
    expect(res.statusCode, res.body).toBe(200);
    const { totals, items } = res.json();
    expect(totals.postal).toMatchObject({ received: 3, supplementRequested: 1, supplementRate: 0.3333, withdrawn: 1, stopped: 0, cancelled: 1, cancellationRate: 0.3333, intakeNotReceived: 1, intakeRefused: 0 });
    expect(totals.desk).toMatchObject({ received: 4, supplementRequested: 0, supplementRate: 0, cancelled: 0, cancellationRate: 0 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ deskCode: desk, fieldCode: p.fieldCode, period: `${today.slice(0, 7)}-01` });

    const all = await staff('GET', `/api/v1/reports/postal-quality?from=${today}&to=${today}`);
    expect(all.json().totals.postal.received).toBeGreaterThanOrEqual(3);
    expect((await staff('GET', `/api/v1/reports/postal-quality?from=${today}&to=2000-01-01`)).statusCode).toBe(400);
    expect((await staff('GET', '/api/v1/reports/postal-quality?from=2025-02-30&to=2025-03-01')).statusCode).toBe(400);
    // A unit administrator sees its own units only.
    const other503 = await loginAs(ctx, 'unit_admin', { kind: 'unit', code: '503' });
    const theirs = await staff('GET', `/api/v1/reports/postal-quality?from=${today}&to=${today}&desk=${desk}`, undefined, other503);
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.json().totals.postal.received).toBe(0);
    const own = await staff('GET', `/api/v1/reports/postal-quality?from=${today}&to=${today}&desk=${desk}`, undefined, await loginAs(ctx, 'unit_admin', { kind: 'unit', code: '504' }));
    expect(own.json().totals.postal).toMatchObject({ received: 3, intakeNotReceived: 1 });
    expect(own.json().totals.desk.received).toBe(4);
  });
});
