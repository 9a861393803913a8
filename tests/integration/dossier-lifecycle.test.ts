import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, loginAs, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { pdfText } from '../helpers/pdf.js';

// Monday 2024-06-03 08:00 local: an ordinary working week (no holiday until 2024-09-02).
const clock = TestClock.atLocal('2024-06-03T08:00:00');
let ctx: TestContext;
let procedure: ProcedurePick;
let desk: { authorization: string; username: string };
const COMMUNE = '20335'; // Phường Tân Thạnh, Tam Kỳ
const DESK = `X${COMMUNE}`;

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  procedure = await pickProcedure(
    ctx,
    sql`level = 'commune' and time_unit = 'working_day' and time_amount between 3 and 10 and cutoff_hour is null and jsonb_array_length(documents) >= 2`,
  );
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: COMMUNE });
});
afterAll(async () => ctx?.close());

const post = (url: string, payload: unknown, auth: { authorization: string }, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...auth, ...headers } });
const get = (url: string, auth: { authorization: string }) => ctx.app.inject({ method: 'GET', url, headers: auth });
const count = async (table: string) => Number((await ctx.deps.pool.query(`select count(*) from ${table}`)).rows[0].count);

/** The dossier's deciding agency (its staff hold their roles over it). */
const authorityOf = async (code: string) => (await get(`/api/v1/dossiers/${code}`, desk)).json().authorityAgencyCode as string;
/** Two new specialist accounts of an agency (colleagues in one test). */
const twoSpecialistsOf = (agencyCode: string) =>
  Promise.all([loginAs(ctx, 'specialist', { kind: 'agency', code: agencyCode }), loginAs(ctx, 'specialist', { kind: 'agency', code: agencyCode })]);

/** An account of the dossier's deciding agency holding `role` there (one per agency and role). */
const agencyStaff = new Map<string, Promise<{ authorization: string; username: string }>>();
async function ofAgency(code: string, role: 'specialist' | 'agency_head') {
  const agencyCode = await authorityOf(code);
  const key = `${agencyCode}:${role}`;
  if (!agencyStaff.has(key)) agencyStaff.set(key, loginAs(ctx, role, { kind: 'agency', code: agencyCode }));
  return agencyStaff.get(key)!;
}

async function receive(overrides: Record<string, unknown> = {}) {
  const res = await post('/api/v1/dossiers', intakeBody(procedure, DESK, overrides), desk);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { outcome: string; dossierCode: string; form: Record<string, unknown> };
}

describe('intake at the desk', () => {
  it('receives a complete dossier: code, appointment from the calendar, receipt (Mẫu 01)', async () => {
    clock.setLocal('2024-06-03T08:00:00');
    const r = await receive();
    expect(r.outcome).toBe('received');
    expect(r.dossierCode).toMatch(new RegExp(`^${DESK}-240603-\\d{4}$`));
    // The receipt names the officer who received it, not their account.
    expect(r.form).toMatchObject({ form: 'Mẫu 01', dossierCode: r.dossierCode, receivedAt: '2024-06-03T08:00:00+07:00', receivedBy: `Cán bộ ${desk.username}` });
    // N working days from Monday 08:00 in a week without holidays: N × 480 minutes later.
    const due = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/calendar/due-date?start=2024-06-03T08:00:00%2B07:00&amount=${procedure.timeAmount}&unit=working_day`,
    });
    const d = (await get(`/api/v1/dossiers/${r.dossierCode}`, desk)).json();
    expect(new Date(d.dueAt).getTime()).toBe(new Date(due.json().dueAt).getTime());
    expect(d.applicant.citizenIdMasked).toBe('*********234');
    expect(JSON.stringify(d)).not.toContain('049090001234');
    expect(d.history[0]).toMatchObject({ type: 'received', toStatus: 'received' });
  });

  it('numbers dossiers per desk per day', async () => {
    clock.setLocal('2024-06-04T09:00:00');
    const a = await receive();
    const b = await receive();
    const seq = (code: string) => Number(code.split('-').at(-1));
    expect(a.dossierCode).toContain('-240604-');
    expect(seq(b.dossierCode)).toBe(seq(a.dossierCode) + 1);
  });

  it('numbers intakes arriving together at one desk without gap or repeat, written in groups (group commit)', async () => {
    clock.setLocal('2024-06-05T09:00:00');
    const groups = async () => {
      const { values } = await ctx.deps.metrics.intakeGroupSize.get();
      const of = (name: string) => values.find((v) => v.metricName === `motcua_intake_group_size_${name}`)?.value ?? 0;
      return { count: of('count'), sum: of('sum') };
    };
    const before = await groups();
    const results = await Promise.all(Array.from({ length: 40 }, () => receive()));
    const seq = (code: string) => Number(code.split('-').at(-1));
    const numbers = results.map((r) => seq(r.dossierCode)).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => numbers[0]! + i));
    const after = await groups();
    // 40 intakes in fewer commits than intakes: some went together.
    expect(after.sum - before.sum).toBe(40);
    expect(after.count - before.count).toBeLessThan(40);
  });

  it('a failure inside a group fails only its own intake: the others are written again, still without a gap', async () => {
    clock.setLocal('2024-06-06T09:00:00');
    // Two requests with one new Idempotency-Key race into the same group: the second's key record fails the
    // group's commit; the group is written again one by one, and the loser answers with the winner's dossier.
    const body = intakeBody(procedure, DESK);
    const keyed = () => post('/api/v1/dossiers', body, desk, { 'idempotency-key': 'group-race-0001' });
    const [k1, k2, ...plain] = await Promise.all([keyed(), keyed(), ...Array.from({ length: 10 }, () => receive())]);
    expect(k1!.statusCode, k1!.body).toBe(201);
    expect(k2!.statusCode, k2!.body).toBe(201);
    expect(k2!.json().dossierCode).toBe(k1!.json().dossierCode);
    const codes = [k1!.json().dossierCode as string, ...plain.map((r) => r.dossierCode)];
    const seq = (code: string) => Number(code.split('-').at(-1));
    const numbers = codes.map(seq).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 11 }, (_, i) => i + 1)); // the day's first eleven, none lost
    const { rows } = await ctx.deps.pool.query(`select count(*)::int as n from dossiers where code like $1`, [`${DESK}-240606-%`]);
    expect(rows[0].n).toBe(11);
  });

  it('computes the appointment again when another process changed the calendar during the intake', async () => {
    clock.setLocal('2025-06-16T08:00:00'); // a Monday
    const plain = await ctx.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?start=2025-06-16T08:00:00%2B07:00&amount=${procedure.timeAmount}&unit=working_day` });
    // Another process declares Tuesday a day off: in the database only, this process has not reloaded.
    await ctx.deps.pool.query(`insert into calendar_days (date, kind, name, source, status, updated_by) values ('2025-06-17', 'holiday', 'Nghỉ đột xuất (thử)', 'test', 'official', 'test')`);
    await ctx.deps.pool.query(`insert into calendar_revision (id, revision) values (1, 1) on conflict (id) do update set revision = calendar_revision.revision + 1`);
    try {
      const r = await receive();
      const d = (await get(`/api/v1/dossiers/${r.dossierCode}`, desk)).json();
      const withHoliday = await ctx.app.inject({ method: 'GET', url: `/api/v1/calendar/due-date?start=2025-06-16T08:00:00%2B07:00&amount=${procedure.timeAmount}&unit=working_day` });
      expect(new Date(d.dueAt).getTime()).toBe(new Date(withHoliday.json().dueAt).getTime());
      expect(new Date(d.dueAt).getTime()).toBeGreaterThan(new Date(plain.json().dueAt).getTime());
    } finally {
      await ctx.deps.pool.query(`delete from calendar_days where date = '2025-06-17'`);
      await ctx.deps.pool.query(`update calendar_revision set revision = revision + 1`);
    }
  });

  it('does not receive an incomplete dossier: guidance (Mẫu 02) lists every missing item', async () => {
    const before = await count('dossiers');
    const required = procedure.documents.filter((d) => d.required);
    const res = await post('/api/v1/dossiers', intakeBody(procedure, DESK, { documents: [] }), desk);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.outcome).toBe('not_received');
    expect(body.form.form).toBe('Mẫu 02');
    expect(body.form.items.map((i: { name: string }) => i.name)).toEqual(required.map((d) => d.name));
    expect(body.reference).toMatch(/^BS-/);
    expect(await count('dossiers')).toBe(before);
    // The desk prints it again by its reference; another commune's officer does not see it.
    const again = await get(`/api/v1/intake-decisions/${body.reference}`, desk);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ form: 'Mẫu 02', reference: body.reference, outcome: 'not_received', items: body.form.items });
    const pdf = await get(`/api/v1/intake-decisions/${body.reference}?format=pdf`, desk);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const stranger = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20338' });
    expect((await get(`/api/v1/intake-decisions/${body.reference}`, stranger)).statusCode).toBe(404);
    expect((await get('/api/v1/intake-decisions/not-a-reference', desk)).statusCode).toBe(400);
  });

  it('refuses a procedure outside the desk competence (Mẫu 03) with the reason', async () => {
    const provincial = await pickProcedure(ctx, sql`level = 'province' and not location_independent`);
    const res = await post('/api/v1/dossiers', intakeBody(provincial, DESK), desk);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'refused', form: { form: 'Mẫu 03' } });
    expect(res.json().form.reason).toMatch(/cấp tỉnh/);
  });

  it('refuses online intake of a procedure with no online service, and takes it where there is one', async () => {
    const offline = await pickProcedure(ctx, sql`level = 'commune' and online_level = 'none'`);
    const res = await post('/api/v1/dossiers', intakeBody(offline, DESK, { channel: 'online' }), desk);
    expect(res.json()).toMatchObject({ outcome: 'refused', form: { form: 'Mẫu 03' } });
    expect(res.json().form.reason).toMatch(/trực tuyến/);
    const online = await pickProcedure(ctx, sql`level = 'commune' and online_level <> 'none'`);
    expect((await post('/api/v1/dossiers', intakeBody(online, DESK, { channel: 'online' }), desk)).statusCode).toBe(201);
  });

  it('refuses postal intake where the postal operator does not cover the desk', async () => {
    // Tân Thạnh (Tam Kỳ) is not among the 19 commune desks handed to the postal operator.
    const res = await post('/api/v1/dossiers', intakeBody(procedure, DESK, { channel: 'postal' }), desk);
    expect(res.json().outcome).toBe('refused');
    expect(res.json().form.reason).toMatch(/bưu chính/);
  });

  it('replays the first response for the same Idempotency-Key and body; 422 for another body', async () => {
    const body = intakeBody(procedure, DESK);
    const headers = { 'idempotency-key': 'intake-key-0001' };
    const first = await post('/api/v1/dossiers', body, desk, headers);
    const again = await post('/api/v1/dossiers', body, desk, headers);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    const before = await count('dossiers');
    const other = await post('/api/v1/dossiers', { ...body, note: 'khác' }, desk, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('dossiers')).toBe(before);
  });

  it('makes one dossier of two concurrent requests with the same key', async () => {
    const body = intakeBody(procedure, DESK);
    const headers = { 'idempotency-key': 'intake-key-race-01' };
    const before = await count('dossiers');
    const [a, b] = await Promise.all([post('/api/v1/dossiers', body, desk, headers), post('/api/v1/dossiers', body, desk, headers)]);
    expect(a.json().dossierCode).toBe(b.json().dossierCode);
    expect(await count('dossiers')).toBe(before + 1);
  });

  it('rejects bad input with 400 naming the field, writing nothing', async () => {
    const before = [await count('dossiers'), await count('intake_decisions'), await count('outbox')];
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ channel: 'fax' }, /body\.channel/],
      [{ applicant: { kind: 'person', name: 'A', citizenId: '123', phone: '0905123456', address: 'x' } }, /body\.applicant\.citizenId/],
      [{ applicant: { kind: 'person', name: 'A', citizenId: '049090001234', phone: '12', address: 'x' } }, /body\.applicant\.phone/],
      [{ resultDelivery: { method: 'post' } }, /body\.resultDelivery/],
      [{ procedureCode: '' }, /body\.procedureCode/],
      [{ receivedAt: '2024-06-01T08:00:00' }, /body\.receivedAt: must be an ISO 8601 instant with offset/],
      // Four days back: beyond INTAKE_BACKDATE_MAX_HOURS (72), it would rewrite a closed period of the index.
      [{ receivedAt: new Date(clock.now().getTime() - 96 * 3_600_000).toISOString() }, /body\.receivedAt: at most 72 hours/],
    ];
    for (const [override, message] of bad) {
      const res = await post('/api/v1/dossiers', intakeBody(procedure, DESK, override), desk);
      expect(res.statusCode, JSON.stringify(override)).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    expect((await post('/api/v1/dossiers', intakeBody({ ...procedure, code: '9.999999' }, DESK), desk)).statusCode).toBe(404);
    // A form-encoded body (curl -d without a content type) is told what to send.
    const form = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: 'channel=desk', headers: { ...desk, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.message).toMatch(/content-type: application\/json/);
    // A query parameter a list does not know (offset paging on a keyset list) is refused, not ignored.
    const paged = await get('/api/v1/dossiers?desk=H502&page=2', desk);
    expect(paged.statusCode).toBe(400);
    expect(paged.json().error.message).toMatch(/page/);
    expect(await Promise.all([count('dossiers'), count('intake_decisions'), count('outbox')])).toEqual(before);
  });

  it('requires a staff token', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(procedure, DESK) });
    expect(res.statusCode).toBe(401);
  });
});

describe('processing: handoffs, supplement, outcome, lookup, rating', () => {
  it('runs a whole desk-channel lifecycle', async () => {
    clock.setLocal('2024-06-05T08:00:00'); // Wednesday
    const { dossierCode: code, form } = await receive();
    const received = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    const agency = await loginAs(ctx, 'specialist', { kind: 'agency', code: received.authorityAgencyCode });

    clock.setLocal('2024-06-05T09:00:00');
    const h1 = await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: received.authorityAgencyCode, toRole: 'specialist' }, desk);
    expect(h1.statusCode, h1.body).toBe(200);
    expect(h1.json().status).toBe('in_processing');

    // Supplement requested Wednesday 10:00, received Thursday 10:00: one working day (480 min) paused.
    clock.setLocal('2024-06-05T10:00:00');
    const sr = await post(`/api/v1/dossiers/${code}/supplement-requests`, { reason: 'Thiếu chữ ký', items: ['Tờ khai có chữ ký'] }, agency);
    expect(sr.statusCode, sr.body).toBe(200);
    expect(sr.json()).toMatchObject({ status: 'supplement_requested', dueAt: null, supplementRequests: 1 });
    clock.setLocal('2024-06-06T10:00:00');
    const rs = await post(`/api/v1/dossiers/${code}/supplement-received`, {}, desk);
    expect(rs.statusCode, rs.body).toBe(200);
    const moved = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/calendar/working-time?from=${encodeURIComponent(received.dueAt)}&to=${encodeURIComponent(rs.json().dueAt)}`,
    });
    expect(moved.json().minutes).toBe(480);

    // The specialist has examined it and hands it to the head, who signs the result (the deciding agency's head).
    clock.setLocal('2024-06-06T13:00:00');
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head', note: 'Đề xuất cấp' }, agency)).statusCode).toBe(200);
    clock.setLocal('2024-06-06T14:00:00');
    const head = await ofAgency(code, 'agency_head');
    expect((await post(`/api/v1/dossiers/${code}/completion`, { resultReference: 'KQ-001' }, head)).statusCode).toBe(200);
    clock.setLocal('2024-06-06T15:00:00');
    const ret = await post(`/api/v1/dossiers/${code}/return`, { method: 'desk' }, desk);
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', timeliness: 'early' });

    // The control slip (Mẫu 05) follows the dossier to the applicant: each handoff, the result handed to the desk
    // (completion) and to the applicant (return), each with its step's own timeliness.
    const slip = (await get(`/api/v1/dossiers/${code}/control-slip`, desk)).json();
    expect(slip.lines).toHaveLength(4);
    expect(slip.lines[0]).toMatchObject({ kind: 'handoff', stepOrder: 1, giverUsername: desk.username, receiverAgencyCode: received.authorityAgencyCode });
    expect(slip.lines[1]).toMatchObject({ kind: 'handoff', stepOrder: 2, giverUsername: agency.username, receiverRole: 'agency_head' });
    expect(slip.lines[2]).toMatchObject({ kind: 'completion', stepOrder: 3, giverUsername: head.username, receiverAgencyCode: DESK, receiverRole: 'desk_officer' });
    const steps = (await get(`/api/v1/procedures/${procedure.code}`, desk)).json().steps as { order?: number; stepOrder?: number; minutes: number }[];
    const returnStep = Math.max(...steps.map((s) => s.stepOrder ?? s.order ?? 0));
    expect(slip.lines[3]).toMatchObject({ kind: 'return', stepOrder: returnStep, giverUsername: desk.username, giverAgencyCode: DESK, receiverRole: 'applicant' });
    // Completed Thursday 14:00, 30 working minutes after the head received it at 13:00 (lunch until 13:30); returned
    // an hour after that, the return step's clock started at the completion: within their steps.
    expect(slip.lines[2]).toMatchObject({ stepMinutesUsed: 30, timeliness: 'early' });
    expect(slip.lines[3]).toMatchObject({ stepMinutesUsed: 60 });
    expect(Date.parse(slip.lines[3].stepStartedAt)).toBe(Date.parse('2024-06-06T14:00:00+07:00'));
    for (const l of slip.lines) expect(['early', 'on_time', 'late']).toContain(l.timeliness);
    // The printed control slip (Mẫu 05) names people and roles as a reader would.
    const printed = (await get(`/api/v1/dossiers/${code}/forms/control-slip`, desk)).json();
    expect(printed.lines[1]).toMatchObject({ giver: `Cán bộ ${agency.username} (${received.authorityAgencyCode})`, receiver: `Lãnh đạo (${received.authorityAgencyCode})` });
    expect(printed.lines[3]).toMatchObject({ kind: 'Trả kết quả cho tổ chức, cá nhân', receiver: `Tổ chức, cá nhân: Nguyễn Văn An (${DESK})` });

    const phone = received.applicant.phone.slice(-4);
    const lookup = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=${phone}` });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({ status: 'returned', applicantName: 'N***** V** A*' });
    const wrong = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=0000` });
    const unknown = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${DESK}-240605-9999?phone=${phone}` });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe(unknown.json().error.code);

    const rate = (token: string) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/public/dossiers/${code}/rating`, payload: { token, score: 'satisfied' } });
    expect((await rate('wrongtoken123456')).statusCode).toBe(404);
    expect((await rate('ạạạạạạạạạạạạạạạạ')).statusCode).toBe(400);
    expect((await rate(form.ratingToken as string)).statusCode).toBe(201);
    expect((await rate(form.ratingToken as string)).statusCode).toBe(409);
  });

  it('records a second supplement request as such', async () => {
    clock.setLocal('2024-06-10T08:00:00');
    const { dossierCode: code } = await receive();
    for (let i = 1; i <= 2; i++) {
      await post(`/api/v1/dossiers/${code}/supplement-requests`, { reason: `Lần ${i}`, items: ['Bản sao'] }, desk);
      clock.advanceMinutes(30);
      await post(`/api/v1/dossiers/${code}/supplement-received`, {}, desk);
    }
    const d = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(d.supplementRequests).toBe(2);
    const second = d.history.filter((h: { type: string }) => h.type === 'request_supplement')[1];
    expect(second.data).toMatchObject({ requestNumber: 2, repeated: true });
    expect(d.pauses).toHaveLength(2);
  });

  it('judges a dossier finished after its appointment late', async () => {
    clock.setLocal('2024-06-11T08:00:00');
    const { dossierCode: code } = await receive();
    clock.setLocal('2024-07-31T10:00:00');
    await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' }, desk);
    const done = await post(`/api/v1/dossiers/${code}/completion`, {}, await ofAgency(code, 'agency_head'));
    expect(done.json()).toMatchObject({ status: 'processed', timeliness: 'late' });
    // The first ending fixes timeliness: returning later does not change it.
    const ret = await post(`/api/v1/dossiers/${code}/return`, { method: 'desk' }, desk);
    expect(ret.json().timeliness).toBe('late');
    expect(ret.json().endedAt).toBe(done.json().endedAt);
  });

  it('withdraws and stops with a reason', async () => {
    const { dossierCode: a } = await receive();
    expect((await post(`/api/v1/dossiers/${a}/withdrawal`, { reason: 'Công dân xin rút' }, desk)).json().status).toBe('withdrawn');
    const { dossierCode: b } = await receive();
    expect((await post(`/api/v1/dossiers/${b}/stop`, { reason: 'Không đủ điều kiện' }, await ofAgency(b, 'agency_head'))).json().status).toBe('stopped');
    const refusal = (await get(`/api/v1/dossiers/${b}/forms/refusal`, desk)).json();
    expect(refusal).toMatchObject({ form: 'Mẫu 03', reason: 'Không đủ điều kiện' });
    // The citizen is not promised a result that will not come.
    const phone = (await get(`/api/v1/dossiers/${b}`, desk)).json().applicant.phone.slice(-4);
    const looked = (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${b}?phone=${phone}` })).json();
    expect(looked).toMatchObject({ status: 'stopped', appointment: null });
    expect(looked.collect).toMatch(/^Hồ sơ dừng xử lý/);
  });
});

describe('who may do which act (separation of duties)', () => {
  it('lets the desk receive and return, the holder of the step and the agency decide; others get 403 and nothing changes', async () => {
    clock.setLocal('2024-06-12T08:00:00');
    const { dossierCode: code } = await receive();
    const specialist = await ofAgency(code, 'specialist');
    const head = await ofAgency(code, 'agency_head');
    const unitAdmin = await loginAs(ctx, 'unit_admin', { kind: 'unit', code: COMMUNE });
    const version = async () => (await get(`/api/v1/dossiers/${code}`, desk)).json().version as number;
    const refused = async (path: string, body: unknown, who: { authorization: string }) => {
      const before = await version();
      const res = await post(`/api/v1/dossiers/${code}/${path}`, body, who);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(await version()).toBe(before);
      return res.json().error;
    };

    // At the desk's step: the agency cannot take it before it is handed over; nobody but the agency stops it.
    await refused('handoffs', { toRole: 'specialist' }, specialist);
    await refused('stop', { reason: 'x' }, desk);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' }, desk)).statusCode).toBe(200);

    // Now the specialist holds it: the desk can neither hand it on nor decide it. Each sees what is theirs.
    const actsOf = async (who: { authorization: string }) => (await get(`/api/v1/dossiers/${code}`, who)).json().yourActs;
    expect(await actsOf(desk)).toEqual(['withdraw']);
    // The specialist examines (step 2) but does not sign: completing waits for the deciding step, or the head.
    expect(await actsOf(specialist)).toEqual(['handoff', 'request_supplement', 'withdraw']);
    expect(await actsOf(head)).toEqual(['handoff', 'request_supplement', 'complete', 'stop', 'withdraw']);
    const early = await refused('completion', {}, specialist);
    expect(early.details).toMatchObject({ currentStep: 2, decidingStep: expect.any(Number) });
    const error = await refused('handoffs', { toRole: 'agency_head' }, desk);
    expect(error.details.holder).toMatchObject({ role: 'specialist' });
    await refused('completion', {}, desk);
    await refused('completion', {}, unitAdmin);
    await refused('stop', { reason: 'x' }, specialist);
    // The unit's administrator may reassign (an officer away); the head acts for the agency's staff.
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', note: 'Giao lại' }, unitAdmin)).statusCode).toBe(200);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head' }, specialist)).statusCode).toBe(200);
    await refused('completion', {}, specialist); // held by the head now
    expect((await post(`/api/v1/dossiers/${code}/completion`, { resultReference: 'KQ-SOD' }, head)).statusCode).toBe(200);

    // Returning the result is the desk's.
    await refused('return', { method: 'desk' }, head);
    expect((await post(`/api/v1/dossiers/${code}/return`, { method: 'desk' }, desk)).statusCode).toBe(200);
  });

  it('hands to a person only where they could act; their own agency when none is named', async () => {
    clock.setLocal('2024-06-12T10:00:00');
    const { dossierCode: code } = await receive();
    const agencyCode = await authorityOf(code);
    // Not to the desk officer themselves at the agency (to decide it), nor to an account that acts nowhere here.
    const self = await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: agencyCode, toUsername: desk.username }, desk);
    expect(self.statusCode).toBe(400);
    expect(self.json().error.message).toMatch(/body\.toUsername/);
    const elsewhere = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'ZZ-CLOSED' }); // an agency that is no more
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toUsername: elsewhere.username }, desk)).statusCode).toBe(400);
    expect((await get(`/api/v1/dossiers/${code}`, desk)).json().version).toBe(1);
    // A person of the deciding agency, named alone: the dossier goes to their agency, and they can act on it.
    const named = await loginAs(ctx, 'specialist', { kind: 'agency', code: agencyCode });
    const h = await post(`/api/v1/dossiers/${code}/handoffs`, { toUsername: named.username }, desk);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json().holder).toEqual({ agencyCode, role: null, username: named.username });
    expect((await get(`/api/v1/dossiers/${code}`, named)).json().yourActs).toEqual(['handoff', 'request_supplement', 'withdraw']);
  });

  it('does not let a specialist sign, however many times the dossier went round between specialists', async () => {
    clock.setLocal('2024-06-12T10:30:00');
    const { dossierCode: code } = await receive();
    const agencyCode = await authorityOf(code);
    const [a, b] = await twoSpecialistsOf(agencyCode);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', toUsername: a.username }, desk)).statusCode).toBe(200);
    for (const [from, to] of [[a, b], [b, a], [a, b], [b, a]] as const) {
      expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', toUsername: to.username }, from)).statusCode).toBe(200);
    }
    const refusal = await post(`/api/v1/dossiers/${code}/completion`, { resultReference: 'Số 4/QĐ-UBND' }, a);
    expect(refusal.statusCode, refusal.body).toBe(403);
    // Reassignments within the examination keep the step, and the control slip says so.
    expect((await get(`/api/v1/dossiers/${code}`, a)).json().currentStep).toBe(2);
    const slip = (await get(`/api/v1/dossiers/${code}/control-slip`, desk)).json().lines as { kind: string; stepOrder: number }[];
    expect(slip.map((l) => [l.kind, l.stepOrder])).toEqual([['handoff', 1], ...Array(4).fill(['reassignment', 2])]);
    expect((await get(`/api/v1/dossiers/${code}`, a)).json()).toMatchObject({ status: 'in_processing', yourActs: ['handoff', 'request_supplement', 'withdraw'] });
    expect((await post(`/api/v1/dossiers/${code}/completion`, {}, await ofAgency(code, 'agency_head'))).statusCode).toBe(200);
  });

  it('moves the step with the process: on to the head, back to the specialist, on again; the step clock restarts only on a new step', async () => {
    clock.setLocal('2024-06-13T08:00:00');
    const { dossierCode: code } = await receive();
    const specialist = await ofAgency(code, 'specialist');
    const head = await ofAgency(code, 'agency_head');
    const step = async () => (await get(`/api/v1/dossiers/${code}`, desk)).json() as { currentStep: number };
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' }, desk)).statusCode).toBe(200);
    expect((await step()).currentStep).toBe(2);
    clock.setLocal('2024-06-13T09:00:00');
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head' }, specialist)).statusCode).toBe(200);
    expect((await step()).currentStep).toBe(3);
    clock.setLocal('2024-06-13T10:00:00');
    const back = await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', note: 'Xem lại' }, head);
    expect(back.statusCode, back.body).toBe(200);
    expect((await step()).currentStep).toBe(2);
    // A reassignment to the unit's own pool of specialists keeps the step and its clock.
    clock.setLocal('2024-06-13T11:00:00');
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' }, specialist)).statusCode).toBe(200);
    expect((await step()).currentStep).toBe(2);
    const slip = (await get(`/api/v1/dossiers/${code}/control-slip`, desk)).json().lines as { kind: string; stepOrder: number; stepStartedAt: string }[];
    expect(slip.map((l) => [l.kind, l.stepOrder])).toEqual([['handoff', 1], ['handoff', 2], ['handoff', 3], ['reassignment', 2]]);
    expect(Date.parse(slip[3]!.stepStartedAt)).toBe(Date.parse('2024-06-13T10:00:00+07:00'));
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head' }, specialist)).statusCode).toBe(200);
    expect((await step()).currentStep).toBe(3);
  });

  it("hands a dossier to another desk, whose officers then see it and act on it", async () => {
    clock.setLocal('2024-06-12T11:00:00');
    const { dossierCode: code } = await receive();
    const otherCommune = '20338';
    const there = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: otherCommune });
    expect((await get(`/api/v1/dossiers/${code}`, there)).statusCode).toBe(404);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: `X${otherCommune}` }, desk)).statusCode).toBe(200);
    expect((await get(`/api/v1/dossiers/${code}`, there)).json().yourActs).toEqual(['handoff', 'request_supplement', 'withdraw']);
    const listed = await get(`/api/v1/dossiers?agency=X${otherCommune}`, there);
    expect(listed.json().items.map((d: { code: string }) => d.code)).toContain(code);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist' }, there)).statusCode).toBe(200);
  });

  it('lets only the person a step was handed to (or the agency head) act on it', async () => {
    clock.setLocal('2024-06-12T09:00:00');
    const { dossierCode: code } = await receive();
    const agencyCode = await authorityOf(code);
    const [named, colleague] = await twoSpecialistsOf(agencyCode);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toUsername: named.username }, desk)).statusCode).toBe(200);
    expect((await post(`/api/v1/dossiers/${code}/supplement-requests`, { reason: 'x', items: ['y'] }, colleague)).statusCode).toBe(403);
    expect((await post(`/api/v1/dossiers/${code}/supplement-requests`, { reason: 'Thiếu', items: ['Bản sao'] }, named)).statusCode).toBe(200);
    // The applicant brings the supplement to the desk.
    expect((await post(`/api/v1/dossiers/${code}/supplement-received`, {}, desk)).statusCode).toBe(200);
  });
});

describe('printable forms', () => {
  it('prints the receipt (Mẫu 01) and the refusal (Mẫu 03) as PDF with the Vietnamese text intact', async () => {
    clock.setLocal('2024-06-03T08:00:00');
    const { dossierCode: code } = await receive();
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/forms/receipt?format=pdf`, headers: desk });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const t = await pdfText(res.rawPayload);
    for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', code, 'Nguyễn Văn An', 'Thời gian hẹn trả kết quả', '08:00 ngày 03/06/2024']) {
      expect(t).toContain(expected);
    }
    expect(t).not.toContain('049090001234'); // the citizen ID only masked
    const byAccept = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/forms/receipt`, headers: { ...desk, accept: 'application/pdf' } });
    expect(byAccept.headers['content-type']).toBe('application/pdf');

    await post(`/api/v1/dossiers/${code}/stop`, { reason: 'Hồ sơ giả mạo giấy tờ' }, await ofAgency(code, 'agency_head'));
    const refusal = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/forms/refusal?format=pdf`, headers: desk });
    const refusalText = await pdfText(refusal.rawPayload);
    expect(refusalText).toContain('Hồ sơ giả mạo giấy tờ');
    expect(refusalText).toContain('Cán bộ agency_head-'); // the head's full name (test accounts: "Cán bộ <username>")
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/forms/receipt?format=doc`, headers: desk })).statusCode).toBe(400);
  });
});

describe('guards found in review', () => {
  it('locks a code after 5 wrong phone endings, from any address, for known and unknown codes alike', async () => {
    const { dossierCode: code } = await receive();
    const lookup = (c: string, phone: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${c}?phone=${phone}` });
    for (let i = 0; i < 5; i++) expect((await lookup(code, `000${i}`)).statusCode).toBe(404);
    expect((await lookup(code, '0001')).statusCode).toBe(429);
    const unknown = `${DESK}-240101-0999`;
    for (let i = 0; i < 5; i++) await lookup(unknown, `000${i}`);
    expect((await lookup(unknown, '0001')).statusCode).toBe(429);
  });

  it('refuses a handoff to an agency or person that does not exist', async () => {
    const { dossierCode: code } = await receive();
    const res = await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: 'ZZZ' }, desk);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/body\.toAgencyCode/);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toUsername: 'nobody-here' }, desk)).statusCode).toBe(400);
    // Nor to an agency of another district, which its desk could not reach again; a province department may be consulted.
    const elsewhere = await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: '503-TP', toRole: 'specialist' }, desk);
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.message).toMatch(/503-TP serves district 503/);
    expect((await get(`/api/v1/dossiers/${code}`, desk)).json().status).toBe('received');
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: 'STNMT', toRole: 'specialist' }, desk)).statusCode).toBe(200);
  });

  it('refuses a body field it does not know, naming it, rather than ignoring a misspelt one', async () => {
    const { dossierCode: code } = await receive();
    const misspelt = await post(`/api/v1/dossiers/${code}/handoffs`, { toAgency: 'ZZZ', toRole: 'specialist' }, desk);
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().error.message).toMatch(/toAgency/);
    const extra = await post('/api/v1/dossiers', { ...intakeBody(procedure, DESK), priority: 'urgent' }, desk);
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toMatch(/priority/);
    const body = intakeBody(procedure, DESK);
    const nested = await post('/api/v1/dossiers', { ...body, applicant: { ...body.applicant, mail: 'a@example.vn' } }, desk);
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.message).toMatch(/mail/);
    const d = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(d.status).toBe('received');
    expect(d.history).toHaveLength(1);
  });

  it('closes the open pause when a dossier awaiting a supplement is withdrawn', async () => {
    const { dossierCode: code } = await receive();
    await post(`/api/v1/dossiers/${code}/supplement-requests`, { reason: 'Thiếu giấy tờ', items: ['Bản sao'] }, desk);
    clock.advanceMinutes(60);
    const res = await post(`/api/v1/dossiers/${code}/withdrawal`, { reason: 'Không bổ sung được' }, desk);
    expect(res.statusCode, res.body).toBe(200);
    const d = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(d.pauses[0].to).not.toBeNull();
  });

  it('answers impossible dates with 400, not 500', async () => {
    expect((await get('/api/v1/dossiers?receivedFrom=2024-13-01', desk)).statusCode).toBe(400);
    expect((await get('/api/v1/dossiers?receivedFrom=2024-02-30', desk)).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2024-13-01' })).statusCode).toBe(400);
    const cursor = Buffer.from('2024-01-01T00:00:00.000Z|99999999999999999999').toString('base64url');
    expect((await get(`/api/v1/dossiers?cursor=${cursor}`, desk)).statusCode).toBe(400);
  });
});

describe('state machine through the API', () => {
  it('answers an illegal transition with 409 and the current state, changing nothing', async () => {
    const { dossierCode: code } = await receive();
    const illegal: [string, unknown][] = [
      ['completion', {}],
      ['return', { method: 'desk' }],
      ['supplement-received', {}],
    ];
    for (const [path, body] of illegal) {
      const res = await post(`/api/v1/dossiers/${code}/${path}`, body, desk);
      expect(res.statusCode, path).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { currentStatus: 'received' } });
    }
    await post(`/api/v1/dossiers/${code}/withdrawal`, { reason: 'Rút' }, desk);
    for (const path of ['handoffs', 'stop', 'withdrawal']) {
      const res = await post(`/api/v1/dossiers/${code}/${path}`, path === 'handoffs' ? { toRole: 'specialist' } : { reason: 'x x x' }, desk);
      expect(res.statusCode, path).toBe(409);
      expect(res.json().error.details.currentStatus).toBe('withdrawn');
    }
    const d = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(d.history.map((h: { type: string }) => h.type)).toEqual(['received', 'withdraw']);
  });

  it('lets exactly one of two concurrent handoffs win; the other gets 409', async () => {
    const { dossierCode: code } = await receive();
    const [a, b] = await Promise.all([
      post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'specialist', expectedVersion: 1 }, desk),
      post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head', expectedVersion: 1 }, desk),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { version: 2 } }); // reload and retry
    const slip = (await get(`/api/v1/dossiers/${code}/control-slip`, desk)).json();
    expect(slip.lines).toHaveLength(1);
  });
});

describe('scope: no officer reads or changes another unit’s dossier', () => {
  it('gives 404 to an officer of another commune, on reads and on acts', async () => {
    const { dossierCode: code } = await receive();
    const other = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20338' });
    expect((await get(`/api/v1/dossiers/${code}`, other)).statusCode).toBe(404);
    expect((await get(`/api/v1/dossiers/${code}/control-slip`, other)).statusCode).toBe(404);
    expect((await post(`/api/v1/dossiers/${code}/withdrawal`, { reason: 'không phải của tôi' }, other)).statusCode).toBe(404);
    const list = (await get(`/api/v1/dossiers?limit=200`, other)).json();
    expect(list.items).toHaveLength(0);
    // Nor can it receive at this desk (desks are public: 403 saying whose intake it is); nor can an administrator.
    const there = await post('/api/v1/dossiers', intakeBody(procedure, DESK), other);
    expect(there.statusCode).toBe(403);
    expect(there.json().error.message).toMatch(/desk officers of unit/);
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
    expect((await post('/api/v1/dossiers', intakeBody(procedure, DESK), admin)).statusCode).toBe(403);
  });

  it('lets an auditor read but not act, and records reads in the audit trail', async () => {
    const { dossierCode: code } = await receive();
    const auditor = await loginAs(ctx, 'auditor', { kind: 'unit', code: '49' });
    expect((await get(`/api/v1/dossiers/${code}`, auditor)).statusCode).toBe(200);
    expect((await post(`/api/v1/dossiers/${code}/withdrawal`, { reason: 'thử nghiệm' }, auditor)).statusCode).toBe(403);
    await get(`/api/v1/dossiers/${code}`, desk);
    const trail = (await get(`/api/v1/dossiers/${code}/audit`, auditor)).json();
    const actors = trail.items.map((i: { actor: string; action: string }) => `${i.action}:${i.actor}`);
    expect(actors.filter((a: string) => a.startsWith('read:'))).toHaveLength(2);
    // A list shows the applicant too: each dossier listed is recorded as read.
    expect((await get(`/api/v1/dossiers?desk=${DESK}&limit=200`, auditor)).json().items.map((d: { code: string }) => d.code)).toContain(code);
    const after = (await get(`/api/v1/dossiers/${code}/audit`, auditor)).json();
    expect(after.items.map((i: { actor: string; action: string }) => `${i.action}:${i.actor}`)).toContain(`list_read:${auditor.username}`);
  });
});

describe('queries', () => {
  it('lists a desk’s dossiers with filters and keyset pagination', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/dossiers?desk=${DESK}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(url, desk)).json();
      all.push(...page.items.map((d: { code: string }) => d.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await count('dossiers'));
    const withdrawn = (await get(`/api/v1/dossiers?status=withdrawn`, desk)).json();
    expect(withdrawn.items.every((d: { status: string }) => d.status === 'withdrawn')).toBe(true);
    expect((await get('/api/v1/dossiers?cursor=garbage!', desk)).statusCode).toBe(400);
    expect((await get('/api/v1/dossiers?limit=500', desk)).statusCode).toBe(400);
  });

  it('gives each officer a work queue (mine=true): the dossiers whose step they hold, and the desk its results to return', async () => {
    clock.setLocal('2024-06-14T08:00:00');
    const { dossierCode: code } = await receive();
    const agencyCode = await authorityOf(code);
    const [named, colleague] = await twoSpecialistsOf(agencyCode);
    const head = await ofAgency(code, 'agency_head');
    const queue = async (who: { authorization: string }) =>
      ((await get('/api/v1/dossiers?mine=true&limit=200', who)).json().items as { code: string }[]).map((d) => d.code).includes(code);
    const holders = async () => [await queue(desk), await queue(named), await queue(colleague), await queue(head)];

    expect(await holders()).toEqual([true, false, false, false]); // at the desk
    await post(`/api/v1/dossiers/${code}/handoffs`, { toUsername: named.username, toRole: 'specialist' }, desk);
    expect(await holders()).toEqual([false, true, false, false]); // handed to one specialist by name
    await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head' }, named);
    expect(await holders()).toEqual([false, false, false, true]); // to the head's role
    await post(`/api/v1/dossiers/${code}/completion`, {}, head);
    expect(await holders()).toEqual([true, false, false, false]); // the result waits at the desk
    await post(`/api/v1/dossiers/${code}/return`, { method: 'desk' }, desk);
    expect(await holders()).toEqual([false, false, false, false]);
  });
});
