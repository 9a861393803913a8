import { sql } from 'drizzle-orm';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/jobs/workers.js';
import { computeAll, computeIndex, countNewEvents, ReadCache, rebuildCounters, storeClosedPeriods } from '../../src/modules/quality/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2024-06-03T08:00:00'); // Monday
let ctx: TestContext;
let desk: { authorization: string; username: string };
let admin: { authorization: string; username: string };
let procedure: ProcedurePick;
const codes: Record<string, string> = {};
let agencyCode = '';

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  // 10 working days, with an online service and a paper result (so that 3.3 and 4.1 have a denominator).
  procedure = await pickProcedure(
    ctx,
    sql`level = 'district' and time_unit = 'working_day' and time_amount = 10 and cutoff_hour is null and online_level = 'full' and paper_result and jsonb_array_length(documents) > 0`,
  );
});
afterAll(async () => ctx?.close());

const post = (url: string, payload: object, headers: Record<string, string> = desk) => ctx.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });
async function receive(name: string, at: string, overrides: Record<string, unknown> = {}) {
  clock.setLocal(at);
  const res = await post('/api/v1/dossiers', intakeBody(procedure, 'H502', overrides));
  expect(res.statusCode, res.body).toBe(201);
  codes[name] = res.json().dossierCode;
  agencyCode = (await get(`/api/v1/dossiers/${codes[name]}`, desk)).json().authorityAgencyCode;
  return res.json();
}
let specialist: Promise<{ authorization: string }> | undefined;
let head: Promise<{ authorization: string }> | undefined;
/** The desk hands over, receives supplements and returns; the deciding agency's specialist asks, its head signs. */
async function actorFor(path: string): Promise<Record<string, string>> {
  if (path === 'completion') return (head ??= loginAs(ctx, 'agency_head', { kind: 'agency', code: agencyCode }));
  if (path === 'supplement-requests') return (specialist ??= loginAs(ctx, 'specialist', { kind: 'agency', code: agencyCode }));
  return desk;
}
async function act(name: string, path: string, at: string, payload: object = {}) {
  clock.setLocal(at);
  const res = await post(`/api/v1/dossiers/${codes[name]}/${path}`, payload, await actorFor(path));
  expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
  return res.json();
}
const indicator = (body: { score: { groups: { indicators: { id: string }[] }[] } }, id: string) =>
  body.score.groups.flatMap((g) => g.indicators).find((i) => i.id === id) as Record<string, unknown>;
const counterRows = async () => ({
  daily: (await ctx.deps.db.execute(sql`select * from quality_counters order by day, desk_code, unit_code, agency_code, procedure_code, channel`)).rows,
  monthly: (await ctx.deps.db.execute(sql`select * from quality_counters_monthly order by month, unit_code, agency_code, channel`)).rows,
  online: (await ctx.deps.db.execute(sql`select * from quality_online_use order by month, unit_code, agency_code, procedure_code`)).rows,
});

describe('quality index (QĐ 766) from dossier events', () => {
  it('builds June 2024 from five dossiers: in-time rate with open dossiers judged at the end, online, electronic results, satisfaction', async () => {
    // A: early, electronic result, returned, rated unsatisfied. B (online): late. C: in time after two supplement
    // requests (late for 2.1). D: open and past its appointment at the end of June. E: open, not yet due.
    const a = await receive('A', '2024-06-03T08:00:00');
    await receive('B', '2024-06-03T08:10:00', { channel: 'online' });
    await receive('C', '2024-06-03T08:20:00');
    await receive('D', '2024-06-04T08:00:00');
    await receive('E', '2024-06-28T08:00:00');
    clock.setLocal('2024-06-28T09:00:00');
    for (const n of ['A', 'B', 'C']) await act(n, 'handoffs', '2024-06-03T09:00:00', { toRole: 'specialist' });
    expect((await act('A', 'completion', '2024-06-04T10:00:00', { resultReference: 'KQ-A' })).timeliness).toBe('early');
    await act('A', 'return', '2024-06-04T11:00:00', { method: 'desk' });
    for (let i = 1; i <= 2; i++) {
      await act('C', 'supplement-requests', `2024-06-0${3 + i}T08:00:00`, { reason: `Lần ${i}`, items: ['Bản sao'] });
      await act('C', 'supplement-received', `2024-06-0${3 + i}T09:00:00`);
    }
    expect(['early', 'on_time']).toContain((await act('C', 'completion', '2024-06-06T10:00:00')).timeliness);
    expect((await act('B', 'completion', '2024-06-20T10:00:00')).timeliness).toBe('late');
    clock.setLocal('2024-06-05T08:00:00');
    const rated = await ctx.app.inject({ method: 'POST', url: `/api/v1/public/dossiers/${codes.A}/rating`, payload: { token: a.form.ratingToken, score: 'unsatisfied' } });
    expect(rated.statusCode, rated.body).toBe(201);

    expect((await countNewEvents(ctx.deps)).events).toBeGreaterThan(0);
    clock.setLocal('2024-07-02T08:00:00');
    const res = await get('/api/v1/quality-index?unit=502&period=2024-06');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.scope).toMatchObject({ kind: 'unit', code: '502', level: 'district' });
    expect(body.score.formulaVersion).toBe('766-2023.1');
    expect(body.facts).toMatchObject({ received: 5, receivedOnline: 1, resolved: 3, resolvedLate: 1, resolvedInTimeMultiSupplement: 1, openAtEnd: 2, openInTimeAtEnd: 1, rated: 1, ratedNegative: 1 });
    // 2.1: (A + C − C for two supplements + E in time) ÷ (3 resolved + 2 open) = 2/5 → 20 × 0.4 = 8 points.
    expect(indicator(body, '2.1')).toMatchObject({ numerator: 2, denominator: 5, rate: 0.4, points: 8, maximum: 20, status: 'scored' });
    // 3.3: 1 of 5 online, target 50 % → 6 × 0.2 / 0.5 = 2.4.
    expect(indicator(body, '3.3')).toMatchObject({ numerator: 1, denominator: 5, rate: 0.2, points: 2.4 });
    // 4.1: one electronic result among three paper-result dossiers resolved.
    expect(indicator(body, '4.1')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(indicator(body, '4.2')).toMatchObject({ numerator: 5, denominator: 5, points: 4 });
    // 5.4: 100 % − (2 late of 3 + 1 negative of 3) → 0.
    expect(indicator(body, '5.4')).toMatchObject({ numerator: 0, denominator: 3, points: 0 });
    expect(indicator(body, '1.4')).toMatchObject({ status: 'untracked', points: null });
    expect(indicator(body, '2.2')).toMatchObject({ status: 'monitoring' });
    expect(indicator(body, '2.2').value as number).toBeGreaterThan(0);
    const total = body.score.groups.reduce((s: number, g: { points: number }) => s + g.points, 0);
    expect(body.score.total).toBeCloseTo(total, 2);

    // The province includes the district's dossiers; the deciding agency sees the same dossiers.
    const province = (await get('/api/v1/quality-index?unit=49&period=2024-06')).json();
    expect(province.facts.received).toBe(5);
    const agency = (await get(`/api/v1/quality-index?agency=${agencyCode}&period=2024-06`)).json();
    expect(indicator(agency, '2.1')).toMatchObject({ numerator: 2, denominator: 5 });
    // A commune with no dossier: no data, not a zero score.
    const commune = (await ctx.deps.db.execute<{ code: string }>(sql`select code from units where parent_code = '502' order by code limit 1`)).rows[0]!.code;
    expect(indicator((await get(`/api/v1/quality-index?unit=${commune}&period=2024-06`)).json(), '2.1')).toMatchObject({ status: 'no_data', points: null, denominator: 0 });
  });

  it('counts each event once, and rebuilding from the events gives the same counters', async () => {
    const before = await counterRows();
    expect(before.daily.length).toBeGreaterThan(0);
    expect(before.monthly.length).toBeGreaterThan(0);
    expect(before.online).toHaveLength(1); // B, the one online dossier
    expect((await countNewEvents(ctx.deps)).events).toBe(0);
    expect(await counterRows()).toEqual(before);
    const rebuilt = await post('/api/v1/quality-index/counters/rebuild', {}, admin);
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(await counterRows()).toEqual(before);
    expect((await post('/api/v1/quality-index/counters/rebuild', {}, desk)).statusCode).toBe(403);
    expect((await rebuildCounters(ctx.deps)).events).toBe(rebuilt.json().events);
  });

  it('drills down to the dossiers behind 2.1, page by page, each marked counted or not', async () => {
    const url = (cursor = '') => `/api/v1/quality-index/2.1/items?unit=502&period=2024-06&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
    expect((await get(url())).statusCode).toBe(401);
    const first = (await get(url(), desk)).json();
    expect(first.items).toHaveLength(3);
    const second = (await get(url(first.nextCursor), desk)).json();
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    const counted = Object.fromEntries(all.map((i: { code: string; counted: boolean }) => [i.code, i.counted]));
    expect(counted).toEqual({ [codes.A!]: true, [codes.B!]: false, [codes.C!]: false, [codes.D!]: false, [codes.E!]: true });
    const procs = (await get('/api/v1/quality-index/3.1/items?unit=502&period=2024-06&limit=200', desk)).json();
    expect(procs.items[0]).toMatchObject({ kind: 'procedure' });
    expect((await get('/api/v1/quality-index/1.4/items?unit=502&period=2024-06', desk)).statusCode).toBe(404);
  });

  it("lists the dossiers behind a number only within the caller's scope, as the dossier list does", async () => {
    const codesOf = async (url: string, who: Record<string, string>) => {
      const res = await get(url, who);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { code: string }[]).map((i) => i.code).sort();
    };
    const mine = Object.values(codes).sort();
    const otherDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '503' });
    const otherSpecialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: '503-TP' });
    const auditor = await loginAs(ctx, 'auditor', { kind: 'unit', code: '49' });
    const ownAgency = await loginAs(ctx, 'specialist', { kind: 'agency', code: agencyCode });
    for (const indicator of ['2.1', '2.2', '3.3', '4.1', '5.4']) {
      for (const scope of ['unit=502', `agency=${agencyCode}`]) {
        const url = `/api/v1/quality-index/${indicator}/items?${scope}&period=2024-06&limit=200`;
        expect(await codesOf(url, otherDesk), `${url} as another unit's desk`).toEqual([]);
        expect(await codesOf(url, otherSpecialist), `${url} as another agency's specialist`).toEqual([]);
        const all = await codesOf(url, admin);
        expect(all.every((c) => mine.includes(c))).toBe(true);
        expect(await codesOf(url, auditor)).toEqual(all);
        expect(await codesOf(url, desk)).toEqual(all);
        expect(await codesOf(url, ownAgency)).toEqual(all);
      }
    }
    expect(await codesOf('/api/v1/quality-index/2.1/items?unit=502&period=2024-06&limit=200', admin)).toEqual(mine);
  });

  it('ranks units and agencies, and gives the month-by-month series', async () => {
    const ranking = (await get('/api/v1/quality-index/ranking?period=2024-06&kind=unit&level=district')).json();
    expect(ranking.items).toHaveLength(18);
    expect(ranking.items.map((x: { rank: number }) => x.rank)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const totals = ranking.items.map((x: { total: number }) => x.total);
    expect(totals).toEqual([...totals].sort((x: number, y: number) => y - x));
    expect((await get('/api/v1/quality-index/ranking?period=2024-06&kind=agency')).json().items.length).toBeGreaterThan(400);
    const series = (await get('/api/v1/quality-index/series?unit=502&period=2024-Q2')).json();
    expect(series.points.map((p: { period: string }) => p.period)).toEqual(['2024-04', '2024-05', '2024-06']);
    expect(series.points[2].received).toBe(5);
  });

  it('refuses bad questions with a clear 400 or 404', async () => {
    for (const q of ['unit=502&agency=X&period=2024', 'period=2024', 'unit=502&period=2024-13', 'unit=502&period=24', 'unit=502']) {
      const res = await get(`/api/v1/quality-index?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await get('/api/v1/quality-index?unit=99999&period=2024')).statusCode).toBe(404);
    expect((await get('/api/v1/quality-index?unit=502&period=2024&version=nope')).statusCode).toBe(404);
  });

  it('keeps formula versions apart: a new version scores differently and published scores stay as published', async () => {
    const published = await post('/api/v1/quality-index/publications', { period: '2024-06' }, admin);
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ formulaVersion: '766-2023.1' });
    expect((await post('/api/v1/quality-index/publications', { period: '2024-06' }, admin)).statusCode).toBe(409);
    expect((await post('/api/v1/quality-index/publications', { period: '2024-07' }, admin)).statusCode).toBe(400); // not over
    expect((await post('/api/v1/quality-index/publications', { period: '2024-05' }, desk)).statusCode).toBe(403);
    const snapshot = (await get('/api/v1/quality-index/publications?period=2024-06&unit=502')).json();
    expect(snapshot.items).toHaveLength(1);

    const current = (await get('/api/v1/quality-index/formulas')).json().items[0];
    const lenient = structuredClone(current);
    lenient.version = '766-2024.1';
    lenient.title = 'Chỉ tiêu 2.1 đạt tối đa ở 40 %';
    lenient.effectiveFrom = '2024-07-01';
    lenient.definition.indicators.find((i: { id: string }) => i.id === '2.1').target = 0.4;
    expect((await post('/api/v1/quality-index/formulas', lenient, desk)).statusCode).toBe(403);
    const created = await post('/api/v1/quality-index/formulas', lenient, admin);
    expect(created.statusCode, created.body).toBe(201);
    expect((await post('/api/v1/quality-index/formulas', lenient, admin)).statusCode).toBe(409);
    const bad = structuredClone(lenient);
    bad.version = '766-bad';
    bad.definition.groups[0].max = 50;
    expect((await post('/api/v1/quality-index/formulas', bad, admin)).statusCode).toBe(400);

    const withNew = (await get('/api/v1/quality-index?unit=502&period=2024-06&version=766-2024.1')).json();
    expect(withNew.score.formulaVersion).toBe('766-2024.1');
    expect(indicator(withNew, '2.1')).toMatchObject({ rate: 0.4, points: 20 });
    // June is still scored by the version in force then; the published snapshot is unchanged.
    expect((await get('/api/v1/quality-index?unit=502&period=2024-06')).json().score.formulaVersion).toBe('766-2023.1');
    expect((await get('/api/v1/quality-index/publications?period=2024-06&unit=502')).json()).toEqual(snapshot);
  });

  it("gives the report's table by year, unit, level and field, as JSON and CSV", async () => {
    const res = await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-12-31&groupBy=year');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([
      { key: '2024', label: '2024', received: 5, receivedOnline: 1, resolved: 3, resolvedOnTime: 2, resolvedLate: 1, lateRatePercent: 33.33 },
    ]);
    const byUnit = (await get('/api/v1/reports/dossiers?from=2024-06-01&to=2024-06-30&groupBy=unit')).json();
    expect(byUnit.rows).toHaveLength(1);
    expect(byUnit.rows[0]).toMatchObject({ key: '502', received: 5 });
    expect((await get('/api/v1/reports/dossiers?from=2024-06-01&to=2024-06-30&groupBy=level')).json().rows[0]).toMatchObject({ key: 'district', label: 'Cấp huyện' });
    expect((await get('/api/v1/reports/dossiers?from=2024-06-01&to=2024-06-30&groupBy=field')).json().rows[0].key).toBe(procedure.fieldCode);
    const csv = await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-12-31&groupBy=year&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('key,label,received,received_online,resolved,resolved_on_time,resolved_late,late_rate_percent');
    expect(lines[1]).toBe('2024,2024,5,1,3,2,1,33.33');
    expect(lines[2]).toBe('total,Tổng cộng,5,1,3,2,1,33.33');
    expect((await get('/api/v1/reports/dossiers?from=2024-12-31&to=2024-01-01')).statusCode).toBe(400);
    expect((await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-12-31&groupBy=week')).statusCode).toBe(400);
  });

  it('shows a new dossier in the index within seconds through the workers', async () => {
    clock.setLocal('2024-07-03T08:00:00');
    const workers = await startWorkers(ctx.deps);
    try {
      const before = (await get('/api/v1/quality-index?unit=502&period=2024-07')).json().facts.received;
      await receive('F', '2024-07-03T08:00:00');
      const started = Date.now();
      let received = before;
      while (received === before && Date.now() - started < 10_000) {
        await new Promise((r) => setTimeout(r, 100));
        received = (await get('/api/v1/quality-index?unit=502&period=2024-07')).json().facts.received;
      }
      expect(received).toBe(before + 1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await workers.close();
    }
  });

  it('counts an open dossier asked twice for a supplement as late for 2.1, as it would an ended one', async () => {
    await receive('G', '2024-09-25T08:00:00'); // 10 working days: not due by the end of September
    await act('G', 'handoffs', '2024-09-25T08:30:00', { toRole: 'specialist' });
    for (let i = 1; i <= 2; i++) {
      await act('G', 'supplement-requests', `2024-09-2${5 + i}T08:00:00`, { reason: `Lần ${i}`, items: ['Bản sao'] });
      await act('G', 'supplement-received', `2024-09-2${5 + i}T09:00:00`);
    }
    clock.setLocal('2024-10-02T08:00:00');
    const body = (await get('/api/v1/quality-index?unit=502&period=2024-09')).json();
    const f = body.facts;
    expect(f.openInTimeMultiSupplementAtEnd).toBe(1);
    expect(indicator(body, '2.1')).toMatchObject({
      numerator: f.resolvedEarly + f.resolvedOnTime - f.resolvedInTimeMultiSupplement + f.openInTimeAtEnd - 1,
      denominator: f.resolved + f.openAtEnd,
    });
    const items = (await get('/api/v1/quality-index/2.1/items?unit=502&period=2024-09&limit=200', desk)).json().items;
    expect(items.find((i: { code: string }) => i.code === codes.G)).toMatchObject({ counted: false });
  });

  it("judges a past period by the appointments in force at its end: a pause opened later does not change it", async () => {
    // A procedure whose time restarts after a supplement (a setting, DOMAIN.md §5): asking for one clears the
    // appointment until the supplement arrives.
    const restarting = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount = 10 and cutoff_hour is null and code <> ${procedure.code}`);
    await ctx.deps.db.execute(sql`update procedures set supplement_policy = 'restart' where code = ${restarting.code}`);
    await receive('J', '2025-01-02T08:00:00', { procedureCode: restarting.code, documents: intakeBody(restarting, 'H502').documents }); // due mid-January, open at its end
    await act('J', 'handoffs', '2025-01-02T09:00:00', { toRole: 'specialist' });
    clock.setLocal('2025-02-05T08:00:00');
    const january = async () => {
      const body = (await get('/api/v1/quality-index?unit=502&period=2025-01')).json();
      const items = (await get('/api/v1/quality-index/2.1/items?unit=502&period=2025-01&limit=200', desk)).json().items;
      return { facts: body.facts, score: indicator(body, '2.1'), j: items.find((i: { code: string }) => i.code === codes.J) };
    };
    const before = await january();
    expect(before.j).toMatchObject({ counted: false });
    // In February the clock stops for a supplement: today the dossier has no appointment, but in January it was late.
    expect((await get(`/api/v1/dossiers/${codes.J}`, desk)).json().dueAt).not.toBeNull();
    await act('J', 'supplement-requests', '2025-02-10T08:00:00', { reason: 'Thiếu bản sao', items: ['Bản sao'] });
    expect((await get(`/api/v1/dossiers/${codes.J}`, desk)).json().dueAt).toBeNull();
    clock.setLocal('2025-02-11T08:00:00');
    const after = await january();
    expect(after.facts.openInTimeAtEnd).toBe(before.facts.openInTimeAtEnd);
    expect(after.score).toEqual(before.score);
    expect(after.j).toMatchObject({ counted: false });
  });
});

// Each computes periods of every unit and agency for the first time, and the first compares 700-odd scopes one by one.
describe('closed periods stored, open periods fresh, public reads cacheable over HTTP', { timeout: 120_000 }, () => {
  const storedRow = async (period: string, kind: string, code: string) =>
    (await ctx.deps.db.execute<{ received: string; computed_at: Date; total: number }>(sql`
      select facts->>'received' as received, computed_at, total from quality_scores
      where period = ${period} and scope_kind = ${kind} and scope_code = ${code} and formula_version = '766-2023.1'`)).rows[0];

  it('changes the stored score of a closed period when a late event falls in it', async () => {
    clock.setLocal('2024-07-02T08:00:00'); // June closed, and still within the 72 h a backdated intake may reach into it
    const before = (await get('/api/v1/quality-index?unit=502&period=2024-06')).json();
    const quarter = (await get('/api/v1/quality-index?unit=502&period=2024-Q2')).json();
    expect(await storedRow('2024-06', 'unit', '502')).toMatchObject({ received: String(before.facts.received) });
    expect(before.computedAt).toBe(new Date((await storedRow('2024-06', 'unit', '502'))!.computed_at).toISOString());

    await receive('H', '2024-07-02T08:05:00', { receivedAt: '2024-06-30T10:00:00+07:00' });
    await countNewEvents(ctx.deps);
    // Each process reads the changed months every second: the next reads recompute June and what contains it.
    await expect.poll(async () => (await get('/api/v1/quality-index?unit=502&period=2024-06')).json().facts.received, { timeout: 5000, interval: 200 }).toBe(before.facts.received + 1);
    const after = (await get('/api/v1/quality-index?unit=502&period=2024-06')).json();
    expect(after.computedAt).toBe(clock.now().toISOString());
    expect(await storedRow('2024-06', 'unit', '502')).toMatchObject({ received: String(before.facts.received + 1) });
    expect((await get('/api/v1/quality-index?unit=502&period=2024-Q2')).json().facts.received).toBe(quarter.facts.received + 1);
    expect((await get('/api/v1/quality-index?unit=49&period=2024')).json().facts.received).toBe((await computeIndex(ctx.deps, { kind: 'unit', code: '49' }, '2024')).facts.received);
  });

  it('stores for a closed period the same score as the live computation, for every unit and agency', async () => {
    clock.setLocal('2024-10-02T08:00:00');
    const units = (await get('/api/v1/quality-index/ranking?period=2024-06&kind=unit')).json().items as { code: string }[];
    const agencies = (await get('/api/v1/quality-index/ranking?period=2024-06&kind=agency')).json().items as { code: string }[];
    const live = await computeAll(ctx.deps, '2024-06');
    expect(units.length).toBe(live.units.length);
    expect(agencies.length).toBe(live.agencies.length);
    const stored = (await ctx.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from quality_scores where period = '2024-06' and formula_version = ${live.formulaVersion}`)).rows[0]!.n;
    expect(stored).toBe(units.length + agencies.length);
    const scopes = [...units.map((u) => ({ kind: 'unit' as const, code: u.code })), ...agencies.map((a) => ({ kind: 'agency' as const, code: a.code }))];
    for (let i = 0; i < scopes.length; i += 8) {
      await Promise.all(
        scopes.slice(i, i + 8).map(async (scope) => {
          const served = (await get(`/api/v1/quality-index?${scope.kind}=${scope.code}&period=2024-06`)).json();
          const recomputed = await computeIndex(ctx.deps, scope, '2024-06');
          expect({ scope: served.scope, score: served.score, facts: served.facts, across: served.acrossRestructuring }, `${scope.kind} ${scope.code}`).toEqual({ scope: recomputed.scope, score: recomputed.score, facts: recomputed.facts, across: recomputed.acrossRestructuring });
        }),
      );
    }
    // The ranking from the stored scores is the live one.
    const ranking = (await get('/api/v1/quality-index/ranking?period=2024-06&kind=agency')).json().items;
    expect(ranking).toEqual(live.agencies.map((x) => ({ rank: x.rank, code: x.code, name: x.name, level: x.level, total: x.total, scoredMaximum: x.scoredMaximum, band: x.band, received: x.received, flagged: x.flagged })));
  });

  it('answers public reads with ETag, Last-Modified and Cache-Control, and 304 to a matching conditional request', async () => {
    clock.setLocal('2024-10-02T08:00:00');
    const reads = [
      ['/api/v1/quality-index?unit=502&period=2024-06', 'public, max-age=86400'], // closed long ago
      ['/api/v1/quality-index?unit=502&period=2024-09', 'public, max-age=60'], // closed, a backdated intake may still reach it
      ['/api/v1/quality-index?unit=502&period=2024-10', 'public, max-age=2'], // open
      ['/api/v1/quality-index/ranking?period=2024-Q2&kind=unit&level=district', 'public, max-age=86400'],
      ['/api/v1/quality-index/series?unit=502&period=2024', 'public, max-age=2'],
      ['/api/v1/quality-index/series?agency=' + agencyCode + '&period=2024-Q2', 'public, max-age=86400'],
      ['/api/v1/reports/dossiers?from=2024-01-01&to=2024-06-30&groupBy=unit', 'public, max-age=86400'],
      ['/api/v1/reports/dossiers?from=2024-01-01&to=2024-12-31&groupBy=year&format=csv', 'public, max-age=2'],
      ['/', 'public, max-age=300'],
      ['/assets/app.js', 'public, max-age=300'],
      ['/assets/style.css', 'public, max-age=300'],
    ] as const;
    const encoded: string[] = [];
    for (const [url, cacheControl] of reads) {
      const first = await get(url);
      expect(first.statusCode, `${url}: ${first.body}`).toBe(200);
      const etag = String(first.headers.etag);
      const lastModified = String(first.headers['last-modified']);
      expect(etag, url).toMatch(/^(W\/)?"[\w-]{20,}"$/);
      expect(new Date(lastModified).getTime(), url).not.toBeNaN();
      expect(first.headers['cache-control'], url).toBe(cacheControl);
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
      expect(again.headers.etag, url).toBe(etag);
      expect(again.headers['cache-control'], url).toBe(cacheControl);
      expect((await get(url, { 'if-none-match': `"other", ${etag}` })).statusCode, url).toBe(304);
      expect((await get(url, { 'if-modified-since': lastModified })).statusCode, url).toBe(304);
      const changed = await get(url, { 'if-none-match': '"something-else"' });
      expect(changed.statusCode, url).toBe(200);
      expect(changed.body, url).toBe(first.body);
      // A browser's request gets the same bytes gzip-encoded (kept encoded, not compressed per request), with the
      // same ETag made weak; either ETag validates either encoding. A body too small to gain is sent as it is.
      const zipped = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(zipped.statusCode, url).toBe(200);
      if (first.rawPayload.length >= 1024) {
        expect(zipped.headers['content-encoding'], url).toBe('gzip');
        encoded.push(url);
        expect(gunzipSync(zipped.rawPayload).equals(first.rawPayload), url).toBe(true);
        expect(zipped.rawPayload.length, url).toBeLessThan(first.rawPayload.length);
        expect(zipped.headers.etag, url).toBe(etag.startsWith('W/') ? etag : `W/${etag}`);
        expect(String(zipped.headers.vary), url).toMatch(/accept-encoding/);
        expect(String(first.headers.vary), url).toMatch(/accept-encoding/);
        expect((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': etag })).statusCode, url).toBe(304);
        expect((await get(url, { 'if-none-match': String(zipped.headers.etag) })).statusCode, url).toBe(304);
      } else {
        expect(zipped.headers['content-encoding'], url).toBeUndefined();
      }
    }
    expect(encoded).toEqual(expect.arrayContaining(['/api/v1/quality-index?unit=502&period=2024-06', '/api/v1/quality-index/ranking?period=2024-Q2&kind=unit&level=district', '/assets/app.js']));
    // JSON and CSV of one table are two representations, told apart by Accept.
    const json = await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-06-30&groupBy=year');
    const csv = await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-06-30&groupBy=year', { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(csv.headers.vary)).toMatch(/^accept(, accept-encoding)?$/);
    expect(csv.headers.etag).not.toBe(json.headers.etag);
    // An error is not cached.
    expect((await get('/api/v1/quality-index?unit=99999&period=2024-06')).headers.etag).toBeUndefined();
  });

  it("keeps an open period's ETag while its answer has not changed, though it is recomputed", async () => {
    clock.setLocal('2024-10-02T08:00:00');
    const url = '/api/v1/quality-index?unit=502&period=2024-10';
    const first = await get(url);
    clock.setLocal('2024-10-02T08:00:01');
    await new Promise((r) => setTimeout(r, 4200)); // past the time an unchanged answer is refreshed: recomputed
    const again = await get(url, { 'if-none-match': first.headers.etag as string });
    expect(again.statusCode).toBe(304);
    // A new event in it is seen within seconds, with a new ETag.
    await receive('J', '2024-10-02T08:10:00');
    await countNewEvents(ctx.deps);
    await expect.poll(async () => (await get(url)).json().facts.received, { timeout: 5000, interval: 200 }).toBe(first.json().facts.received + 1);
    expect((await get(url, { 'if-none-match': first.headers.etag as string })).statusCode).toBe(200);
  });
  it("answers an open period's index from every unit's scores computed once, as the live computation does", async () => {
    clock.setLocal('2024-10-02T09:00:00');
    for (const scope of [{ kind: 'unit' as const, code: '49' }, { kind: 'unit' as const, code: '502' }, { kind: 'agency' as const, code: agencyCode }]) {
      const served = (await get(`/api/v1/quality-index?${scope.kind}=${scope.code}&period=2024-10`)).json();
      const live = await computeIndex(ctx.deps, scope, '2024-10');
      expect({ scope: served.scope, score: served.score, facts: served.facts }, `${scope.kind} ${scope.code}`).toEqual({ scope: live.scope, score: live.score, facts: live.facts });
    }
    expect((await get('/api/v1/quality-index?unit=99999&period=2024-10')).statusCode).toBe(404);
  });

  it('refreshes an open answer ahead of its readers, who never wait for a computation while the answer kept is current', async () => {
    // Bounds far above the polls' 50 ms, so that a loaded machine's slow poll does not make the answer kept too old.
    const cache = new ReadCache(ctx.deps, { maxBytes: 1 << 20, pollMs: 50, openFreshMs: 100, openMaxMs: 2000, openWarmMs: 10_000 });
    await cache.start();
    let release = () => {};
    try {
      const open = { from: '2024-11-01', to: '2024-11-30', closed: false, contentType: 'application/json', cacheControl: 'public, max-age=2' };
      let computed = 0;
      const produce = async () => {
        const n = ++computed;
        if (n > 1) await new Promise<void>((r) => (release = r)); // the refresh hangs until released
        return { body: `{"n":${n}}`, lastModified: new Date(0) };
      };
      const first = await cache.get('k', open, produce);
      // No request comes, yet the answer is computed again once due (unchanged: after 2 × openFreshMs).
      await expect.poll(() => computed, { timeout: 3000, interval: 20 }).toBe(2);
      // That computation hangs, and the answer kept is older than openMaxMs; no month of it changed since (as the
      // polls tell), so it is current and answered at once.
      await new Promise((r) => setTimeout(r, 2200));
      const again = await Promise.race([cache.get('k', open, produce), new Promise<'waited'>((r) => setTimeout(() => r('waited'), 1500))]);
      expect(again === 'waited' ? again : again.body.toString()).toBe(first.body.toString());
      expect(computed).toBe(2);
    } finally {
      release();
      await cache.stop();
    }
  });

  it('finds a closed answer again by its request URL alone, until a month it covers changes', async () => {
    clock.setLocal('2024-10-02T10:00:00');
    const cache = new ReadCache(ctx.deps, { maxBytes: 1 << 20, pollMs: 50, openFreshMs: 100, openMaxMs: 300, openWarmMs: 10_000 });
    await cache.start();
    try {
      const closed = { from: '2024-09-01', to: '2024-09-30', closed: true, contentType: 'application/json', cacheControl: 'public, max-age=60' };
      const url = '/api/v1/quality-index?unit=502&period=2024-09';
      await cache.get('index-502-2024-09', closed, async () => ({ body: '{"total":71}', lastModified: new Date(0) }), url);
      expect(cache.byRequestUrl(url)).toMatchObject({ from: '2024-09-01', to: '2024-09-30', closed: true });
      expect(cache.byRequestUrl(url)!.body.toString()).toBe('{"total":71}');
      expect(cache.byRequestUrl(`${url}&version=766-2023.1`)).toBeUndefined();
      // A late event in September (an intake backdated within INTAKE_BACKDATE_MAX_HOURS) drops it.
      await receive('K', '2024-10-02T10:05:00', { receivedAt: '2024-09-30T15:00:00+07:00' });
      await countNewEvents(ctx.deps);
      await expect.poll(() => cache.byRequestUrl(url), { timeout: 3000, interval: 20 }).toBeUndefined();
    } finally {
      await cache.stop();
    }
  });
  it('scores ahead of readers (the sweep) a closed period a late event made stale, and the month, quarter and year just ended', async () => {
    clock.setLocal('2024-10-02T11:00:00');
    // Stored by a read, under the formula in force at the end of August.
    const received = async () =>
      (await ctx.deps.db.execute<{ received: string }>(sql`
        select facts->>'received' as received from quality_scores where period = '2024-08' and scope_kind = 'unit' and scope_code = '502'
          and formula_version = (select version from quality_formulas where effective_from <= '2024-08-31' order by effective_from desc, created_at desc limit 1)`)).rows[0]?.received;
    await get('/api/v1/quality-index?unit=502&period=2024-08');
    const before = Number(await received());
    await receive('L', '2024-10-02T11:05:00'); // an event of October changes nothing closed
    clock.setLocal('2024-09-02T09:00:00'); // a backdated intake into August, from the first days of September
    await receive('M', '2024-09-02T09:05:00', { receivedAt: '2024-08-31T16:00:00+07:00' });
    await countNewEvents(ctx.deps);
    clock.setLocal('2024-10-02T11:10:00');
    const done = await storeClosedPeriods(ctx.deps, clock.now());
    expect(done.periods.map((p) => p.period)).toEqual(expect.arrayContaining(['2024-08', '2024-09', '2024-Q3']));
    expect(done.periods.map((p) => p.period)).not.toContain('2024-10');
    expect(await received()).toBe(String(before + 1));
    const heads = (await ctx.deps.db.execute<{ period: string; fresh: boolean }>(sql`
      select p.period, p.source_seq >= (select coalesce(max(c.change_seq), 0) from quality_counter_changes c where c.month between p.period_from and p.period_to) as fresh
      from quality_score_periods p where p.period in ('2024-08', '2024-09', '2024-Q3') order by p.period`)).rows;
    expect(heads).toEqual([{ period: '2024-08', fresh: true }, { period: '2024-09', fresh: true }, { period: '2024-Q3', fresh: true }]);
    // Once stored and unchanged, a second pass computes nothing again.
    const again = await storeClosedPeriods(ctx.deps, clock.now());
    expect(again.periods.map((p) => p.computedAt)).toEqual(expect.arrayContaining(done.periods.filter((p) => ['2024-09', '2024-Q3'].includes(p.period)).map((p) => p.computedAt)));
  });
});
