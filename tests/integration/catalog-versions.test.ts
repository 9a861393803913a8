import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../seeds/data/report-figures.json' with { type: 'json' };
import { loadReferenceData } from '../../seeds/load-reference.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, type ProcedurePick } from '../helpers/dossiers.js';

let ctx: TestContext;
const clock = TestClock.atLocal('2026-12-01T09:00:00');
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  // What `npm start` does on 2026-12-01: every organisation version in force by then.
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

const get = (url: string, headers?: Record<string, string>) => ctx.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) });
const post = (url: string, payload: unknown, headers: Record<string, string>) => ctx.app.inject({ method: 'POST', url, payload: payload as object, headers });
const total = async (query: string) => {
  const res = await get(`/api/v1/procedures?limit=1&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().total as number;
};
const c = figures.catalogue;
const count = async (table: string) => (await ctx.deps.db.execute<{ n: number }>(sql`select count(*)::int n from ${sql.identifier(table)}`)).rows[0]!.n;

/** The version of a code in force on a day, as the API gives it, shaped for an intake body. */
async function version(code: string, asOf: string): Promise<ProcedurePick & { versionId: number; name: string }> {
  const res = await get(`/api/v1/procedures/${code}?asOf=${asOf}`);
  expect(res.statusCode, res.body).toBe(200);
  const p = res.json();
  return { code, level: p.level, fieldCode: p.fieldCode, timeAmount: p.processingTime.amount, timeUnit: p.processingTime.unit, documents: p.documents, versionId: p.versionId, name: p.name };
}

describe('procedure versions at intake', () => {
  it('receives a real procedure of the 2025 catalogue at a commune centre and completes it, decided by the commune police', async () => {
    const p = await version('1.004222', '2026-12-01');
    expect(p.name).toBe('Đăng ký thường trú');
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20242' });
    const received = await post('/api/v1/dossiers', intakeBody(p, 'TX20242'), desk);
    expect(received.statusCode, received.body).toBe(201);
    const code = received.json().dossierCode as string;
    expect(received.json().form.procedure).toMatchObject({ code: '1.004222', name: 'Đăng ký thường trú' });
    const d = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(d.authorityAgencyCode).toBe('CA-TX20242');
    const [row] = (await ctx.deps.db.execute<{ procedure_id: number }>(sql`select procedure_id from dossiers where code = ${code}`)).rows;
    expect(row!.procedure_id).toBe(p.versionId);

    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'CA-TX20242' });
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: 'CA-TX20242' });
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toAgencyCode: 'CA-TX20242', toRole: 'specialist' }, desk)).statusCode).toBe(200);
    expect((await post(`/api/v1/dossiers/${code}/handoffs`, { toRole: 'agency_head' }, specialist)).statusCode).toBe(200);
    const done = await post(`/api/v1/dossiers/${code}/completion`, { resultReference: 'Số 12/XN-CAP' }, head);
    expect(done.statusCode, done.body).toBe(200);
    const ret = await post(`/api/v1/dossiers/${code}/return`, { method: 'desk' }, desk);
    expect(ret.statusCode, ret.body).toBe(200);
    const end = (await get(`/api/v1/dossiers/${code}`, desk)).json();
    expect(end.status).toBe('returned');
    expect(end.timeliness).toBe('early');
  });

  it('keeps the version a dossier was received under, when the code means another procedure afterwards', async () => {
    // A generated code of the 2021-2025 catalogue that the national catalogue gives to a real procedure.
    const [shared] = (
      await ctx.deps.db.execute<{ code: string }>(sql`
        select o.code from procedures o join procedures n on n.code = o.code
        where o.source = 'generated' and o.valid_to = '2025-07-01' and o.level = 'district' and o.time_unit = 'working_day'
          and not o.location_independent
          and n.source = 'national_catalogue' order by o.code limit 1`)
    ).rows;
    expect(shared).toBeDefined();
    clock.setLocal('2025-06-30T09:00:00');
    const old = await version(shared!.code, '2025-06-30');
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    const received = await post('/api/v1/dossiers', intakeBody(old, 'H502'), desk);
    expect(received.statusCode, received.body).toBe(201);
    const code = received.json().dossierCode as string;

    clock.setLocal('2026-12-01T09:00:00');
    const now = await version(shared!.code, '2026-12-01');
    expect(now.name).not.toBe(old.name);
    const receipt = (await get(`/api/v1/dossiers/${code}/forms/receipt`, desk)).json();
    expect(receipt.procedure).toEqual({ code: shared!.code, name: old.name });
    const [row] = (await ctx.deps.db.execute<{ procedure_id: number }>(sql`select procedure_id from dossiers where code = ${code}`)).rows;
    expect(row!.procedure_id).toBe(old.versionId);
  });

  it('refuses a procedure with no version in force on the day of receipt (404), writing nothing', async () => {
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20242' });
    // A generated district code of 2021-2025 (land, a field the national catalogue has): not re-levelled.
    const [gone] = (
      await ctx.deps.db.execute<{ code: string }>(sql`
        select code from procedures p where level = 'district' and field_code = 'DATDAI'
          and not exists (select 1 from procedures n where n.code = p.code and n.valid_from = '2025-07-01') order by code limit 1`)
    ).rows;
    const before = [await count('dossiers'), await count('intake_decisions')];
    for (const procedureCode of [gone!.code, '9.999999']) {
      const res = await post('/api/v1/dossiers', { ...intakeBody({ code: procedureCode, level: 'commune', fieldCode: 'X', timeAmount: 1, timeUnit: 'working_day', documents: [] }, 'TX20242') }, desk);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error ?? res.json().code).toBeDefined();
      expect(res.body).toContain('2026-12-01');
    }
    expect([await count('dossiers'), await count('intake_decisions')]).toEqual(before);
  });
});

describe('catalogue versions: the generated catalogue until 2025-06-30, the national one from 2025-07-01', () => {
  // seeds/README.md: 1,601 real city and commune procedures + 829 generated ones of ministries the file lacks.
  const NEW_ERA = { real: 1601, generated: 829, province: 1251 + 643, commune: 350 + 186 };
  it('answers the catalogue in force on a date', async () => {
    expect(await total('asOf=2024-06-01')).toBe(c.procedures_total.value);
    expect(await total('asOf=2025-06-30')).toBe(c.procedures_total.value);
    expect(await total('asOf=2025-07-01')).toBe(NEW_ERA.real + NEW_ERA.generated);
    expect(await total('asOf=2026-12-01')).toBe(NEW_ERA.real + NEW_ERA.generated);
    expect(await total('asOf=2026-12-01&source=national_catalogue')).toBe(NEW_ERA.real);
    expect(await total('asOf=2026-12-01&source=generated')).toBe(NEW_ERA.generated);
    expect(await total('asOf=2026-12-01&level=province')).toBe(NEW_ERA.province);
    expect(await total('asOf=2026-12-01&level=commune')).toBe(NEW_ERA.commune);
    expect(await total('asOf=2026-12-01&level=district')).toBe(0);
    expect(await total('asOf=2024-06-01&source=national_catalogue')).toBe(0);
  });

  it('refuses a version of a code that would be in force on a day another version of it is, and keeps the catalogue as it was', async () => {
    const columns = (await ctx.deps.db.execute<{ column_name: string }>(sql`
      select column_name from information_schema.columns where table_name = 'procedures' and column_name not in ('id', 'valid_from', 'valid_to') order by ordinal_position`)).rows.map((r) => r.column_name);
    const list = sql.raw(columns.map((col) => `"${col}"`).join(', '));
    const before = await count('procedures');
    // 2.001610 is in force from 2025-07-01 with no end: a second version from 2026-01-01 overlaps it, as would one
    // that ended inside it; one that ends on its first day does not.
    const add = (from: string, to: string | null) =>
      ctx.deps.db.execute(sql`insert into procedures (${list}, valid_from, valid_to)
        select ${list}, ${from}::date, ${to}::date from procedures where code = '2.001610' and valid_from = '2025-07-01'`);
    await expect(add('2026-01-01', null)).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23P01', constraint: 'procedures_versions_no_overlap' }) });
    await expect(add('2025-01-01', '2025-08-01')).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23P01' }) });
    expect(await count('procedures')).toBe(before);
    await ctx.deps.db.transaction(async (tx) => {
      await tx.execute(sql`insert into procedures (${list}, valid_from, valid_to)
        select ${list}, '2024-01-01'::date, '2025-07-01'::date from procedures where code = '2.001610' and valid_from = '2025-07-01'`);
      tx.rollback();
    }).catch((err: Error) => expect(err.message).toMatch(/rollback/i));
  });

  it('gives 2.001610 and 1.004222 with their real names, times, fees and legal basis', async () => {
    const dn = (await get('/api/v1/procedures/2.001610?asOf=2026-12-01')).json();
    expect(dn).toMatchObject({
      code: '2.001610',
      name: 'Đăng ký thành lập doanh nghiệp tư nhân',
      source: 'national_catalogue',
      validFrom: '2025-07-01',
      validTo: null,
      level: 'province',
      agencyCode: 'STC-TT48',
      statutoryTime: { amount: 3, unit: 'working_day', text: '3 Ngày làm việc', note: null },
      onlineSubmission: true,
      postalEligible: true,
    });
    expect(dn.fees).toContainEqual(expect.objectContaining({ amountVnd: 100000 }));
    expect(dn.legalBasis.length).toBeGreaterThan(0);
    expect(dn.steps.reduce((s: number, x: { minutes: number }) => s + x.minutes, 0)).toBe(3 * 480);

    const tt = (await get('/api/v1/procedures/1.004222?asOf=2026-12-01')).json();
    expect(tt).toMatchObject({ name: 'Đăng ký thường trú', level: 'commune', agencyCode: 'COMM-CA', statutoryTime: { amount: 7, unit: 'working_day', text: '7 Ngày làm việc' } });
    expect(tt.fees).toEqual([
      expect.objectContaining({ amountVnd: 10000, method: 'online' }),
      expect.objectContaining({ amountVnd: 20000, method: 'direct' }),
    ]);
    expect(tt.legalBasis).toContain('154/2024/NĐ-CP');
    expect(tt.documents.some((d: { originals: number; copies: number }) => d.originals > 0)).toBe(true);
    expect(tt.steps.reduce((s: number, x: { minutes: number }) => s + x.minutes, 0)).toBe(7 * 480);
  });

  it('a code answers the version of the date asked; no version that day is a 404 naming it', async () => {
    const before = await get('/api/v1/procedures/1.004222?asOf=2024-06-01');
    if (before.statusCode === 200) expect(before.json().name).not.toBe('Đăng ký thường trú');
    else expect(before.statusCode).toBe(404);
    const unknown = await get('/api/v1/procedures/9.999999?asOf=2026-12-01');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('2026-12-01');
  });

  it('every version of the new era has a process whose minutes add up to its time, and a time read or flagged', async () => {
    const rows = (
      await ctx.deps.db.execute<{ n: number }>(sql`
        select count(*)::int n from procedures p
        where p.valid_from = '2025-07-01' and (
          (p.time_unit = 'working_day' and (select sum(minutes) from procedure_steps s where s.procedure_id = p.id) <> p.time_amount * 480)
          or (p.time_unit = 'working_hour' and (select sum(minutes) from procedure_steps s where s.procedure_id = p.id) <> p.time_amount * 60)
          or not exists (select 1 from procedure_steps s where s.procedure_id = p.id)
          or (p.source = 'national_catalogue' and p.time_text is null and p.time_note is distinct from 'missing'))`)
    ).rows;
    expect(rows[0]!.n).toBe(0);
  });
});

describe('the README’s worked desk intake', () => {
  it('receives openapi/examples/intake-desk.json at a commune centre in force, of a real version in force, and carries it to the applicant', async () => {
    const example = JSON.parse(readFileSync(fromRoot('openapi', 'examples', 'intake-desk.json'), 'utf8'));
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
    const intake = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...desk, 'idempotency-key': '6d0c2a52-0001' }, payload: example });
    expect(intake.statusCode, intake.body).toBe(201);
    const code = intake.json().dossierCode as string;
    expect(code).toMatch(/^TX20341-261201-\d{4}$/);
    const { rows } = await ctx.deps.pool.query(
      `select d.authority_agency_code, p.source, p.valid_from::text from dossiers d join procedures p on p.id = d.procedure_id where d.code = $1`,
      [code],
    );
    expect(rows[0]).toEqual({ authority_agency_code: 'KT-TX20341', source: 'national_catalogue', valid_from: '2025-07-01' });

    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'KT-TX20341' });
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: 'KT-TX20341' });
    const act = async (what: string, who: { authorization: string }, payload: object) => {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/${what}`, headers: { authorization: who.authorization }, payload });
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    await act('handoffs', desk, { toRole: 'specialist' });
    await act('handoffs', specialist, { toRole: 'agency_head' });
    clock.advanceMinutes(60);
    await act('completion', head, { resultReference: 'Số 123/QĐ-UBND' });
    await act('return', desk, { method: 'desk' });
    const lookup = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=3456` });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json().status).toBe('returned');
  });
});
