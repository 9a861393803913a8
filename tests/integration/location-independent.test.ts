import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

/**
 * Intake anywhere in the city (Nghị định 118/2025/NĐ-CP): a procedure on the city's list received at one commune's
 * centre (Phường Hội An, old Quảng Nam), decided by another commune's authority (Phường Hải Châu, old Đà Nẵng) and
 * returned at a third centre (Phường Tam Kỳ), with its paper dossier and paper result tracked apart; a procedure
 * not on the list refused at a desk not its own (Mẫu 03 naming the rule); bad input refused, nothing written.
 */
let ctx: TestContext;
const clock = TestClock.atLocal('2026-12-01T09:00:00');
const RECEIVING = { unit: '20410', desk: 'TX20410' }; // Phường Hội An
const DECIDING = '20242'; // Phường Hải Châu
const RETURNING = { unit: '20341', desk: 'TX20341' }; // Phường Tam Kỳ
let civilStatus: ProcedurePick; // commune level, Hộ tịch: on the default list
let land: ProcedurePick; // commune level, Đất đai: not on it
let cityLevel: ProcedurePick;
type Headers = { authorization: string; username: string };
let receivingDesk: Headers;
let returningDesk: Headers;
let otherDesk: Headers;
let cityAdmin: Headers;

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
  ctx.deps.locationIndependentLists.invalidate();
  civilStatus = await pickProcedure(ctx, sql`level = 'commune' and field_code in (select code from fields where name = 'Hộ tịch') and time_unit = 'working_day' and time_amount >= 3 and postal_eligible`);
  land = await pickProcedure(ctx, sql`level = 'commune' and field_code in (select code from fields where name = 'Đất đai') and time_unit = 'working_day'`);
  cityLevel = await pickProcedure(ctx, sql`level = 'province' and agency_code = 'STP-TT48' and not location_independent and time_unit = 'working_day'`);
  receivingDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: RECEIVING.unit });
  returningDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: RETURNING.unit });
  otherDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20194' });
  cityAdmin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
}, 120_000);
afterAll(async () => ctx?.close());

const inject = (method: 'GET' | 'POST', url: string, headers?: Headers, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: headers ? { authorization: headers.authorization } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
const counts = async () =>
  (
    await ctx.deps.db.execute<{ dossiers: number; decisions: number; lists: number; named: number; papers: number }>(sql`
      select (select count(*)::int from dossiers) dossiers, (select count(*)::int from intake_decisions) decisions,
             (select count(*)::int from location_independent_lists) lists, (select count(*)::int from location_independent_list_procedures) named,
             (select count(*)::int from paper_transfers) papers`)
  ).rows[0]!;

describe('the default list from 2025-07-01', () => {
  it('takes in every city-level procedure and the commune-level ones of Chứng thực and Hộ tịch, stated as an assumption', async () => {
    const res = await inject('GET', '/api/v1/location-independent-lists/in-force?on=2026-12-01');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list).toMatchObject({ validFrom: '2025-07-01', validTo: null, allCityLevel: true, createdBy: 'seed' });
    expect(list.basis).toMatch(/giả định/);
    const expected = await ctx.deps.db.execute<{ code: string }>(
      sql`select p.code from procedures p join fields f on f.code = p.field_code where p.level in ('commune', 'district') and f.name in ('Chứng thực', 'Hộ tịch')
        and p.valid_from <= '2025-07-01' and (p.valid_to is null or p.valid_to > '2025-07-01') order by p.code`,
    );
    expect(list.procedureCodes).toEqual(expected.rows.map((r) => r.code));
    expect(list.procedureCodes.length).toBe(50); // the catalogue of 2025-07-01 at commune level: Hộ tịch 39, Chứng thực 11
    expect((await inject('GET', '/api/v1/location-independent-lists/in-force?on=2025-06-30')).statusCode).toBe(404);
    expect((await inject('GET', `/api/v1/procedures/${cityLevel.code}/location-independent?on=2026-12-01`)).json()).toMatchObject({ listed: true, because: 'all_city_level' });
    expect((await inject('GET', `/api/v1/procedures/${land.code}/location-independent?on=2026-12-01`)).json()).toMatchObject({ listed: false, because: null });
  });
});

describe('a listed procedure received in one part of the city, decided in another, returned at a third', () => {
  let code: string;
  let agency: string;
  let specialist: Headers;
  let head: Headers;

  it('is received at Hội An for Hải Châu, decided by Hải Châu, to be returned at Tam Kỳ', async () => {
    const res = await inject('POST', '/api/v1/dossiers', receivingDesk, {
      ...intakeBody(civilStatus, RECEIVING.desk),
      authorityUnitCode: DECIDING,
      resultDelivery: { method: 'desk', deskCode: RETURNING.desk },
    });
    expect(res.statusCode, res.body).toBe(201);
    code = res.json().dossierCode;
    expect(code).toMatch(/^TX20410-261201-\d{4}$/);
    const d = (await inject('GET', `/api/v1/dossiers/${code}`, receivingDesk)).json();
    expect(d).toMatchObject({ deskCode: RECEIVING.desk, unitCode: RECEIVING.unit, authorityUnitCode: DECIDING, resultDelivery: { method: 'desk', deskCode: RETURNING.desk } });
    agency = d.authorityAgencyCode;
    expect(agency).toMatch(/-TX20242$/);
    expect(d.history[0].data).toMatchObject({ authorityUnitCode: DECIDING, returnDeskCode: RETURNING.desk, locationIndependentList: expect.any(Number) });
    // The receipt (Mẫu 01) names the desk where the result is collected, at intake and printed again later.
    const where = /^Nhận tại Trung tâm Phục vụ hành chính công Phường Tam Kỳ$/;
    expect(res.json().form.resultDelivery).toMatch(where);
    expect((await inject('GET', `/api/v1/dossiers/${code}/forms/receipt`, receivingDesk)).json().resultDelivery).toMatch(where);
    specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: agency });
    head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: agency });
  });

  it('is seen by the receiving desk, the deciding agency and the returning desk, and by nobody else', async () => {
    for (const who of [receivingDesk, returningDesk, specialist, head]) expect((await inject('GET', `/api/v1/dossiers/${code}`, who)).statusCode, who.username).toBe(200);
    const outsiders = [
      otherDesk,
      await loginAs(ctx, 'unit_admin', { kind: 'unit', code: DECIDING }), // the deciding commune's unit, not its agency
      await loginAs(ctx, 'desk_officer', { kind: 'unit', code: DECIDING }),
      await loginAs(ctx, 'specialist', { kind: 'agency', code: `UBND-TX${RECEIVING.unit}` }),
    ];
    for (const who of outsiders) expect((await inject('GET', `/api/v1/dossiers/${code}`, who)).statusCode, who.username).toBe(404);
    const listed = (await inject('GET', `/api/v1/dossiers?desk=${RECEIVING.desk}`, returningDesk)).json().items.map((i: { code: string }) => i.code);
    expect(listed).toContain(code);
    expect((await inject('GET', '/api/v1/dossiers?mine=true', returningDesk)).json().items.map((i: { code: string }) => i.code)).not.toContain(code);
  });

  it('sends the paper dossier by post to the deciding agency, received there once, apart from the electronic handoff', async () => {
    expect((await inject('POST', `/api/v1/dossiers/${code}/paper-transfers`, returningDesk, { kind: 'dossier', method: 'post' })).statusCode).toBe(403);
    const sent = await inject('POST', `/api/v1/dossiers/${code}/paper-transfers`, receivingDesk, { kind: 'dossier', method: 'post', reference: 'EB123456789VN' });
    expect(sent.statusCode, sent.body).toBe(201);
    const t = sent.json();
    expect(t).toMatchObject({ kind: 'dossier', fromCode: RECEIVING.desk, toCode: agency, method: 'post', status: 'sent', receivedAt: null });
    const handoff = await inject('POST', `/api/v1/dossiers/${code}/handoffs`, receivingDesk, { toRole: 'specialist' });
    expect(handoff.statusCode, handoff.body).toBe(200);
    expect(handoff.json().holder).toMatchObject({ agencyCode: agency, role: 'specialist' });
    // The deciding agency consults another office of the deciding commune (not of the receiving one) and gets it back.
    const office = ['VP', 'KT', 'VHXH', 'UBND'].map((o) => `${o}-TX${DECIDING}`).find((a) => a !== agency)!;
    const toReceiving = await inject('POST', `/api/v1/dossiers/${code}/handoffs`, specialist, { toAgencyCode: `VP-TX${RECEIVING.unit}`, toRole: 'specialist' });
    expect(toReceiving.statusCode, toReceiving.body).toBe(400);
    expect(toReceiving.json().error.message).toMatch(/decided in unit 20242/);
    const consulted = await inject('POST', `/api/v1/dossiers/${code}/handoffs`, specialist, { toAgencyCode: office, toRole: 'specialist' });
    expect(consulted.statusCode, consulted.body).toBe(200);
    const officer = await loginAs(ctx, 'specialist', { kind: 'agency', code: office });
    const back = await inject('POST', `/api/v1/dossiers/${code}/handoffs`, officer, { toAgencyCode: agency, toRole: 'specialist' });
    expect(back.statusCode, back.body).toBe(200);
    clock.advanceMinutes(24 * 60); // the post takes a day
    expect((await inject('POST', `/api/v1/dossiers/${code}/paper-transfers/${t.id}/receipt`, receivingDesk, {})).statusCode).toBe(403);
    const received = await inject('POST', `/api/v1/dossiers/${code}/paper-transfers/${t.id}/receipt`, specialist, { note: 'Đủ hồ sơ giấy' });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', receivedBy: specialist.username });
    expect(new Date(received.json().receivedAt).getTime() - new Date(t.sentAt).getTime()).toBe(24 * 3_600_000);
    expect((await inject('POST', `/api/v1/dossiers/${code}/paper-transfers/${t.id}/receipt`, head, {})).statusCode).toBe(409);
  });

  it('is decided by the deciding agency, its paper result carried by hand to the returning desk, and returned there only', async () => {
    const done = await inject('POST', `/api/v1/dossiers/${code}/completion`, head, { resultReference: 'Trích lục 12/2026' });
    expect(done.statusCode, done.body).toBe(200);
    expect((await inject('GET', '/api/v1/dossiers?mine=true', returningDesk)).json().items.map((i: { code: string }) => i.code)).toContain(code);
    expect((await inject('GET', '/api/v1/dossiers?mine=true', receivingDesk)).json().items.map((i: { code: string }) => i.code)).not.toContain(code);
    const sent = await inject('POST', `/api/v1/dossiers/${code}/paper-transfers`, head, { kind: 'result', method: 'hand', reference: 'Văn thư Hải Châu' });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ fromCode: agency, toCode: RETURNING.desk, method: 'hand' });
    expect((await inject('POST', `/api/v1/dossiers/${code}/paper-transfers/${sent.json().id}/receipt`, returningDesk, {})).statusCode).toBe(200);

    const byReceiver = await inject('POST', `/api/v1/dossiers/${code}/return`, receivingDesk, { method: 'desk' });
    expect(byReceiver.statusCode, byReceiver.body).toBe(403);
    const returned = await inject('POST', `/api/v1/dossiers/${code}/return`, returningDesk, { method: 'desk' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().status).toBe('returned');

    const slip = (await inject('GET', `/api/v1/dossiers/${code}/control-slip`, receivingDesk)).json();
    expect(slip.paperTransfers.map((p: { kind: string; status: string }) => `${p.kind}:${p.status}`)).toEqual(['dossier:received', 'result:received']);
    expect(slip.lines.map((l: { kind: string }) => l.kind)).toEqual(['handoff', 'reassignment', 'reassignment', 'completion', 'return']);
    expect(slip.lines.at(-1)).toMatchObject({ giverAgencyCode: RETURNING.desk, receiverRole: 'applicant' });
    const form = (await inject('GET', `/api/v1/dossiers/${code}/forms/control-slip`, returningDesk)).json();
    expect(form.paperTransfers).toEqual([
      expect.objectContaining({ kind: 'Chuyển hồ sơ giấy', from: RECEIVING.desk, to: agency, method: 'Qua bưu chính công ích (EB123456789VN)' }),
      expect.objectContaining({ kind: 'Chuyển kết quả giấy', from: agency, to: RETURNING.desk }),
    ]);
    expect((await inject('GET', `/api/v1/dossiers/${code}`, head)).json().paperTransfers).toHaveLength(2);
    // The printed control slip carries the paper's trail too.
    const pdf = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/forms/control-slip?format=pdf`, headers: { authorization: returningDesk.authorization } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf.rawPayload), useSystemFonts: false, isEvalSupported: false }).promise;
    let printed = '';
    for (let i = 1; i <= doc.numPages; i++) printed += (await (await doc.getPage(i)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')).join(' ');
    for (const expected of ['Chuyển hồ sơ giấy, kết quả giấy', 'Qua bưu chính', '(EB123456789VN)', 'Văn thư', 'TX20341']) expect(printed.normalize('NFC')).toContain(expected);
  });
});

describe('a procedure not on the list, at a desk not its own', () => {
  it('is refused with Mẫu 03 naming the rule and the desk to go to; at its own desk it is received', async () => {
    const res = await inject('POST', '/api/v1/dossiers', receivingDesk, { ...intakeBody(land, RECEIVING.desk), authorityUnitCode: DECIDING });
    expect(res.statusCode, res.body).toBe(200);
    const refusal = res.json();
    expect(refusal.outcome).toBe('refused');
    expect(refusal.form).toMatchObject({
      form: 'Mẫu 03',
      rule: { code: 'location_independent_list', basis: 'Nghị định 118/2025/NĐ-CP', listValidFrom: '2025-07-01', ownDeskCode: `TX${DECIDING}` },
    });
    expect(refusal.form.reason).toMatch(/không thuộc Danh mục thủ tục hành chính tiếp nhận không phụ thuộc địa giới hành chính \(Nghị định 118\/2025\/NĐ-CP; danh mục áp dụng từ ngày 01\/07\/2025/);
    expect(refusal.form.reason).toMatch(/hồ sơ nộp tại Trung tâm Phục vụ hành chính công Phường Hải Châu/);
    const again = await inject('GET', `/api/v1/intake-decisions/${refusal.reference}`, receivingDesk);
    expect(again.json()).toMatchObject({ rule: { code: 'location_independent_list' } });
    // The city's centre is no commune's own desk: refused whatever commune it is for.
    const cityDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '48' });
    const atCity = await inject('POST', '/api/v1/dossiers', cityDesk, intakeBody(land, 'TT48'));
    expect(atCity.json()).toMatchObject({ outcome: 'refused', form: { rule: { code: 'location_independent_list', ownDeskCode: null } } });
    // At its own desk (the receiving commune decides, as before the list).
    expect((await inject('POST', '/api/v1/dossiers', receivingDesk, intakeBody(land, RECEIVING.desk))).statusCode).toBe(201);
    const deciding = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: DECIDING });
    expect((await inject('POST', '/api/v1/dossiers', deciding, { ...intakeBody(land, `TX${DECIDING}`), authorityUnitCode: DECIDING })).statusCode).toBe(201);
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  it('refuses an unknown or foreign deciding unit, a missing one at the city centre, an unknown returning desk', async () => {
    const before = await counts();
    const cityDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '48' });
    const cases: [Headers, Record<string, unknown>, RegExp][] = [
      [receivingDesk, { ...intakeBody(civilStatus, RECEIVING.desk), authorityUnitCode: '99999' }, /body\.authorityUnitCode: no commune-level unit 99999/],
      [receivingDesk, { ...intakeBody(civilStatus, RECEIVING.desk), authorityUnitCode: '48' }, /body\.authorityUnitCode: no commune-level unit 48/],
      [receivingDesk, { ...intakeBody(cityLevel, 'TX20410'), authorityUnitCode: DECIDING }, /decided by the city/],
      [cityDesk, intakeBody(civilStatus, 'TT48'), /body\.authorityUnitCode: procedure .* is decided by a commune/],
      [receivingDesk, { ...intakeBody(civilStatus, RECEIVING.desk), resultDelivery: { method: 'desk', deskCode: 'TX99999' } }, /body\.resultDelivery\.deskCode: no desk TX99999/],
      [receivingDesk, { ...intakeBody(land, RECEIVING.desk), resultDelivery: { method: 'desk', deskCode: RETURNING.desk } }, /not received anywhere in the city/],
    ];
    for (const [who, body, message] of cases) {
      const res = await inject('POST', '/api/v1/dossiers', who, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('publishes a list only as the city administrator, from today, naming known procedures, once per day', async () => {
    const before = await counts();
    const body = { validFrom: '2026-12-03', basis: 'Quyết định 999/QĐ-UBND', allCityLevel: false, procedureCodes: [land.code, '9.999999', '8.888888'], reason: 'Danh mục mới' };
    const unknown = await inject('POST', '/api/v1/location-independent-lists', cityAdmin, body);
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().error.message).toBe('body.procedureCodes: not in the catalogue: 8.888888, 9.999999');
    expect((await inject('POST', '/api/v1/location-independent-lists', receivingDesk, { ...body, procedureCodes: [land.code] })).statusCode).toBe(403);
    const past = await inject('POST', '/api/v1/location-independent-lists', cityAdmin, { ...body, validFrom: '2026-11-30', procedureCodes: [land.code] });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/body\.validFrom: a list takes effect today/);
    expect((await inject('POST', '/api/v1/location-independent-lists', cityAdmin, { ...body, procedureCodes: [land.code], extra: 1 })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('a new version of the list, published by the city', () => {
  it('takes effect on its day: the named procedure anywhere, the others only at their own desk', async () => {
    const published = await inject('POST', '/api/v1/location-independent-lists', cityAdmin, {
      validFrom: '2026-12-03', basis: 'Quyết định 999/QĐ-UBND ngày 01/12/2026', allCityLevel: false, procedureCodes: [land.code], reason: 'Danh mục do UBND thành phố ban hành',
    });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ validFrom: '2026-12-03', validTo: null, procedureCodes: [land.code], createdBy: cityAdmin.username });
    const again = await inject('POST', '/api/v1/location-independent-lists', cityAdmin, { validFrom: '2026-12-03', basis: 'Trùng', allCityLevel: true, procedureCodes: [], reason: 'Trùng ngày' });
    expect(again.statusCode).toBe(409);
    const versions = (await inject('GET', '/api/v1/location-independent-lists')).json().items;
    expect(versions.map((v: { validFrom: string; validTo: string | null }) => [v.validFrom, v.validTo])).toEqual([['2025-07-01', '2026-12-03'], ['2026-12-03', null]]);

    // Still the default list today (2026-12-02 after the post's day).
    expect((await inject('POST', '/api/v1/dossiers', receivingDesk, { ...intakeBody(land, RECEIVING.desk), authorityUnitCode: DECIDING })).json().outcome).toBe('refused');
    clock.setLocal('2026-12-03T08:30:00');
    const landElsewhere = await inject('POST', '/api/v1/dossiers', receivingDesk, { ...intakeBody(land, RECEIVING.desk), authorityUnitCode: DECIDING });
    expect(landElsewhere.statusCode, landElsewhere.body).toBe(201);
    const civilElsewhere = await inject('POST', '/api/v1/dossiers', receivingDesk, { ...intakeBody(civilStatus, RECEIVING.desk), authorityUnitCode: DECIDING });
    expect(civilElsewhere.json()).toMatchObject({ outcome: 'refused', form: { rule: { listBasis: 'Quyết định 999/QĐ-UBND ngày 01/12/2026' } } });
    const cityAtCommune = await inject('POST', '/api/v1/dossiers', receivingDesk, intakeBody(cityLevel, RECEIVING.desk));
    expect(cityAtCommune.json()).toMatchObject({ outcome: 'refused', form: { rule: { code: 'location_independent_list', ownDeskCode: 'TT48' } } });
    const cityDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '48' });
    expect((await inject('POST', '/api/v1/dossiers', cityDesk, intakeBody(cityLevel, 'TT48'))).statusCode).toBe(201);
  });
});
