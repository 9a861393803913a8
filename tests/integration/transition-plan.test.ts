import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/lib/paths.js';
import { countNewEvents } from '../../src/modules/quality/index.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

let ctx: TestContext;
let databaseUrl: string;
const clock = TestClock.atLocal('2025-06-10T09:00:00');
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  databaseUrl = ctx.deps.config.DATABASE_URL;
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

type Auth = { authorization: string; username: string };
const get = (url: string, auth?: Auth) => ctx.app.inject({ method: 'GET', url, headers: auth ? { authorization: auth.authorization } : {} });
const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, auth: Auth) =>
  ctx.app.inject({ method, url, payload: payload as object, headers: { authorization: auth.authorization } });
const count = async (query: ReturnType<typeof sql>) => Number((await ctx.deps.db.execute<{ n: string }>(query)).rows[0]!.n);
const BASIS = 'Nghị quyết 1659/NQ-UBTVQH15; Nghị định 118/2025/NĐ-CP';
const HOA_LIEN = { code: '20296', name: 'Xã Hòa Liên', note: 'split between Phường Hải Vân and Phường Liên Chiểu: counted once, under 20194' };

describe('the transition of open dossiers to the 2025-07-01 organisation', () => {
  let district: ProcedurePick;
  let tamKy: { code: string; dueAt: string; phone: string };
  let phuocSon: string;
  let anMy: string;
  let oldDesk: Auth;
  let admin: Auth;
  let planId: number;
  let clones = 0;

  it('receives dossiers in June 2025 at a district desk and a commune desk that are still open on 2025-07-01', async () => {
    district = await pickProcedure(ctx, sql`level = 'district' and agency_code = 'DIST-TNMT' and not location_independent`);
    const commune = await pickProcedure(ctx, sql`level = 'commune' and not location_independent`);
    oldDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    const atTamKy = await send('POST', '/api/v1/dossiers', intakeBody(district, 'H502'), oldDesk);
    expect(atTamKy.statusCode, atTamKy.body).toBe(201);
    const d = (await get(`/api/v1/dossiers/${atTamKy.json().dossierCode}`, oldDesk)).json();
    expect(d).toMatchObject({ deskCode: 'H502', authorityAgencyCode: '502-TNMT' });
    tamKy = { code: d.code, dueAt: d.dueAt, phone: d.applicant.phone.slice(-4) };

    const psDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '511' });
    phuocSon = (await send('POST', '/api/v1/dossiers', intakeBody(district, 'H511'), psDesk)).json().dossierCode;
    const amDesk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
    const atAnMy = await send('POST', '/api/v1/dossiers', intakeBody(commune, 'X20341'), amDesk);
    expect(atAnMy.statusCode, atAnMy.body).toBe(201);
    anMy = atAnMy.json().dossierCode;
    expect(anMy).toMatch(/^X20341-250610-/);

    // Many more open dossiers of Tam Kỳ's desk, for the batches (copies of the first, with their own codes).
    const columns = (await ctx.deps.db.execute<{ column_name: string }>(sql`
      select column_name from information_schema.columns where table_name = 'dossiers' and column_name not in ('id', 'code') order by ordinal_position`)).rows.map((r) => r.column_name);
    const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
    clones = 1500;
    await ctx.deps.db.execute(sql`insert into dossiers (code, ${list})
      select 'H502-250610-' || (1000 + g)::text, ${list} from dossiers, generate_series(1, ${clones}) g where code = ${tamKy.code}`);
  });

  it('refuses a bad plan with a 4xx naming the field, and writes nothing', async () => {
    clock.setLocal('2025-07-01T08:00:00');
    // The city's administrator: the province-level unit in force from 2025-07-01.
    admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
    const unknownUnit = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS, districtRules: { '511': '99999' } }, admin);
    expect(unknownUnit.statusCode).toBe(400);
    expect(unknownUnit.json().error.message).toMatch(/body\.districtRules\.511: no unit 99999/);
    const closedUnit = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS, districtRules: { '511': '20338' } }, admin);
    expect(closedUnit.statusCode).toBe(400);
    const notADistrict = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS, districtRules: { '999': '20341' } }, admin);
    expect(notADistrict.json().error.message).toMatch(/body\.districtRules\.999/);
    const noVersion = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-08-01', basis: BASIS }, admin);
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().error.message).toMatch(/body\.effectiveFrom/);
    const desk = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS }, oldDesk);
    expect(desk.statusCode).toBe(403);
    expect(await count(sql`select count(*) n from transition_plans`)).toBe(0);
  });

  it('makes a plan: every open dossier of the closed desks with its destination, the ones it cannot place with why, the roles that end', async () => {
    const made = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS }, admin);
    expect(made.statusCode, made.body).toBe(201);
    const plan = made.json();
    planId = plan.id;
    expect(plan.counts).toEqual({ placed: clones + 2, unplaced: 1, transferred: 0 });
    expect(plan.roles.map((r: { scopeCode: string }) => r.scopeCode)).toEqual(expect.arrayContaining(['502', '511', '20341']));

    const unplaced = (await get(`/api/v1/transition-plans/${planId}?state=unplaced`, admin)).json();
    expect(unplaced.items).toEqual([expect.objectContaining({ dossierCode: phuocSon, to: null, basis: expect.stringMatching(/Huyện Phước Sơn.*no rule/) })]);
    const csv = await get(`/api/v1/transition-plans/${planId}?format=csv`, admin);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const line = csv.body.split('\n').find((l) => l.startsWith(`${tamKy.code},`))!;
    expect(line).toContain('placed,H502,502,502-TNMT,H502,TX20341,20341,KT-TX20341,TX20341');
    expect(line).toMatch(/the unit named after Thành phố Tam Kỳ/);
    expect(csv.body).toContain(`${anMy},placed,X20341,20341,UBND-20341,X20341,TX20341,20341,UBND-TX20341,TX20341`);

    // The same request again answers the plan made; another rule for the same date is refused.
    expect((await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS }, admin)).statusCode).toBe(200);
    const conflicting = await send('POST', '/api/v1/transition-plans', { effectiveFrom: '2025-07-01', basis: BASIS, districtRules: { '502': '20335' } }, admin);
    expect(conflicting.statusCode).toBe(409);
    expect(await count(sql`select count(*) n from transition_plans`)).toBe(1);
  });

  it('is amended per dossier by an administrator; a closed or unknown desk is refused', async () => {
    const url = `/api/v1/transition-plans/${planId}/items/${phuocSon}`;
    const closed = await send('PATCH', url, { toDeskCode: 'H511', reason: 'thử' }, admin);
    expect(closed.statusCode).toBe(400);
    expect(closed.json().error.message).toMatch(/body\.toDeskCode: desk H511 is closed on 2025-07-01/);
    expect((await send('PATCH', url, { toDeskCode: 'TX99999', reason: 'thử' }, admin)).json().error.message).toMatch(/no desk TX99999/);
    expect(await count(sql`select count(*) n from transition_plan_items where state = 'unplaced'`)).toBe(1);
    // Thị trấn Khâm Đức, the seat of Phước Sơn, is in Xã Khâm Đức (20722).
    const amended = await send('PATCH', url, { toDeskCode: 'TX20722', reason: 'Trụ sở huyện Phước Sơn tại thị trấn Khâm Đức' }, admin);
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json()).toMatchObject({ state: 'placed', to: { deskCode: 'TX20722', unitCode: '20722', authorityAgencyCode: 'KT-TX20722' } });
  });

  it('applies in batches; a process killed mid-way is finished by applying again; no dossier is moved twice', async () => {
    const first = await send('POST', `/api/v1/transition-plans/${planId}/application`, { batchSize: 1, maxBatches: 1 }, admin);
    expect(first.json()).toMatchObject({ transferred: 1, batches: 1, status: 'applying' });

    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/apply-transition-plan.ts', '--plan', String(planId), '--by', admin.username, '--batch', '1'], {
      cwd: fromRoot(),
      env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: ctx.deps.config.REDIS_URL, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const transferredNow = () => count(sql`select count(*) n from transition_plan_items where state = 'transferred'`);
    const until = Date.now() + 60_000;
    while ((await transferredNow()) < 50 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const halfway = await transferredNow();
    expect(halfway).toBeGreaterThanOrEqual(50);
    expect(halfway).toBeLessThan(clones + 3);

    const rest = await send('POST', `/api/v1/transition-plans/${planId}/application`, {}, admin);
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toMatchObject({ transferred: clones + 3 - halfway, remaining: 0, unplaced: 0, status: 'applied' });
    expect(rest.json().rolesEnded).toBeGreaterThanOrEqual(3);
    // Every dossier moved exactly once.
    expect(await count(sql`select count(*) n from dossier_events where type = 'transferred'`)).toBe(clones + 3);
    expect(await count(sql`select count(*) n from (select dossier_id from dossier_events where type = 'transferred' group by dossier_id having count(*) > 1) x`)).toBe(0);
    expect(await count(sql`select count(*) n from dossiers where desk_code in ('H502', 'H511', 'X20341') and status not in ('returned', 'stopped', 'withdrawn')`)).toBe(0);

    // Applying again changes nothing.
    const snapshot = async () => (await ctx.deps.db.execute(sql`select (select count(*) from dossier_events) e, (select count(*) from control_slip_lines) c, (select max(xmin::text::bigint) from dossiers) x`)).rows[0];
    const before = await snapshot();
    const again = await send('POST', `/api/v1/transition-plans/${planId}/application`, {}, admin);
    expect(again.json()).toMatchObject({ transferred: 0, batches: 0, rolesEnded: 0, status: 'applied' });
    expect(await snapshot()).toEqual(before);
  }, 120_000); // a child process (tsx) starts, which takes long on a loaded machine

  it('the moved dossier keeps its appointment, is listed at its new desk, is completed and returned there, and the citizen finds it by its code', async () => {
    clock.setLocal('2025-07-02T08:00:00');
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
    const d = (await get(`/api/v1/dossiers/${tamKy.code}`, desk)).json();
    expect(d).toMatchObject({ code: tamKy.code, deskCode: 'TX20341', unitCode: '20341', authorityAgencyCode: 'KT-TX20341', dueAt: tamKy.dueAt });
    const moved = d.history.find((e: { type: string }) => e.type === 'transferred');
    expect(moved).toMatchObject({ actor: admin.username, data: { from: { deskCode: 'H502', authorityAgencyCode: '502-TNMT' }, to: { deskCode: 'TX20341' } } });
    expect(moved.data.basis).toMatch(/Nghị quyết 1659/);
    const slip = (await get(`/api/v1/dossiers/${tamKy.code}/control-slip`, desk)).json();
    expect(slip.lines.at(-1)).toMatchObject({ giverAgencyCode: 'H502', receiverAgencyCode: 'TX20341', giverUsername: admin.username });

    // Listed at the new desk (with the copies: page through).
    const listed: string[] = [];
    for (let cursor: string | undefined, pages = 0; pages < 20; pages++) {
      const page = (await get(`/api/v1/dossiers?desk=TX20341&limit=200${cursor ? `&cursor=${cursor}` : ''}`, desk)).json();
      listed.push(...page.items.map((i: { code: string }) => i.code));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(listed).toContain(tamKy.code);
    expect(listed).toContain(anMy);

    // The old district officer's role over 502 ended on 2025-07-01: a new login holds none.
    const roles = await ctx.deps.db.execute<{ ends_on: string }>(sql`select r.ends_on from staff_roles r join staff_accounts a on a.id = r.account_id where a.username = ${oldDesk.username}`);
    expect(roles.rows.map((r) => r.ends_on)).toEqual(['2025-07-01']);
    expect([401, 404]).toContain((await get(`/api/v1/dossiers/${tamKy.code}`, oldDesk)).statusCode);

    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'KT-TX20341' });
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: 'KT-TX20341' });
    const act = (path: string, body: unknown, who: Auth) => send('POST', `/api/v1/dossiers/${tamKy.code}/${path}`, body, who);
    const h1 = await act('handoffs', { toAgencyCode: 'KT-TX20341', toRole: 'specialist' }, desk);
    expect(h1.statusCode, h1.body).toBe(200);
    clock.setLocal('2025-07-02T10:00:00');
    expect((await act('handoffs', { toRole: 'agency_head' }, specialist)).statusCode).toBe(200);
    const done = await act('completion', { resultReference: 'Số 12/QĐ-UBND' }, head);
    expect(done.statusCode, done.body).toBe(200);
    const returned = await act('return', { method: 'desk' }, desk);
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().status).toBe('returned');

    const lookup = await get(`/api/v1/public/dossiers/${tamKy.code}?phone=${tamKy.phone}`);
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({ status: 'returned' });
  });

  it("counts the moved dossier in the new unit's 2025 figures and in the old district's area view; 2024 is untouched", async () => {
    await countNewEvents(ctx.deps);
    // Its intake (June) counts under Tam Kỳ's district desk, as it happened; its result (July) under Phường Tam Kỳ.
    const byDay = await ctx.deps.db.execute<{ unit_code: string; received: number; resolved: number }>(sql`
      select unit_code, sum(received)::int received, sum(resolved)::int resolved from quality_counters where procedure_code = ${district.code} group by 1 order by 1`);
    expect(byDay.rows).toEqual([
      { unit_code: '20341', received: 0, resolved: 1 },
      { unit_code: '502', received: 1, resolved: 0 },
      { unit_code: '511', received: 1, resolved: 0 },
    ]);
    const report = (unit: string) => get(`/api/v1/reports/dossiers?from=2025-01-01&to=2025-12-31&groupBy=year&unit=${unit}`).then((r) => r.json());
    const tamKyYear = await report('20341');
    expect(tamKyYear.acrossRestructuring).toMatchObject({ effectiveFrom: '2025-07-01', areaView: false });
    // Phường Tam Kỳ: the dossier moved from the district (received in June) and An Mỹ's (a predecessor), one resolved.
    expect(tamKyYear.total).toMatchObject({ received: 2, resolved: 1 });
    const area = await report('502');
    expect(area.acrossRestructuring).toMatchObject({ effectiveFrom: '2025-07-01', areaView: true });
    expect(area.total).toMatchObject({ received: 2, resolved: 1 });
    const byUnit = (await get('/api/v1/reports/dossiers?from=2025-01-01&to=2025-12-31&groupBy=unit')).json();
    expect(byUnit.rows.find((r: { key: string }) => r.key === '20341')).toMatchObject({ label: 'Phường Tam Kỳ', resolved: 1 });
    const before = (await get('/api/v1/reports/dossiers?from=2024-01-01&to=2024-12-31&groupBy=unit')).json();
    expect(before.acrossRestructuring).toBeNull();

    // The index (QĐ 766) of 2025: the city gathers every Quảng Nam unit before July, a new unit its predecessors.
    const index = async (unit: string, period: string) => (await get(`/api/v1/quality-index?unit=${unit}&period=${period}`)).json().facts;
    expect(await index('48', '2025')).toMatchObject({ received: 3, resolved: 1 });
    expect(await index('48', '2025-Q3')).toMatchObject({ received: 0, resolved: 1 });
    // Phường Tam Kỳ: An Mỹ's dossier (a predecessor) and the one moved to it from the district's desk, intake and
    // result, counted once (the city and the district's area view count it once too); Khâm Đức the one from Phước Sơn.
    expect(await index('20341', '2025')).toMatchObject({ received: 2, resolved: 1 });
    expect(await index('20722', '2025')).toMatchObject({ received: 1, resolved: 0 });
    // Before the date, the old units as they were: Xã An Mỹ (the code's first holder) and Tam Kỳ's district desk.
    expect(await index('20341', '2025-06')).toMatchObject({ received: 1 });
    expect(await index('502', '2025-06')).toMatchObject({ received: 2 });
    // Open at June's end where they were then, though moved since: Tam Kỳ's desk held its dossier and the copies
    // (and Xã An Mỹ, a commune of the district, its own), the district's environment office decided them.
    expect((await index('502', '2025-06')).openAtEnd).toBe(clones + 2);
    expect((await get(`/api/v1/quality-index?agency=502-TNMT&period=2025-06`)).json().facts.openAtEnd).toBe(clones + 1);
    expect((await index('511', '2025-06')).openAtEnd).toBe(1);
    // …and not at Xã An Mỹ, whose code Phường Tam Kỳ holds now: it had its own one open.
    expect((await index('20341', '2025-06')).openAtEnd).toBe(1);
    // The old district's area view in the index and the rankings: its desk and communes before, Phường Tam Kỳ after.
    expect(await index('502', '2025')).toMatchObject({ received: 2, resolved: 1 });
    const ranking = (await get('/api/v1/quality-index/ranking?period=2025&kind=unit&level=district')).json();
    expect(ranking.items.find((x: { code: string }) => x.code === '502')).toMatchObject({ name: 'Thành phố Tam Kỳ (địa bàn, đến 2025-07-01)', received: 2 });
    expect(ranking.items).toHaveLength(17);
    const communes = (await get('/api/v1/quality-index/ranking?period=2025&kind=unit&level=commune')).json();
    expect(communes.items).toHaveLength(94);
    expect(communes.items.find((x: { code: string }) => x.code === '20341')).toMatchObject({ name: 'Phường Tam Kỳ', received: 2, flagged: [] });
    expect((await get('/api/v1/quality-index?unit=502&period=2025-Q3')).statusCode).toBe(404);

    // The 2025 series of a unit formed on 2025-07-01: the months before are its predecessors' together (marked), so
    // that the months add up to the year's index, the dossier moved to it from the district's desk included.
    for (const unit of ['20341', '48']) {
      const series = await get(`/api/v1/quality-index/series?unit=${unit}&period=2025`);
      expect(series.statusCode, series.body).toBe(200);
      const points = series.json().points as { period: string; received: number; resolved: number; predecessors: boolean }[];
      expect(points.map((p) => p.predecessors), unit).toEqual([...Array(6).fill(true), ...Array(6).fill(false)]);
      const year = await index(unit, '2025');
      expect(points.reduce((n, p) => n + p.received, 0), unit).toBe(year.received);
      expect(points.reduce((n, p) => n + p.resolved, 0), unit).toBe(year.resolved);
    }
    // Phường Tam Kỳ's June: Xã An Mỹ's dossier and the one received at Tam Kỳ's district desk and moved to it.
    const tamKySeries = (await get('/api/v1/quality-index/series?unit=20341&period=2025')).json().points;
    expect(tamKySeries[5]).toMatchObject({ period: '2025-06', received: 2, predecessors: true });
    // A unit that was there all along has no such months; nor has any unit in a year without a restructuring.
    expect((await get('/api/v1/quality-index/series?unit=20341&period=2025-Q2')).json().points.map((p: { predecessors: boolean }) => p.predecessors)).toEqual([false, false, false]);

    // Xã Hòa Liên, split between Phường Hải Vân and Phường Liên Chiểu: counted once (under Hải Vân), flagged in both.
    for (const unit of ['20194', '20197']) {
      const flagged = (await report(unit)).acrossRestructuring.flagged;
      expect(flagged).toEqual([HOA_LIEN]);
      // The same flag in the unit's index answer and its ranking row.
      const answer = (await get(`/api/v1/quality-index?unit=${unit}&period=2025`)).json();
      expect(answer.acrossRestructuring).toEqual({ effectiveFrom: '2025-07-01', areaView: false, flagged: [HOA_LIEN] });
      expect(communes.items.find((x: { code: string }) => x.code === unit).flagged).toEqual([HOA_LIEN]);
    }
    expect(byUnit.acrossRestructuring.flagged).toEqual([HOA_LIEN]);
    expect((await get('/api/v1/quality-index?unit=502&period=2025')).json().acrossRestructuring).toEqual({ effectiveFrom: '2025-07-01', areaView: true, flagged: [] });
    expect((await get('/api/v1/quality-index?unit=502&period=2024')).json().acrossRestructuring).toBeNull();
  });
});
