import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../seeds/data/report-figures.json' with { type: 'json' };
import { historyPlan } from '../../seeds/simulate/plan.js';
import { GENERATED_VOLUME_MARK, simulateHistory } from '../../seeds/simulate/simulate-history.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { startTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => ctx?.close());

describe('history simulator', () => {
  it('plans the report’s three-year totals and yearly late rates exactly', () => {
    const plan = historyPlan();
    const sum = (k: 'received' | 'online' | 'resolved' | 'late') => plan.reduce((s, y) => s + y[k], 0);
    const d = figures.dossiers_2021_2023;
    expect(sum('received')).toBe(d.received);
    expect(sum('online')).toBe(d.received_online);
    expect(sum('resolved')).toBe(d.resolved);
    expect(sum('resolved') - sum('late')).toBe(d.resolved_on_time);
    for (const y of plan) expect((y.late / y.resolved).toFixed(4)).toBe((d.late_rate_by_year as Record<string, number>)[String(y.year)]!.toFixed(4));
  });

  it('loads a scaled history whose engine-judged timeliness matches the plan, late mostly in local land procedures', async () => {
    const plan = historyPlan(0.003);
    const r = await simulateHistory(ctx.deps, { scale: 0.003, replace: false, until: '2023-12-31' });
    expect(r.transition).toBeNull();
    expect(r.years.map((y) => y.year)).toEqual([2021, 2022, 2023]);
    expect(r.rows).toBe(plan.reduce((s, y) => s + y.received, 0));
    for (const y of plan) {
      const got = r.years.find((x) => x.year === y.year)!;
      expect(got).toMatchObject({ received: y.received, online: y.online, resolved: y.resolved, onTime: y.resolved - y.late });
    }
    const land = await ctx.deps.pool.query(`select count(*) filter (where field_code in ('DATDAI','TNMT-DD') and desk_code !~ '^T')::int as land, count(*)::int as all
      from dossiers where created_by = 'simulator' and status = 'returned' and timeliness = 'late'`);
    expect(land.rows[0].land / land.rows[0].all).toBeGreaterThan(0.5);
    await expect(simulateHistory(ctx.deps, { scale: 0.003, replace: false, until: '2023-12-31' })).rejects.toThrow(/already loaded/);
  });

  it('goes on to date across 2025-07-01: the open dossiers moved by the transition plan, the city’s centres after it, 2021-2023 unchanged', async () => {
    await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
    ctx.deps.reference.invalidate();
    const q = async <T,>(text: string) => (await ctx.deps.pool.query(text)).rows as T[];
    const r = await simulateHistory(ctx.deps, { scale: 0.003, replace: true, until: '2026-11-30' });
    for (const y of historyPlan(0.003)) {
      expect(r.years.find((x) => x.year === y.year)).toMatchObject({ received: y.received, online: y.online, resolved: y.resolved, onTime: y.resolved - y.late });
    }
    expect(r.years.map((y) => y.year)).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
    // The dossiers open on 2025-06-30 were received at Quảng Nam's desks and moved by applying the plan, every one.
    expect(r.transition).toMatchObject({ status: 'applied', unplaced: 0, remaining: 0 });
    expect(r.transition!.transferred).toBeGreaterThan(10);
    const [moved] = await q<{ n: number; old_desks: number; new_desks: number; ended: number }>(`
      select count(*)::int n, count(*) filter (where t.data->'from'->>'deskCode' ~ '^[THX][0-9]')::int old_desks,
        count(*) filter (where d.desk_code ~ '^T[TX][0-9]')::int new_desks, count(*) filter (where d.ended_at is not null)::int ended
      from dossier_events t join dossiers d on d.id = t.dossier_id where t.type = 'transferred' and d.created_by = 'simulator'`);
    expect(moved).toEqual({ n: r.transition!.transferred, old_desks: moved!.n, new_desks: moved!.n, ended: moved!.n });
    // Nothing is left open at a closed desk; from 2025-07-01 every dossier is received at a centre of the city.
    expect(await q(`select code from dossiers where ended_at is null and desk_code !~ '^T[TX]'`)).toEqual([]);
    expect(await q(`select code from dossiers where received_at >= '2025-07-01T00:00+07' and desk_code !~ '^T[TX][0-9]+$' limit 3`)).toEqual([]);
    expect(await q(`select code from dossiers where received_at < '2025-07-01T00:00+07' and code ~ '^T[TX]' limit 3`)).toEqual([]);
    // Each dossier is of a procedure version in force on its receipt day: the generated catalogue up to 2025-06-30
    // (kept by the dossiers moved on the change), the catalogue of 2025-07-01 after it, real and re-levelled.
    const versions = `from dossiers d join procedures p on p.id = d.procedure_id where d.created_by = 'simulator'`;
    const receiptDay = `(d.received_at at time zone 'Asia/Ho_Chi_Minh')::date`;
    expect(await q(`select d.code ${versions} and not (p.valid_from <= ${receiptDay} and (p.valid_to is null or p.valid_to > ${receiptDay})) limit 3`)).toEqual([]);
    expect(await q(`select d.code ${versions} and d.code in (select d2.code from dossier_events t join dossiers d2 on d2.id = t.dossier_id where t.type = 'transferred') and p.valid_to <> '2025-07-01' limit 3`)).toEqual([]);
    const after = await q<{ source: string; level: string; desks: string }>(`
      select p.source, p.level, string_agg(distinct case when d.desk_code = 'TT48' then 'TT48' else left(d.desk_code, 2) end, ',') desks
      ${versions} and d.received_at >= '2025-07-01T00:00+07' group by 1, 2 order by 1, 2`);
    expect(after).toEqual([
      { source: 'generated', level: 'commune', desks: 'TX' },
      { source: 'generated', level: 'province', desks: 'TT48' },
      { source: 'national_catalogue', level: 'commune', desks: 'TX' },
      { source: 'national_catalogue', level: 'province', desks: 'TT48' },
    ]);
    // Deciding agencies in force: the one the version names, or its template's in the dossier's own commune.
    expect(await q(`select d.code, d.authority_agency_code ${versions} and d.received_at >= '2025-07-01T00:00+07'
      and not exists (select 1 from agencies a where a.code = d.authority_agency_code and a.valid_from <= ${receiptDay} and (a.valid_to is null or a.valid_to > ${receiptDay})
        and (a.code = p.agency_code or (a.template_code = p.agency_code and a.unit_code = d.unit_code))) limit 3`)).toEqual([]);
    // The counters keep each event where it happened: the intake of a moved dossier under its old unit.
    expect(await q(`select distinct unit_code from quality_counters where day >= '2025-07-01' and unit_code not in (select code from units where valid_from = '2025-07-01')`)).toEqual([]);
    expect(await q(`select distinct unit_code from quality_counters where day < '2025-07-01' and unit_code in (select code from units where valid_from = '2025-07-01') and unit_code not in (select code from units where valid_to = '2025-07-01')`)).toEqual([]);
    // The units formed from old Đà Nẵng have a generated volume, marked on each dossier; none in Quảng Nam's.
    const [marks] = await q<{ marked: number; elsewhere: number }>(`
      select count(*) filter (where applicant->>'address' = '${GENERATED_VOLUME_MARK}')::int marked,
        count(*) filter (where applicant->>'address' = '${GENERATED_VOLUME_MARK}' and unit_code in (select unit_code from unit_predecessors where predecessor_province_code = '49'))::int elsewhere
      from dossiers where created_by = 'simulator'`);
    expect(marks!.marked).toBeGreaterThan(0);
    expect(marks!.elsewhere).toBe(0);
    expect(r.generatedVolume).toBe(marks!.marked);
    // The year 2025 across the change, for the city: every dossier received that year (one history).
    const [y2025] = await q<{ n: number }>(`select count(*)::int n from dossiers where created_by = 'simulator' and received_at >= '2025-01-01T00:00+07' and received_at < '2026-01-01T00:00+07'`);
    const report = await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/dossiers?from=2025-01-01&to=2025-12-31&groupBy=year&unit=48' });
    expect(report.json().total.received).toBe(y2025!.n);
  });
});
