/**
 * Quality-index benchmark (prints figures, not a test). On its own database (motcua_bench_index, made and
 * loaded like `npm start` does, then the simulated history unless already there: 2021 to yesterday, about 3 M
 * dossiers at scale 1; the figures below are of its 2021-2023 part, the report's years):
 *  1. the report's table by year against report-figures.json (received, online, resolved, on time, late rate);
 *  2. the index of every unit and agency for each year (computeAll; median of 5), beside the bare scan of the
 *     year's counters grouped the same way (the floor under it), and the ranking through HTTP;
 *  3. an event's delay to the index: a dossier received through the API with the workers running, until
 *     GET /quality-index shows it (20 samples).
 *   npx tsx bench/index/run.ts [scale=1]   (BENCH_PG=postgres://…/postgres to use another server, BENCH_DATABASE_URL another database)
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import figures from '../../seeds/data/report-figures.json' with { type: 'json' };
import { buildApp } from '../../src/app.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { createLogger } from '../../src/lib/logger.js';
import { createAccount } from '../../src/modules/auth/index.js';
import { computeAll } from '../../src/modules/quality/index.js';
import { rebuildCounters } from '../../src/modules/quality/index.js';
import { simulateHistory } from '../../seeds/simulate/simulate-history.js';
import { benchDay, communeCentresInForce, communeProcedureInForce, deskIntakeBody } from '../in-force.js';

const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_DATABASE_URL: another database (e.g. one's own on a shared server); the history's scale is the first argument.
const dbUrl = process.env.BENCH_DATABASE_URL ?? server.replace(/\/[^/]*$/, '/motcua_bench_index');
const scale = Number(process.argv[2] ?? 1);
const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: `bench-index-${process.pid}` });
const logger = createLogger('warn');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t: number) => `${t.toFixed(0)} ms`;

await prepareDatabase(config, logger);
const deps = await buildDeps(config, { logger });
try {
  const [{ n }] = (await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from dossiers where created_by = 'simulator'`)).rows as [{ n: number }];
  if (n === 0) {
    const sim = await simulateHistory(deps, { scale, replace: false });
    console.log(`simulated ${sim.rows} dossiers in ${(sim.ms / 1000).toFixed(1)} s; counters rebuilt from ${sim.counters.events} events into ${sim.counters.rows} rows in ${(sim.counters.ms / 1000).toFixed(1)} s`);
  } else {
    // The counters are rebuilt from the events every run: that is a figure too (and it follows counting changes).
    const r = await rebuildCounters(deps);
    console.log(`simulated history already loaded (${n} dossiers); counters rebuilt from ${r.events} events into ${r.rows} daily, ${r.monthly} monthly and ${r.online} online-use rows in ${(r.ms / 1000).toFixed(1)} s`);
  }
  const app = await buildApp(deps);
  await app.ready();

  // 1. The report's table against the report.
  const table = (await app.inject({ method: 'GET', url: '/api/v1/reports/dossiers?from=2021-01-01&to=2023-12-31&groupBy=year' })).json();
  const d = figures.dossiers_2021_2023;
  const rate = d.late_rate_by_year as Record<string, number>;
  console.log('\nreport table by year (API) vs report-figures.json');
  for (const r of table.rows) console.log(`  ${r.key}: received ${r.received}, online ${r.receivedOnline}, resolved ${r.resolved}, on time ${r.resolvedOnTime}, late ${r.lateRatePercent} % (report ${(100 * rate[r.key]!).toFixed(2)} %, Δ ${(r.lateRatePercent - 100 * rate[r.key]!).toFixed(2)} pp)`);
  const t = table.total;
  console.log(`  total: received ${t.received} (report ${d.received}), online ${t.receivedOnline} (${d.received_online}), resolved ${t.resolved} (${d.resolved}), on time ${t.resolvedOnTime} (${d.resolved_on_time})`);

  // 2. Every unit and agency for a year.
  console.log('\nindex of every unit and agency for a year (computeAll, median of 5 after one warm-up)');
  for (const year of ['2021', '2022', '2023']) {
    await computeAll(deps, year);
    const times: number[] = [];
    let scopes = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const all = await computeAll(deps, year);
      times.push(performance.now() - s);
      scopes = all.units.length + all.agencies.length;
    }
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await deps.db.execute(sql`select unit_code, agency_code, sum(received), sum(resolved), sum(resolved_late) from quality_counters_monthly
        where month between ${`${year}-01-01`} and ${`${year}-12-31`} group by grouping sets ((unit_code), (agency_code))`);
      floor.push(performance.now() - s);
    }
    console.log(`  ${year}: ${scopes} scopes in ${ms(median(times))} (target ≤ 1 s); floor (bare grouped scan of the monthly counters) ${ms(median(floor))}`);
  }
  const s = performance.now();
  const ranking = await app.inject({ method: 'GET', url: '/api/v1/quality-index/ranking?period=2023&kind=unit' });
  console.log(`  GET /quality-index/ranking?period=2023&kind=unit through HTTP: ${ranking.json().items.length} units in ${ms(performance.now() - s)}`);
  const one = performance.now();
  await app.inject({ method: 'GET', url: '/api/v1/quality-index?unit=49&period=2023' });
  console.log(`  GET /quality-index?unit=49&period=2023 (the province, all dossiers): ${ms(performance.now() - one)}`);
  const series = performance.now();
  await app.inject({ method: 'GET', url: '/api/v1/quality-index/series?unit=49&period=2023' });
  console.log(`  GET /quality-index/series?unit=49&period=2023 (the public page's chart, 12 months): ${ms(performance.now() - series)}`);

  // 3. An event's delay to the index, with the workers running.
  const workers = await startWorkers(deps);
  try {
    // A commune centre and a commune-level procedure of the national catalogue, in force today.
    const day = benchDay();
    const desk = (await communeCentresInForce(deps.pool, day, 1))[0]!;
    const proc = await communeProcedureInForce(deps.pool, day, { agency: 'COMM-KT' });
    await deps.db.execute(sql`delete from staff_accounts where username = 'bench-index'`);
    await createAccount(deps.db, { username: 'bench-index', fullName: 'Bench', password: 'bench-password-123', roles: [{ role: 'desk_officer', scopeKind: 'unit', scopeCode: desk.unit_code }] });
    const token = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench-index', password: 'bench-password-123' } })).json().accessToken;
    const period = day.slice(0, 7);
    const url = `/api/v1/quality-index?unit=${desk.unit_code}&period=${period}`;
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = (await app.inject({ method: 'GET', url })).json().facts.received as number;
      const started = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization: `Bearer ${token}` },
        payload: deskIntakeBody(proc, desk.code),
      });
      if (res.statusCode !== 201) throw new Error(res.body);
      for (;;) {
        if ((await app.inject({ method: 'GET', url })).json().facts.received > before) break;
        if (performance.now() - started > 30_000) throw new Error('the event did not reach the index in 30 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      delays.push(performance.now() - started);
    }
    console.log(`\nevent → index delay over 20 dossiers: median ${ms(median(delays))}, max ${ms(Math.max(...delays))} (target ≤ 5 s)`);
  } finally {
    await workers.queue.obliterate({ force: true });
    await workers.close();
  }
  await app.close();
  console.log(`load average (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
} finally {
  await closeDeps(deps);
}
