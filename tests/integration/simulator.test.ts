import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../seeds/data/report-figures.json' with { type: 'json' };
import { historyPlan } from '../../seeds/simulate/plan.js';
import { simulateHistory } from '../../seeds/simulate/simulate-history.js';
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
    const r = await simulateHistory(ctx.deps, { scale: 0.003, replace: false });
    expect(r.rows).toBe(plan.reduce((s, y) => s + y.received, 0));
    for (const y of plan) {
      const got = r.years.find((x) => x.year === y.year)!;
      expect(got).toMatchObject({ received: y.received, online: y.online, resolved: y.resolved, onTime: y.resolved - y.late });
    }
    const land = await ctx.deps.pool.query(`select count(*) filter (where field_code in ('DATDAI','TNMT-DD') and desk_code !~ '^T')::int as land, count(*)::int as all
      from dossiers where created_by = 'simulator' and status = 'returned' and timeliness = 'late'`);
    expect(land.rows[0].land / land.rows[0].all).toBeGreaterThan(0.5);
    await expect(simulateHistory(ctx.deps, { scale: 0.003, replace: false })).rejects.toThrow(/already loaded/);
  });
});
