import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/domain/postal/signature.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

/** The data file the organisation is loaded from (the test reads the repository's copy, as the loader does). */
interface FileUnit {
  code: string;
  name: string;
  type: string;
  formedFrom: { name: string; oldCode: string; oldProvinceCode: string; oldDistrictCode?: string; partial?: string }[];
}
const file = JSON.parse(readFileSync(fromRoot('seeds/data/da-nang-2025-units.json'), 'utf8')) as { units: FileUnit[] };

let ctx: TestContext;
const clock = TestClock.atLocal('2026-12-01T09:00:00');
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  // What `npm start` does on 2026-12-01: every organisation version in force by then.
  const result = await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  expect(result.loaded).toBe(true);
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });
const total = async (url: string) => (await get(url)).json().total as number;

describe('the organisation from 2025-07-01 (thành phố Đà Nẵng, two levels)', () => {
  it('has the city and its 94 commune-level units and 95 desks from 2025-07-01; 260 and 260 before', async () => {
    expect(await total('/api/v1/units?asOf=2025-07-01&limit=1')).toBe(95);
    expect(await total('/api/v1/desks?asOf=2025-07-01&limit=1')).toBe(95);
    expect(await total('/api/v1/units?limit=1')).toBe(95); // today (the clock: 2026-12-01)
    expect(await total('/api/v1/desks?limit=1')).toBe(95);
    expect(await total('/api/v1/units?asOf=2024-06-01&limit=1')).toBe(260);
    expect(await total('/api/v1/desks?asOf=2024-06-01&limit=1')).toBe(260);
    expect(await total('/api/v1/units?asOf=2025-06-30&level=commune&limit=1')).toBe(233);
    expect(await total('/api/v1/units?asOf=2025-07-01&level=district&limit=1')).toBe(0);
    expect(await total('/api/v1/units?asOf=2025-07-01&parent=48&limit=1')).toBe(94);
    const city = (await get('/api/v1/units/48?asOf=2025-07-01')).json();
    expect(city).toMatchObject({ name: 'Thành phố Đà Nẵng', level: 'province', validFrom: '2025-07-01', validTo: null });
    expect(city.predecessors).toEqual([]);
  });

  it('answers each of the 94 units by code on 2026-12-01 with its name and the predecessors of NQ 1659', async () => {
    expect(file.units).toHaveLength(94);
    for (const u of file.units) {
      const res = await get(`/api/v1/units/${u.code}?asOf=2026-12-01`);
      expect(res.statusCode, u.code).toBe(200);
      const body = res.json();
      expect(body, u.code).toMatchObject({ code: u.code, name: u.name, type: u.type, level: 'commune', parentCode: '48', validFrom: '2025-07-01' });
      expect(
        body.predecessors.map((p: { code: string; name: string; provinceCode: string; districtCode: string | null; partial: string | null }) => [p.code, p.name, p.provinceCode, p.districtCode, p.partial]),
        u.code,
      ).toEqual(u.formedFrom.map((f) => [f.oldCode, f.name, f.oldProvinceCode, f.oldDistrictCode ?? null, f.partial ?? null]));
      // Quảng Nam's predecessors are unit versions held here (the one that ended on 2025-06-30); old Đà Nẵng's are not.
      for (const p of body.predecessors) expect(p.validFrom === null, `${u.code} ← ${p.code}`).toBe(p.provinceCode !== '49');
    }
  });

  it('links the communes merged on 2025-01-01 to the commune they were merged into', async () => {
    const preds = async (code: string) =>
      (await get(`/api/v1/units/${code}?asOf=2025-03-01`)).json().predecessors.map((p: { code: string; name: string; validFrom: string; districtCode: string; basis: string }) => [p.code, p.name, p.validFrom, p.districtCode, p.basis]);
    // A commune renamed or moved then has a version of its own; one that only absorbed another keeps its version.
    expect(await preds('20671')).toEqual([['20672', 'Xã Sơn Viên', '2020-01-01', '519', 'Nghị quyết 1241/NQ-UBTVQH15: Xã Sơn Viên into Xã Quế Lộc']]);
    expect(await preds('20364')).toEqual([['20383', 'Xã Tam Vinh', '2020-01-01', '518', 'Nghị quyết 1241/NQ-UBTVQH15: Xã Tam Vinh into Thị trấn Phú Thịnh']]);
    const links = await ctx.deps.db.execute<{ n: number }>(sql`select count(*)::int n from unit_predecessors where predecessor_valid_from is not null and basis like 'Nghị quyết 1241%'`);
    expect(links.rows[0]!.n).toBe(8);
    // Sơn Viên's successor says so too, and the 2025-07-01 links are unchanged (Quế Lộc's version of 2025 → Xã Nông Sơn).
    expect((await get('/api/v1/units/20672?asOf=2024-06-01')).json().successors).toMatchObject([{ code: '20671', validFrom: '2025-01-01' }]);
  });

  it('says which unit a reused code denotes on which date', async () => {
    // 20341 was Phường An Mỹ (Tam Kỳ) until 2025-06-30 and is Phường Tam Kỳ from 2025-07-01.
    const now = (await get('/api/v1/units/20341?asOf=2026-12-01')).json();
    expect(now.name).toBe('Phường Tam Kỳ');
    expect(now.history.map((h: { name: string; validFrom: string; validTo: string | null }) => [h.name, h.validFrom, h.validTo])).toEqual([
      ['Phường An Mỹ', '2020-01-01', '2025-07-01'],
      ['Phường Tam Kỳ', '2025-07-01', null],
    ]);
    expect(now.predecessors.map((p: { name: string }) => p.name)).toContain('Phường An Mỹ');
    expect((await get('/api/v1/units/20341?asOf=2025-06-30')).json()).toMatchObject({ name: 'Phường An Mỹ', parentCode: '502' });
    // 20242 (Phường Phước Ninh of old Đà Nẵng, not held here) is Phường Hải Châu from 2025-07-01.
    expect((await get('/api/v1/units/20242?asOf=2026-12-01')).json().name).toBe('Phường Hải Châu');
    // A Quảng Nam commune before the change links to the unit it became.
    const hoiAnOld = (await get('/api/v1/units/20398?asOf=2025-06-30')).json();
    expect(hoiAnOld).toMatchObject({ name: 'Phường Minh An', validTo: '2025-07-01' });
    expect(hoiAnOld.successors).toEqual([expect.objectContaining({ code: '20410', validFrom: '2025-07-01', name: 'Phường Hội An', partial: null })]);
    // Xã Hòa Liên was split between two units: both carry it, as partial.
    const split = await ctx.deps.db.execute<{ unit_code: string; partial: string | null }>(
      sql`select unit_code, partial from unit_predecessors where predecessor_code = '20296' order by unit_code`,
    );
    expect(split.rows.map((r) => r.unit_code)).toEqual(['20194', '20197']);
    expect(split.rows.every((r) => r.partial !== null)).toBe(true);
    // A code that denotes nothing on the date: the 404 says what it denoted when.
    const gone = await get('/api/v1/units/20338?asOf=2025-07-01');
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toMatch(/Phường Phước Hòa from 2020-01-01 until 2025-01-01/);
  });

  it('codes the new desks so that they are never mistaken for the old ones, and keeps the old ones on old dates', async () => {
    expect((await get('/api/v1/desks/TT48?asOf=2025-07-01')).json()).toMatchObject({ unitCode: '48', level: 'province', name: 'Trung tâm Phục vụ hành chính công thành phố Đà Nẵng' });
    expect((await get('/api/v1/desks/TX20242?asOf=2025-07-01')).json()).toMatchObject({ unitCode: '20242', level: 'commune', name: 'Trung tâm Phục vụ hành chính công Phường Hải Châu' });
    expect((await get('/api/v1/desks/TX20341?asOf=2025-07-01')).json()).toMatchObject({ unitCode: '20341', name: 'Trung tâm Phục vụ hành chính công Phường Tam Kỳ' });
    expect((await get('/api/v1/desks/X20341?asOf=2025-06-30')).json()).toMatchObject({ name: 'Bộ phận Một cửa Phường An Mỹ', validTo: '2025-07-01' });
    expect((await get('/api/v1/desks/X20341?asOf=2025-07-01')).statusCode).toBe(404);
    expect((await get('/api/v1/desks/H502?asOf=2025-07-01')).statusCode).toBe(404);
    // No desk or agency code is used on both sides of the change (a dossier names them by code).
    for (const table of ['desks', 'agencies']) {
      const shared = await ctx.deps.db.execute<{ n: number }>(
        sql`select count(*)::int n from ${sql.identifier(table)} a join ${sql.identifier(table)} b on a.code = b.code and a.valid_from < '2025-07-01' and b.valid_from >= '2025-07-01'`,
      );
      expect(shared.rows[0]!.n, table).toBe(0);
    }
  });

  it('has agencies to decide procedures: the city committee and departments, each commune committee and its offices', async () => {
    // The committee, its three offices and its police (the catalogue's commune police, seeds/catalog/agencies-2025.ts).
    expect(await total('/api/v1/agencies?asOf=2025-07-01&level=commune&limit=1')).toBe(94 * 5);
    expect(await total('/api/v1/agencies?asOf=2025-07-01&level=district&limit=1')).toBe(0);
    expect(await total('/api/v1/agencies?asOf=2025-06-30&level=district&limit=1')).toBe(17 * 11);
    expect((await get('/api/v1/agencies/UBND-TX20242?asOf=2025-07-01')).json()).toMatchObject({ name: 'Ủy ban nhân dân Phường Hải Châu', unitCode: '20242' });
    expect((await get('/api/v1/agencies/KT-TX20242?asOf=2025-07-01')).json().name).toBe('Phòng Kinh tế, Hạ tầng và Đô thị Phường Hải Châu');
    expect((await get('/api/v1/agencies/UBND-20242?asOf=2025-07-01')).statusCode).toBe(404);
  });

  it('receives at a commune centre after the change: former district and commune procedures decided in that commune, provincial ones by the city', async () => {
    clock.setLocal('2026-12-01T09:00:00');
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20410' });
    // A generated district procedure re-levelled to the commune in the catalogue of 2025-07-01 (seeds/README.md).
    const district = await pickProcedure(ctx, sql`level = 'commune' and source = 'generated' and agency_code = 'COMM-KT' and not location_independent`);
    const commune = await pickProcedure(ctx, sql`level = 'commune' and agency_code like 'COMM-%' and not location_independent`);
    const atDistrictLevel = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: intakeBody(district, 'TX20410') });
    expect(atDistrictLevel.statusCode, atDistrictLevel.body).toBe(201);
    const d1 = atDistrictLevel.json();
    expect(d1.dossierCode).toMatch(/^TX20410-261201-\d{4}$/);
    const got1 = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d1.dossierCode}`, headers: desk })).json();
    expect(got1.authorityAgencyCode).toMatch(/^(KT|UBND)-TX20410$/);
    const atCommuneLevel = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: intakeBody(commune, 'TX20410') });
    expect(atCommuneLevel.statusCode, atCommuneLevel.body).toBe(201);
    const got2 = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${atCommuneLevel.json().dossierCode}`, headers: desk })).json();
    expect(got2.authorityAgencyCode).toMatch(/-TX20410$/);

    const cityDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '48' });
    const provincial = await pickProcedure(ctx, sql`level = 'province' and agency_code = 'STP-TT48' and not location_independent`);
    const atCity = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: cityDesk, payload: intakeBody(provincial, 'TT48') });
    expect(atCity.statusCode, atCity.body).toBe(201);
    const got3 = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${atCity.json().dossierCode}`, headers: cityDesk })).json();
    expect(got3.authorityAgencyCode).toMatch(/-TT48$/);
  });

  it('answers the postal pre-check as the intake does: a commune centre takes a former district procedure by post, a closed district desk nothing', async () => {
    // The city's administrator: province-wide from 2025-07-01 (Quảng Nam's 49 no longer is).
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
    const made = await ctx.app.inject({ method: 'POST', url: '/api/v1/postal/partners', headers: admin, payload: { code: 'VNPOST', name: 'Bưu điện' } });
    expect(made.statusCode, made.body).toBe(201);
    const key = made.json().key as { id: string; secret: string };
    // A former district procedure: a generated one re-levelled to the commune on 2025-07-01 (its code kept, 2.xxxxxx).
    const district = await pickProcedure(ctx, sql`source = 'generated' and level = 'commune' and code like '2.%' and postal_eligible and not location_independent`);
    // The operator covers the centre of Phường Hội An for every field (coverage is data, per desk's unit).
    await ctx.deps.db.execute(sql`insert into postal_coverage (desk_unit_code, field_code, status, covered, valid_from, note) values ('20410', null, 'covered', true, '2025-07-01', 'test')`);
    ctx.deps.reference.invalidate();
    const precheck = async (deskCode: string) => {
      const url = '/api/v1/postal/precheck';
      const raw = JSON.stringify({ procedureCode: district.code, deskCode, documents: [] });
      const timestamp = new Date().toISOString();
      const headers = { 'content-type': 'application/json', 'x-partner-key': key.id, 'x-timestamp': timestamp, 'x-signature': sign(key.secret, 'POST', url, timestamp, raw) };
      return ctx.app.inject({ method: 'POST', url, payload: raw, headers });
    };
    const atCentre = await precheck('TX20410');
    expect(atCentre.statusCode, atCentre.body).toBe(200);
    expect(atCentre.json()).toMatchObject({ acceptable: true, refusalReason: null });
    // Hội An's district desk closed on 2025-06-30: not a desk on the day.
    expect((await precheck('H503')).statusCode).toBe(404);
  });

  it('a restart loads nothing again', async () => {
    expect((await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' })).loaded).toBe(false);
    expect((await loadReferenceData(ctx.deps.db, { organisationUpTo: '2027-03-01' })).loaded).toBe(false);
  });
});
