import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/domain/postal/signature.js';
import { startTestApp, loginAs, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { fileRequests, jpeg, minimalPdf } from '../helpers/files.js';

// Monday 2024-06-03 08:00 local, an ordinary working week.
const clock = TestClock.atLocal('2024-06-03T08:00:00');
const COMMUNE = '20335';
const DESK = `X${COMMUNE}`;
type Who = { authorization: string; username: string };

let ctx: TestContext;
let procedure: ProcedurePick;
let desk: Who;
let other: Who;
let admin: Who;

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, env: { FILE_LINK_TTL_SECONDS: '600' } });
  procedure = await pickProcedure(ctx, sql`level = 'commune' and jsonb_array_length(documents) >= 2`);
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: COMMUNE });
  other = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
});
afterAll(async () => ctx?.close());

const { post, get, upload, receive } = fileRequests(() => ctx.app, (overrides) => intakeBody(procedure, DESK, overrides), () => desk);

const doc = (i: number) => procedure.documents[i]!.name;

describe('digitisation at the desk', () => {
  it('records each paper document as digitised (its file) or exempt, once; the checklist says what is missing', async () => {
    const { code } = await receive();
    const scan = await upload(`/api/v1/dossiers/${code}/files?document=${encodeURIComponent(doc(0))}&copy=original&source=digitised`, minimalPdf(1, 'dig'), desk);
    expect(scan.statusCode, scan.body).toBe(201);
    const filed = await upload(`/api/v1/dossiers/${code}/files?extra=true&copy=copy&source=electronic`, jpeg('dig'), desk);
    const rec = await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(0), fileId: scan.json().id }, desk);
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json()).toMatchObject({ document: doc(0), fileId: scan.json().id, exemption: null, recordedBy: desk.username });
    expect((await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(0), exemption: 'shown_only' }, desk)).statusCode).toBe(409);
    const notScan = await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(1), fileId: filed.json().id }, desk);
    expect(notScan.statusCode).toBe(400);
    expect(notScan.json().error.message).toMatch(/^body\.fileId: /);
    expect((await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(1), exemption: 'secret' }, desk)).statusCode).toBe(400);
    expect((await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(1), exemption: 'shown_only' }, other)).statusCode).toBe(404);
    expect((await post(`/api/v1/dossiers/${code}/digitisation`, { document: doc(1), exemption: 'shown_only' }, desk)).statusCode).toBe(201);
    const list = (await get(`/api/v1/dossiers/${code}/files`, desk)).json();
    expect(list.checklist[0].digitisation).toMatchObject({ fileId: scan.json().id });
    expect(list.checklist[1].digitisation).toMatchObject({ exemption: 'shown_only' });
    expect(list.missing).not.toContain(doc(0));
    expect(list.missing).not.toContain(doc(1));
  });
});

describe('the result file', () => {
  it('is attached by the deciding agency, downloaded by the applicant through a short-lived link, and by the postal partner carrying the dossier', async () => {
    clock.setLocal('2024-06-04T08:00:00');
    const { code, agency, phone } = await receive({ resultDelivery: { method: 'electronic' } });
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: agency });
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: agency, toRole: 'agency_head' }, desk)).statusCode).toBe(200);
    const result = minimalPdf(1, 'signed result');
    expect((await upload(`/api/v1/dossiers/${code}/result-files`, result, desk)).statusCode).toBe(403);
    const attached = await upload(`/api/v1/dossiers/${code}/result-files`, result, head);
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ kind: 'result', source: 'electronic', copyKind: 'original' });
    // Not yet processed: the lookup offers nothing.
    expect((await get(`/api/v1/public/dossiers/${code}/result-files?phone=${phone}`)).json().files).toEqual([]);
    expect((await post(`/api/v1/dossiers/${code}/completion`, { resultReference: 'KQ-9' }, head)).statusCode).toBe(200);

    expect((await get(`/api/v1/public/dossiers/${code}/result-files?phone=${phone === '0000' ? '1111' : '0000'}`)).statusCode).toBe(404);
    const links = await get(`/api/v1/public/dossiers/${code}/result-files?phone=${phone}`);
    expect(links.statusCode, links.body).toBe(200);
    expect(links.json().files).toHaveLength(1);
    const link = links.json().files[0];
    expect(new Date(link.expiresAt).getTime()).toBe(clock.now().getTime() + 600_000);
    const down = await get(link.url);
    expect(down.statusCode, down.body).toBe(200);
    expect(down.rawPayload.equals(result)).toBe(true);
    const [payload, mac] = (link.url as string).split('/').at(-1)!.split('.');
    expect((await get(`/api/v1/public/result-files/${payload}.${mac!.slice(0, -2)}xx`)).statusCode).toBe(404);
    clock.advanceMinutes(11);
    const expired = await get(link.url);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('LINK_EXPIRED');

    // The postal partner that carries the dossier reads its result; another partner gets a 404.
    const vnpost = (await post('/api/v1/postal/partners', { code: 'VNPOST', name: 'Bưu điện' }, admin)).json().key as { id: string; secret: string };
    const rival = (await post('/api/v1/postal/partners', { code: 'RIVAL', name: 'Khác' }, admin)).json().key as { id: string; secret: string };
    await ctx.deps.pool.query(
      `insert into postal_submissions (partner_id, reference, outcome, dossier_id, clerk_id, clerk_name, post_office_code, submitted_at)
       select p.id, 'TEST-1', 'received', d.id, 'BD-1', 'Bưu tá', 'BC-1', now() from postal_partners p, dossiers d where p.code = 'VNPOST' and d.code = $1`,
      [code],
    );
    const signed = (key: { id: string; secret: string }, url: string) => {
      const ts = new Date().toISOString();
      return ctx.app.inject({ method: 'GET', url, headers: { 'x-partner-key': key.id, 'x-timestamp': ts, 'x-signature': sign(key.secret, 'GET', url, ts, '') } });
    };
    const listed = await signed(vnpost, `/api/v1/postal/dossiers/${code}/result-files`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().files).toHaveLength(1);
    const fetched = await signed(vnpost, `/api/v1/postal/dossiers/${code}/result-files/${attached.json().id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload.equals(result)).toBe(true);
    expect((await signed(rival, `/api/v1/postal/dossiers/${code}/result-files/${attached.json().id}`)).statusCode).toBe(404);
    const reads = await ctx.deps.pool.query(`select actor from audit_log where dossier_code = $1 and action = 'result_file_read' order by id`, [code]);
    expect(reads.rows.map((r) => r.actor)).toEqual(['citizen', 'postal:VNPOST']);
  });
});

describe('re-use of what the applicant already gave', () => {
  it("offers the same applicant's digitised files to staff who see the new dossier, and links one instead of uploading", async () => {
    const citizen = { kind: 'person', name: 'Trần Thị Bình', citizenId: '049190007777', phone: '0905999888', address: 'Tam Kỳ' };
    const first = await receive({ applicant: citizen });
    const scan = minimalPdf(2, 'binh-id-card');
    const up = await upload(`/api/v1/dossiers/${first.code}/files?document=${encodeURIComponent(doc(0))}&copy=certified_copy&source=digitised`, scan, desk);
    expect(up.statusCode).toBe(201);
    // Filed electronically by the applicant: not offered (it was not digitised by the state).
    await upload(`/api/v1/dossiers/${first.code}/files?extra=true&copy=copy&source=electronic`, jpeg('binh-photo'), desk);
    const stranger = await receive({ applicant: { ...citizen, citizenId: '049190005555' } });

    const second = await receive({ applicant: { ...citizen, phone: '0905999111' } });
    const offers = await get(`/api/v1/dossiers/${second.code}/reusable-files`, desk);
    expect(offers.statusCode, offers.body).toBe(200);
    expect(offers.json().offers).toEqual([expect.objectContaining({ fileId: up.json().id, fromDossier: first.code, document: doc(0), pageCount: 2 })]);
    expect((await get(`/api/v1/dossiers/${second.code}/reusable-files`, other)).statusCode).toBe(404);
    expect((await get(`/api/v1/dossiers/${stranger.code}/reusable-files`, desk)).json().offers).toEqual([]);
    // A file of another applicant cannot be linked.
    expect((await post(`/api/v1/dossiers/${stranger.code}/files/reuse`, { fileId: up.json().id, document: doc(0), copy: 'copy' }, desk)).statusCode).toBe(404);

    const linked = await post(`/api/v1/dossiers/${second.code}/files/reuse`, { fileId: up.json().id, document: doc(0), copy: 'certified_copy' }, desk);
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json()).toMatchObject({ reusedFrom: up.json().id, sha256: up.json().sha256, document: doc(0), source: 'digitised' });
    const down = await get(`/api/v1/dossiers/${second.code}/files/${linked.json().id}`, desk);
    expect(down.rawPayload.equals(scan)).toBe(true);
    expect((await post(`/api/v1/dossiers/${second.code}/files/reuse`, { fileId: up.json().id, document: doc(0), copy: 'copy' }, desk)).statusCode).toBe(404);
    expect((await get(`/api/v1/dossiers/${second.code}/reusable-files`, desk)).json().offers).toEqual([]);
    const audit = await ctx.deps.pool.query(`select action, dossier_code from audit_log where action like 'file_reused%' order by id`);
    expect(audit.rows).toEqual([
      { action: 'file_reused', dossier_code: second.code },
      { action: 'file_reused_elsewhere', dossier_code: first.code },
    ]);
  });
});
