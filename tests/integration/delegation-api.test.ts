import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../seeds/data/report-figures.json' with { type: 'json' };
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2025-03-03T08:00:00');
let ctx: TestContext;
let admin: { authorization: string };
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
});
afterAll(async () => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });
const send = (method: 'POST' | 'PATCH', url: string, payload: object, headers = admin) => ctx.app.inject({ method, url, payload, headers });
const decision = (over: Record<string, unknown>) => ({
  number: '77/QĐ-UBND',
  kind: 'delegation',
  issuer: 'Ủy ban nhân dân tỉnh Quảng Nam',
  delegator: 'ubnd_tinh',
  delegateAgencyCode: 'SXD',
  signedOn: '2025-03-01',
  effectiveFrom: '2025-03-10',
  procedureCodes: [] as string[],
  reason: 'Ủy quyền giải quyết thủ tục',
  ...over,
});

describe('the seeded decisions', () => {
  it('reproduce 201 of 390 delegated (132/229 committee, 69/161 chairman) in mid-2024', async () => {
    const r = (await get('/api/v1/reports/delegations?on=2024-06-01')).json();
    const d = figures.delegation;
    expect(r).toMatchObject({ total: d.delegated_of_authority_of_provincial_committee.total, delegated: d.delegated_of_authority_of_provincial_committee.delegated });
    expect(r.byAuthority).toEqual([
      { authority: 'chu_tich_ubnd_tinh', total: d.chu_tich_ubnd_tinh.total, delegated: d.chu_tich_ubnd_tinh.delegated },
      { authority: 'ubnd_tinh', total: d.ubnd_tinh.total, delegated: d.ubnd_tinh.delegated },
    ]);
    const tamKy = r.byHolder.filter((h: { unit: string }) => h.unit === '502').reduce((s: number, h: { procedures: number }) => s + h.procedures, 0);
    expect(tamKy).toBe(d.sub_delegation_by_localities['UBND thành phố Tam Kỳ']);
  });

  it('resolve a Tam Kỳ sub-delegated procedure to the city office, with the chain', async () => {
    const [row] = (
      await ctx.deps.db.execute<{ code: string; delegate: string; number: string }>(
        sql`select p.procedure_code as code, d.delegate_agency_code as delegate, d.number from delegation_procedures p
            join delegation_decisions d on d.id = p.decision_id where d.delegator_unit_code = '502' limit 1`,
      )
    ).rows;
    const r = (await get(`/api/v1/procedures/${row!.code}/authority?on=2024-06-01&unit=502`)).json();
    expect(r).toMatchObject({ holder: row!.delegate, decision: row!.number });
    expect(r.chain).toHaveLength(1);
    // In Hội An the same procedure stays with the district committee's office as in the catalogue.
    const other = (await get(`/api/v1/procedures/${row!.code}/authority?on=2024-06-01&unit=503`)).json();
    expect(other.chain.some((c: { fromUnit: string }) => c.fromUnit === '502')).toBe(false);
    // Before the sub-delegation took effect (2023-03-01), no chain in Tam Kỳ either.
    expect((await get(`/api/v1/procedures/${row!.code}/authority?on=2023-02-28&unit=502`)).json().chain).toHaveLength(0);
  });
});

describe('managing decisions', () => {
  let procedure: string;
  beforeAll(async () => {
    // A committee-authority procedure of Sở Xây dựng without a delegation in force.
    const p = await pickProcedure(
      ctx,
      sql`authority = 'ubnd_tinh' and agency_code = 'SXD' and time_unit = 'working_day' and code not in (select procedure_code from delegation_procedures)`,
    );
    procedure = p.code;
  });

  it('refuses a decision without the administrator role or with bad input, writing nothing', async () => {
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '49' });
    expect((await send('POST', '/api/v1/delegation-decisions', decision({ procedureCodes: [procedure] }), officer)).statusCode).toBe(403);
    const bad = await send('POST', '/api/v1/delegation-decisions', decision({ procedureCodes: [procedure], effectiveTo: '2025-03-01' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/body\.effectiveTo/);
    expect((await send('POST', '/api/v1/delegation-decisions', decision({ procedureCodes: ['9.999999'] }))).statusCode).toBe(400);
    expect((await get(`/api/v1/delegation-decisions?procedure=${procedure}`)).json().total).toBe(0);
  });

  it('takes effect on its first day; a dossier received the day before keeps its authority', async () => {
    const created = await send('POST', '/api/v1/delegation-decisions', decision({ procedureCodes: [procedure] }));
    expect(created.statusCode, created.body).toBe(201);
    expect((await get(`/api/v1/procedures/${procedure}/authority?on=2025-03-09`)).json().chain).toHaveLength(0);
    const on = (await get(`/api/v1/procedures/${procedure}/authority?on=2025-03-10`)).json();
    expect(on).toMatchObject({ holder: 'SXD', decision: '77/QĐ-UBND' });

    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '49' });
    const p = await pickProcedure(ctx, sql`code = ${procedure}`);
    clock.setLocal('2025-03-07T09:00:00'); // Friday before the decision starts
    const before = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'T49'), headers: officer });
    expect(before.statusCode, before.body).toBe(201);
    clock.setLocal('2025-03-10T09:00:00');
    const after = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'T49'), headers: officer });
    const view = async (code: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: admin })).json();
    expect((await view(before.json().dossierCode)).delegationNumber).toBeNull();
    expect((await view(after.json().dossierCode)).delegationNumber).toBe('77/QĐ-UBND');
    const report = (await get('/api/v1/reports/delegations/dossiers?from=2025-03-01&to=2025-03-31')).json();
    expect(report.items).toContainEqual({ decision: '77/QĐ-UBND', holder: 'SXD', dossiers: 1 });
  });

  it('rejects a second holder of the same authority at the same time; accepts one after the first ends', async () => {
    const clash = await send('POST', '/api/v1/delegation-decisions', decision({ number: '78/QĐ-UBND', delegateAgencyCode: 'STNMT', effectiveFrom: '2025-06-01', procedureCodes: [procedure] }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'DECISION_CONFLICT', details: { conflicts: [{ number: '77/QĐ-UBND', procedureCodes: [procedure] }] } });
    const [first] = (await get(`/api/v1/delegation-decisions?procedure=${procedure}`)).json().items;
    const ended = await send('PATCH', `/api/v1/delegation-decisions/${first.id}`, { effectiveTo: '2025-06-01', reason: 'Hết hiệu lực theo quyết định mới' });
    expect(ended.statusCode, ended.body).toBe(200);
    const next = await send('POST', '/api/v1/delegation-decisions', decision({ number: '78/QĐ-UBND', delegateAgencyCode: 'STNMT', effectiveFrom: '2025-06-01', signedOn: '2025-05-20', procedureCodes: [procedure] }));
    expect(next.statusCode, next.body).toBe(201);
    expect((await get(`/api/v1/procedures/${procedure}/authority?on=2025-05-31`)).json().holder).toBe('SXD');
    expect((await get(`/api/v1/procedures/${procedure}/authority?on=2025-06-01`)).json().holder).toBe('STNMT');
  });

  it('follows a sub-delegation by the holder, and a revocation ends it', async () => {
    const sub = await send(
      'POST',
      '/api/v1/delegation-decisions',
      decision({ number: '12/QĐ-STNMT', issuer: 'Sở Tài nguyên và Môi trường', delegator: 'STNMT', delegateAgencyCode: 'UBND-502', effectiveFrom: '2025-07-01', signedOn: '2025-06-20', procedureCodes: [procedure] }),
    );
    expect(sub.statusCode, sub.body).toBe(201);
    const chain = (await get(`/api/v1/procedures/${procedure}/authority?on=2025-07-02`)).json();
    expect(chain.holder).toBe('UBND-502');
    expect(chain.chain.map((c: { number: string }) => c.number)).toEqual(['78/QĐ-UBND', '12/QĐ-STNMT']);
    const revoked = await send('POST', `/api/v1/delegation-decisions/${sub.json().id}/revocation`, { revokedOn: '2025-08-01', reason: 'Thu hồi ủy quyền' });
    expect(revoked.json().revokedOn).toBe('2025-08-01');
    expect((await get(`/api/v1/procedures/${procedure}/authority?on=2025-08-01`)).json().holder).toBe('STNMT');
    expect((await send('POST', `/api/v1/delegation-decisions/${sub.json().id}/revocation`, { revokedOn: '2025-08-02', reason: 'lần hai' })).statusCode).toBe(409);
  });
});

describe('location-independent intake', () => {
  it('is received at a district desk for an applicant of another district, decided by the department', async () => {
    const p = await pickProcedure(ctx, sql`location_independent`);
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '503' }); // Hội An
    clock.setLocal('2025-03-11T09:00:00');
    const body = intakeBody(p, 'H503', { applicant: { kind: 'person', name: 'Lê Thị D', citizenId: '049190001111', phone: '0905222333', address: 'Phường Tân Thạnh, Tam Kỳ' } });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: body, headers: officer });
    expect(res.statusCode, res.body).toBe(201);
    const d = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${res.json().dossierCode}`, headers: officer })).json();
    const [agency] = (await ctx.deps.db.execute<{ agency_code: string }>(sql`select agency_code from procedures where code = ${p.code}`)).rows;
    expect(d.authorityAgencyCode).toBe(agency!.agency_code);
    // A commune desk is not among its desks.
    const commune = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20335' });
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'X20335'), headers: commune });
    expect(refused.json().outcome).toBe('refused');

    // The set of desks is data: adding the commune desk lets it receive the procedure.
    const desks = (await get(`/api/v1/procedures/${p.code}/location-independent-desks`)).json().deskCodes;
    expect(desks).toHaveLength(19);
    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/procedures/${p.code}/location-independent-desks`,
      payload: { deskCodes: [...desks, 'X20335'], reason: 'Mở rộng thí điểm' },
      headers: admin,
    });
    expect(put.statusCode, put.body).toBe(200);
    const now = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'X20335'), headers: commune });
    expect(now.json().outcome).toBe('received');
    expect((await ctx.app.inject({ method: 'PUT', url: `/api/v1/procedures/${p.code}/location-independent-desks`, payload: { deskCodes: ['Q1'], reason: 'sai mã' }, headers: admin })).statusCode).toBe(400);
  });
});

describe("the city's own decisions (from 2025-07-01)", () => {
  // Its own database, with what `npm start` loads on 2026-12-07: every organisation version in force by then.
  const cityClock = TestClock.atLocal('2026-12-07T09:00:00');
  let city: TestContext;
  beforeAll(async () => {
    city = await startTestApp({ now: cityClock.now });
    await loadReferenceData(city.deps.db, { organisationUpTo: '2026-12-07' });
    city.deps.reference.invalidate();
  });
  afterAll(async () => city?.close());

  it("records a decision of the city's committee as the city's when it names no unit, and it is followed, listed and reported", async () => {
    const cityAdmin = await loginAs(city, 'province_admin', { kind: 'unit', code: '48' });
    const p = await pickProcedure(city, sql`level = 'province' and authority = 'ubnd_tinh' and source = 'national_catalogue'`);
    const at = (method: 'GET' | 'POST', url: string, payload?: object) => city.app.inject({ method, url, ...(payload ? { payload, headers: cityAdmin } : {}) });
    const created = await at(
      'POST',
      '/api/v1/delegation-decisions',
      decision({ number: '12/QĐ-UBND', issuer: 'Ủy ban nhân dân thành phố Đà Nẵng', delegateAgencyCode: 'SCT-TT48', signedOn: '2026-12-01', effectiveFrom: '2026-12-15', procedureCodes: [p.code] }),
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ delegatorUnitCode: '48', delegateAgencyCode: 'SCT-TT48' });
    // Followed from its first day: the city committee's authority is held by the department.
    expect((await at('GET', `/api/v1/procedures/${p.code}/authority?on=2026-12-14`)).json().chain).toHaveLength(0);
    expect((await at('GET', `/api/v1/procedures/${p.code}/authority?on=2026-12-15`)).json()).toMatchObject({ holder: 'SCT-TT48', decision: '12/QĐ-UBND' });
    // The catalogue's `delegated` filter and the delegation report count it as the province level's delegation.
    const listed = (await at('GET', `/api/v1/procedures?asOf=2026-12-15&delegated=true&q=${p.code}`)).json();
    expect(listed.items.map((x: { code: string }) => x.code)).toContain(p.code);
    expect((await at('GET', `/api/v1/procedures?asOf=2026-12-14&delegated=true&q=${p.code}`)).json().items).toEqual([]);
    const report = (await at('GET', '/api/v1/reports/delegations?on=2026-12-15')).json();
    expect(report.byAuthority.find((a: { authority: string }) => a.authority === 'ubnd_tinh').delegated).toBe(1);
  });
});
