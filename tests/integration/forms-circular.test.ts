import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { pdfText } from '../helpers/pdf.js';

/**
 * The forms of Thông tư 03/2025/TT-VPCP for a dossier received in 2026 at a commune centre of thành phố Đà Nẵng
 * (Quảng Nam's desks closed on 2025-06-30), those of Thông tư 01/2018/TT-VPCP for one received in 2024 at a
 * Quảng Nam commune desk: each printed as PDF and read back.
 */
const clock = TestClock.atLocal('2026-12-01T09:00:00'); // a Tuesday
let ctx: TestContext;
let p2026: ProcedurePick;
let p2024: ProcedurePick;
const UNIT_2026 = '20410'; // Phường Hội An
const DESK_2026 = `TX${UNIT_2026}`;
const UNIT_2024 = '20335'; // Phường Tân Thạnh, Tam Kỳ
const DESK_2024 = `X${UNIT_2024}`;
let desk2026: { authorization: string; username: string };
let desk2024: { authorization: string; username: string };

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  // What `npm start` does on 2026-12-01: every organisation version in force by then.
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
  const commune = sql`level = 'commune' and not location_independent and time_unit = 'working_day' and time_amount between 3 and 20 and cutoff_hour is null and jsonb_array_length(documents) >= 2
    and exists (select 1 from jsonb_array_elements(documents) d where (d->>'required')::boolean)`;
  // Without an online service: an online intake of it is refused (Mẫu 03) whatever desk takes it.
  p2026 = await pickProcedure(ctx, sql`${commune} and online_level = 'none'`, '2026-12-01');
  p2024 = await pickProcedure(ctx, commune, '2024-06-04');
  desk2026 = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: UNIT_2026 });
  desk2024 = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: UNIT_2024 });
});
afterAll(async () => ctx?.close());

type Auth = { authorization: string };
const post = (url: string, payload: unknown, auth: Auth) => ctx.app.inject({ method: 'POST', url, payload: payload as object, headers: auth });
const get = (url: string, auth: Auth) => ctx.app.inject({ method: 'GET', url, headers: auth });
/** A PDF answer read back as text, whitespace collapsed (a long line may wrap). */
async function printed(url: string, auth: Auth) {
  const res = await get(url, auth);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
}
const expectAll = (text: string, parts: string[]) => {
  for (const part of parts) expect(text, part).toContain(part);
};

async function receive(p: ProcedurePick, deskCode: string, auth: Auth, overrides: Record<string, unknown> = {}) {
  const res = await post('/api/v1/dossiers', intakeBody(p, deskCode, overrides), auth);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { dossierCode: string; form: Record<string, unknown> };
}
const agencyOf = async (code: string, auth: Auth) => (await get(`/api/v1/dossiers/${code}`, auth)).json().authorityAgencyCode as string;
/** A new appointment three working days after the dossier's own, as the calendar gives it. */
async function laterAppointment(code: string, auth: Auth) {
  const dueAt = (await get(`/api/v1/dossiers/${code}`, auth)).json().dueAt as string;
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?start=${encodeURIComponent(dueAt)}&amount=3&unit=working_day` });
  return res.json().dueAt as string;
}

const TT03 = '03/2025/TT-VPCP';
const TT01 = '01/2018/TT-VPCP';

describe('Thông tư 03/2025: a dossier received on 2026-12-01 at a commune centre', () => {
  it('prints all seven forms as PDF with their Vietnamese text, numbers and legal basis', async () => {
    clock.setLocal('2026-12-01T09:00:00');
    // Mẫu 01 at intake.
    const a = await receive(p2026, DESK_2026, desk2026);
    expect(a.form).toMatchObject({ form: 'Mẫu 01', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', formVersion: 'TT03/2025/Mẫu 01' });
    expect(a.form.legalBasis).toContain(`Thông tư số ${TT03}`);
    const receipt = await printed(`/api/v1/dossiers/${a.dossierCode}/forms/receipt?format=pdf`, desk2026);
    expectAll(receipt, ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Mẫu 01', TT03, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', a.dossierCode, 'Nguyễn Văn An', 'Thời gian tiếp nhận: 09:00 ngày 01/12/2026']);
    expect(receipt).not.toContain(TT01);

    // Mẫu 02 and 03 given at intake (no dossier made), printed again by their reference.
    const first = p2026.documents.find((d) => d.required)!;
    const missing = await post('/api/v1/dossiers', intakeBody(p2026, DESK_2026, { documents: [] }), desk2026);
    expect(missing.json()).toMatchObject({ outcome: 'not_received', form: { form: 'Mẫu 02', formVersion: 'TT03/2025/Mẫu 02' } });
    expectAll(await printed(`/api/v1/intake-decisions/${missing.json().reference}?format=pdf`, desk2026), ['Mẫu 02', TT03, 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', first.name]);
    const online = await post('/api/v1/dossiers', intakeBody(p2026, DESK_2026, { channel: 'online' }), desk2026);
    expect(online.json()).toMatchObject({ outcome: 'refused', form: { form: 'Mẫu 03', formVersion: 'TT03/2025/Mẫu 03' } });
    expectAll(await printed(`/api/v1/intake-decisions/${online.json().reference}?format=pdf`, desk2026), ['Mẫu 03', TT03, 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', 'chưa cung cấp dịch vụ công trực tuyến']);

    // Processing: handed to a specialist, a supplement asked (Mẫu 02) and received, an apology issued (Mẫu 04).
    const agency = await agencyOf(a.dossierCode, desk2026);
    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: agency }); // printed in a narrow column, wrapped
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: agency });
    clock.setLocal('2026-12-01T10:00:00');
    expect((await post(`/api/v1/dossiers/${a.dossierCode}/handoffs`, { toUsername: specialist.username }, desk2026)).statusCode).toBe(200);
    clock.setLocal('2026-12-01T14:00:00');
    expect((await post(`/api/v1/dossiers/${a.dossierCode}/supplement-requests`, { reason: 'Bản sao chưa chứng thực', items: ['Bản sao Giấy khai sinh có chứng thực'] }, specialist)).statusCode).toBe(200);
    expectAll(await printed(`/api/v1/dossiers/${a.dossierCode}/forms/supplement-guidance?format=pdf`, desk2026), [
      'Mẫu 02',
      TT03,
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Bản sao Giấy khai sinh có chứng thực',
      'Bản sao chưa chứng thực',
    ]);
    clock.setLocal('2026-12-02T08:00:00');
    expect((await post(`/api/v1/dossiers/${a.dossierCode}/supplement-received`, {}, desk2026)).statusCode).toBe(200);
    const newAppointment = await laterAppointment(a.dossierCode, desk2026);
    const apology = await post(`/api/v1/dossiers/${a.dossierCode}/apology`, { reason: 'Phải xác minh thêm với cơ quan khác', newAppointment }, head);
    expect(apology.statusCode, apology.body).toBe(200);
    expect(apology.json()).toMatchObject({ form: 'Mẫu 04', title: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết', formVersion: 'TT03/2025/Mẫu 04' });
    // The apology names the agency answering for the delay: the procedure's deciding agency in that commune.
    const decidingAgency = (await ctx.deps.db.execute<{ name: string }>(sql`select name from agencies where code = ${await agencyOf(a.dossierCode, desk2026)} limit 1`)).rows[0]!.name;
    expectAll(await printed(`/api/v1/dossiers/${a.dossierCode}/forms/apology?format=pdf`, desk2026), [
      'Mẫu 04',
      TT03,
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Phải xác minh thêm với cơ quan khác',
      'Thời gian hẹn trả kết quả mới',
      `Người ký: Cán bộ ${head.username}`,
      `Cơ quan giải quyết: ${decidingAgency}`,
    ]);

    // Mẫu 06: the control slip, a line per handoff.
    const slip = await printed(`/api/v1/dossiers/${a.dossierCode}/forms/control-slip?format=pdf`, desk2026);
    expectAll(slip, ['Mẫu 06', TT03, 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', a.dossierCode, 'Cán bộ specialist-', '10:00 ngày 01/12/2026', 'Đúng hạn']);

    // Mẫu 05: stopped at the applicant's request (a withdrawal, before any decision).
    clock.setLocal('2026-12-01T11:00:00');
    const b = await receive(p2026, DESK_2026, desk2026);
    clock.setLocal('2026-12-02T09:30:00');
    expect((await post(`/api/v1/dossiers/${b.dossierCode}/withdrawal`, { reason: 'Người nộp không còn nhu cầu' }, desk2026)).statusCode).toBe(200);
    const stopJson = (await get(`/api/v1/dossiers/${b.dossierCode}/forms/stop-notice`, desk2026)).json();
    expect(stopJson).toMatchObject({ form: 'Mẫu 05', title: 'Thông báo dừng giải quyết hồ sơ', formVersion: 'TT03/2025/Mẫu 05', dossierCode: b.dossierCode, reason: 'Người nộp không còn nhu cầu', stage: 'Đã tiếp nhận' });
    expectAll(await printed(`/api/v1/dossiers/${b.dossierCode}/forms/stop-notice?format=pdf`, desk2026), [
      'Mẫu 05',
      TT03,
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      b.dossierCode,
      'Người nộp không còn nhu cầu',
      'Thời gian tổ chức, cá nhân đề nghị dừng: 09:30 ngày 02/12/2026',
      'Chưa có quyết định giải quyết',
      'Điều 21 Nghị định 118/2025/NĐ-CP',
    ]);
    // A dossier not withdrawn has no such notice.
    expect((await get(`/api/v1/dossiers/${a.dossierCode}/forms/stop-notice`, desk2026)).statusCode).toBe(404);

    // Mẫu 03 after intake: processing stopped by the agency.
    const c = await receive(p2026, DESK_2026, desk2026);
    expect((await post(`/api/v1/dossiers/${c.dossierCode}/stop`, { reason: 'Giấy tờ không hợp lệ' }, head)).statusCode).toBe(200);
    expectAll(await printed(`/api/v1/dossiers/${c.dossierCode}/forms/refusal?format=pdf`, desk2026), ['Mẫu 03', TT03, 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', 'Giấy tờ không hợp lệ']);

    // Mẫu 07: the desk's register over the two days, as data, PDF and CSV.
    const url = `/api/v1/dossier-register?desk=${DESK_2026}&from=2026-12-01&to=2026-12-02`;
    const register = (await get(url, desk2026)).json();
    expect(register).toMatchObject({ form: 'Mẫu 07', title: 'Sổ theo dõi hồ sơ', formVersion: 'TT03/2025/Mẫu 07', deskCode: DESK_2026, count: 3 });
    expect(register.rows.map((r: { dossierCode: string }) => r.dossierCode)).toEqual([a.dossierCode, b.dossierCode, c.dossierCode]);
    expect(register.rows[0]).toMatchObject({ no: 1, receivedAt: '2026-12-01T09:00:00+07:00', sentAt: '2026-12-01T10:00:00+07:00', status: 'Đang giải quyết' });
    expect(register.rows[1]).toMatchObject({ status: 'Đã rút hồ sơ, trước hạn' });
    const registerPdf = await printed(`${url}&format=pdf`, desk2026);
    expectAll(registerPdf, ['Mẫu 07', TT03, 'SỔ THEO DÕI HỒ SƠ', 'từ ngày 01/12/2026 đến ngày 02/12/2026', a.dossierCode, b.dossierCode, c.dossierCode, 'Đã rút hồ sơ']);
    const csv = await get(`${url}&format=csv`, desk2026);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('STT,Mã hồ sơ,Tên thủ tục hành chính,"Tên tổ chức, cá nhân","Địa chỉ, số điện thoại",Cơ quan chủ trì giải quyết,Nhận hồ sơ,Hẹn trả kết quả,Chuyển hồ sơ đến cơ quan giải quyết,Nhận kết quả từ cơ quan giải quyết,"Trả kết quả cho tổ chức, cá nhân",Tình trạng');
    expect(lines[2]).toContain(`2,${b.dossierCode},`);
    expect(lines[2]).toContain('"Đã rút hồ sơ, trước hạn"');
  });
});

describe('Thông tư 01/2018: a dossier received on 2024-06-04 keeps its forms', () => {
  it('prints Thông tư 01/2018’s numbers and titles, and has no stop notice', async () => {
    clock.setLocal('2024-06-04T08:30:00');
    const d = await receive(p2024, DESK_2024, desk2024);
    expect(d.form).toMatchObject({ form: 'Mẫu 01', formVersion: 'TT01/2018/Mẫu 01' });
    const receipt = await printed(`/api/v1/dossiers/${d.dossierCode}/forms/receipt?format=pdf`, desk2024);
    expectAll(receipt, ['Mẫu 01', TT01, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', d.dossierCode, '08:30 ngày 04/06/2024']);
    expect(receipt).not.toContain(TT03);
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: await agencyOf(d.dossierCode, desk2024) });
    clock.setLocal('2024-06-04T09:00:00');
    expect((await post(`/api/v1/dossiers/${d.dossierCode}/handoffs`, { toRole: 'specialist' }, desk2024)).statusCode).toBe(200);
    expectAll(await printed(`/api/v1/dossiers/${d.dossierCode}/forms/control-slip?format=pdf`, desk2024), ['Mẫu 05', TT01, 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ']);
    const apology = await post(`/api/v1/dossiers/${d.dossierCode}/apology`, { reason: 'Chờ ý kiến cơ quan khác', newAppointment: await laterAppointment(d.dossierCode, desk2024) }, head);
    expect(apology.json()).toMatchObject({ form: 'Mẫu 04', title: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', formVersion: 'TT01/2018/Mẫu 04' });
    expectAll(await printed(`/api/v1/dossiers/${d.dossierCode}/forms/apology?format=pdf`, desk2024), ['Mẫu 04', TT01, 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ']);

    const e = await receive(p2024, DESK_2024, desk2024);
    expect((await post(`/api/v1/dossiers/${e.dossierCode}/withdrawal`, { reason: 'Rút hồ sơ' }, desk2024)).statusCode).toBe(200);
    const none = await get(`/api/v1/dossiers/${e.dossierCode}/forms/stop-notice`, desk2024);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toContain('Thông tư 01/2018/TT-VPCP has no form');

    const register = (await get(`/api/v1/dossier-register?desk=${DESK_2024}&from=2024-06-04&to=2024-06-04`, desk2024)).json();
    expect(register).toMatchObject({ form: 'Mẫu 06', formVersion: 'TT01/2018/Mẫu 06', count: 2 });
    expectAll(await printed(`/api/v1/dossier-register?desk=${DESK_2024}&from=2024-06-04&to=2024-06-04&format=pdf`, desk2024), ['Mẫu 06', TT01, 'SỔ THEO DÕI HỒ SƠ', d.dossierCode, e.dossierCode]);
  });
});

describe('the register: who may read it, and which periods', () => {
  it('is for the desk’s own staff and the province’s administrators and auditors', async () => {
    const url = `/api/v1/dossier-register?desk=${DESK_2024}&from=2024-06-01&to=2024-06-30`;
    const other = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
    const refused = await get(url, other);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(DESK_2024 + '-');
    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'STP' });
    expect((await get(url, specialist)).statusCode).toBe(403);
    expect((await get(url, await loginAs(ctx, 'auditor', { kind: 'unit', code: '49' }))).statusCode).toBe(200);
    expect((await get(url, await loginAs(ctx, 'unit_admin', { kind: 'unit', code: UNIT_2024 }))).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('refuses a period that is reversed, longer than a year or across the day the new forms begin, and an unknown desk', async () => {
    const reg = (q: string) => get(`/api/v1/dossier-register?${q}`, desk2024);
    const cases: [string, number, RegExp][] = [
      [`desk=${DESK_2024}&from=2024-06-30&to=2024-06-01`, 400, /must not be before from/],
      [`desk=${DESK_2024}&from=2024-01-01&to=2025-01-02`, 400, /at most 366 days/],
      [`desk=${DESK_2024}&from=2025-06-01&to=2025-07-31`, 400, /from 2025-07-01 .*Mẫu 07.*Mẫu 06/],
      [`desk=${DESK_2024}&from=2024-02-30&to=2024-03-01`, 400, /querystring\.from/],
      [`desk=${DESK_2024}&from=2024-06-01&to=2024-06-30&format=xls`, 400, /querystring\.format/],
      [`from=2024-06-01&to=2024-06-30`, 400, /querystring\.desk/],
      [`desk=X99999&from=2024-06-01&to=2024-06-30`, 404, /X99999/],
      [`desk=${DESK_2024}&from=2026-01-01&to=2026-01-31`, 404, /not in force/],
    ];
    for (const [q, status, message] of cases) {
      const res = await reg(q);
      expect(res.statusCode, q).toBe(status);
      expect(res.json().error.message, q).toMatch(message);
    }
  });
});
