import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRestructuring } from '../../seeds/org/apply-restructuring.js';
import { restructuring2025 } from '../../seeds/org/units.js';
import { desks, units } from '../../src/db/schema/index.js';
import { startTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp({ now: () => new Date('2024-06-03T03:00:00Z') });
});
afterAll(async () => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });

describe('organisation API', () => {
  it('lists the 260 units: 1 province, 18 districts, 241 communes', async () => {
    expect((await get('/api/v1/units?limit=1')).json().total).toBe(260);
    expect((await get('/api/v1/units?level=province')).json().total).toBe(1);
    expect((await get('/api/v1/units?level=district')).json().total).toBe(18);
    expect((await get('/api/v1/units?level=commune&limit=1')).json().total).toBe(241);
  });

  it('lists one desk per unit (260) with the provincial centre as T49', async () => {
    expect((await get('/api/v1/desks?limit=1')).json().total).toBe(260);
    const centre = (await get('/api/v1/desks/T49')).json();
    expect(centre).toMatchObject({ unitCode: '49', level: 'province' });
    expect(centre.name).toMatch(/Trung tâm Phục vụ Hành chính công/);
  });

  it('gives a unit with its parent and its communes by parent filter', async () => {
    const tamKy = (await get('/api/v1/units/502')).json();
    expect(tamKy).toMatchObject({ name: 'Thành phố Tam Kỳ', level: 'district', parentCode: '49' });
    const communes = (await get('/api/v1/units?parent=502&limit=200')).json();
    expect(communes.total).toBe(13);
  });

  it('has the 21 provincial specialised agencies, the police and the committees', async () => {
    const provincial = (await get('/api/v1/agencies?level=province&limit=200')).json();
    const kinds = provincial.items.map((a: { kind: string }) => a.kind);
    expect(kinds.filter((k: string) => k === 'department' || k === 'board').length).toBe(21);
    expect(kinds).toContain('police');
    expect(kinds).toContain('people_committee');
    expect(kinds).toContain('chairman');
    const communeCommittees = (await get('/api/v1/agencies?level=commune&limit=1')).json();
    expect(communeCommittees.total).toBeGreaterThanOrEqual(241);
  });

  it('answers 404 with the error shape for an unknown code', async () => {
    const res = await get('/api/v1/units/99999');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND', requestId: expect.any(String) } });
    expect((await get('/api/v1/desks/H999')).statusCode).toBe(404);
    expect((await get('/api/v1/agencies/NOPE')).statusCode).toBe(404);
  });

  it('answers 400 naming the parameter for a limit above the maximum or a malformed value', async () => {
    const tooMany = await get('/api/v1/units?limit=1000');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toMatch(/querystring\.limit/);
    const badLevel = await get('/api/v1/desks?level=planet');
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().error.message).toMatch(/querystring\.level/);
    const badDate = await get('/api/v1/units?asOf=2024-13');
    expect(badDate.json().error.message).toMatch(/querystring\.asOf/);
  });

  it('loads the 2025-01-01 restructuring as a later version without rewriting history', async () => {
    // A database loaded from the uncorrected unit list holds the phantom Xã Quế Phước 20674: loading removes it.
    await ctx.deps.db.insert(units).values({ code: '20674', name: 'Xã Quế Phước', type: 'Xã', level: 'commune', parentCode: '509', validFrom: '2025-01-01', source: 'old copy' });
    await ctx.deps.db.insert(desks).values({ code: 'X20674', name: 'Bộ phận Một cửa Xã Quế Phước', unitCode: '20674', level: 'commune', validFrom: '2025-01-01' });
    const first = await applyRestructuring(ctx.deps.db, restructuring2025);
    expect(first.closed).toBeGreaterThan(0);
    const again = await applyRestructuring(ctx.deps.db, restructuring2025);
    expect(again).toEqual({ closed: 0, opened: 0 });

    // Before: 18 districts, Nông Sơn among them; after: 17, Nông Sơn gone, its history kept.
    expect((await get('/api/v1/units?level=district&asOf=2024-12-31')).json().total).toBe(18);
    expect((await get('/api/v1/units?level=district&asOf=2025-01-01')).json().total).toBe(17);
    expect((await get('/api/v1/units?level=commune&asOf=2025-01-01&limit=1')).json().total).toBe(233);
    expect((await get('/api/v1/units/519?asOf=2024-12-31')).statusCode).toBe(200);
    expect((await get('/api/v1/units/519?asOf=2025-01-01')).statusCode).toBe(404);
    // A renamed commune: two versions, the old name until 2025-01-01.
    const renamed = (await get('/api/v1/units/20758?asOf=2025-02-01')).json();
    expect(renamed.name).toBe('Xã Quế Tân');
    expect(renamed.history.map((h: { name: string; validTo: string | null }) => [h.name, h.validTo])).toEqual([
      ['Xã Hiệp Hòa', '2025-01-01'],
      ['Xã Quế Tân', null],
    ]);
    // A commune moved from Nông Sơn to Quế Sơn keeps its code, changes parent.
    expect((await get('/api/v1/units/20656?asOf=2025-01-01')).json().parentCode).toBe('509');
    expect((await get('/api/v1/desks?asOf=2025-01-01&limit=1')).json().total).toBe(251);
    expect((await get('/api/v1/units/20674?asOf=2025-02-01')).statusCode).toBe(404);
    expect((await get('/api/v1/desks/X20674?asOf=2025-02-01')).statusCode).toBe(404);
  });
});
