/**
 * Transition benchmark (prints figures; not a test): the 2025-07-01 transition plan made and applied in batches,
 * timed, with the process's peak RSS and the load average. Target: ≤ 60 s for 100,000 open dossiers. Two inputs:
 * - default: N open dossiers (default 100,000) received in June 2025 at every Quảng Nam desk in force then (half of
 *   them held by the deciding agency);
 * - `--simulated`: the simulator's history at full scale up to 2025-06-30 (2021-2023 as the report gives it, 2024
 *   and 2025's first half), whose dossiers open on 2025-06-30 are the plan's, as in the simulator's own crossing.
 *   The history is loaded once into `motcua_bench_transition_base` (minutes) and cloned for each run.
 * Uses its own database (`motcua_bench_transition`, recreated each run; DATABASE_URL's server). Usage:
 *   npm run bench:transition [-- --dossiers 100000 --batch 2000] [-- --simulated]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { applyPlan, createPlan } from '../../src/modules/restructuring/index.js';
import { seatRules, TRANSITION_BASIS } from '../../seeds/simulate/transition.js';

const { values } = parseArgs({ options: { dossiers: { type: 'string', default: '100000' }, batch: { type: 'string', default: '2000' }, simulated: { type: 'boolean', default: false } } });
const SYNTHETIC = Number(values.dossiers);
const batchSize = Number(values.batch);
const base = loadConfig();
const url = new URL(base.DATABASE_URL);
url.pathname = '/motcua_bench_transition';
const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
await admin.connect();
await admin.query('drop database if exists motcua_bench_transition with (force)');
const BASE = 'motcua_bench_transition_base';
if (values.simulated) {
  const ready = (await admin.query(`select 1 from pg_database where datname = $1 and shobj_description(oid, 'pg_database') = 'simulated up to 2025-06-30'`, [BASE])).rowCount;
  if (!ready) {
    await admin.query(`drop database if exists ${BASE} with (force)`);
    console.log(`loading the simulated history up to 2025-06-30 into ${BASE} (minutes)…`);
    const baseUrl = Object.assign(new URL(url), { pathname: `/${BASE}` }).toString();
    execFileSync('npx', ['tsx', 'seeds/simulate/run.ts', '--until', '2025-06-30'], { env: { ...process.env, DATABASE_URL: baseUrl, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
    await admin.query(`comment on database ${BASE} is 'simulated up to 2025-06-30'`);
  }
  await admin.query(`create database motcua_bench_transition template ${BASE}`);
}
await admin.end();

const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' });
const at = new Date('2025-07-01T08:00:00+07:00');
// The organisation of today: Quảng Nam until 2025-06-30, Đà Nẵng from 2025-07-01.
await prepareDatabase(config, createLogger('warn'), () => new Date('2026-12-01T00:00:00+07:00'));
const deps = await buildDeps(config, { logger: createLogger('warn'), now: () => at });
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
try {
  let t = performance.now();
  if (values.simulated) {
    const open = (await deps.pool.query(`select count(*)::int n, count(distinct desk_code)::int desks from dossiers where ended_at is null`)).rows[0];
    const all = (await deps.pool.query(`select count(*)::int n from dossiers`)).rows[0].n;
    console.log(`simulated history: ${all} dossiers, ${open.n} open on 2025-06-30 at ${open.desks} desks`);
  } else await synthesize();
  const N = Number((await deps.pool.query(`select count(*)::int n from dossiers where ended_at is null`)).rows[0].n);
  async function synthesize() {
    await deps.pool.query(
      `with d as (
         select code, unit_code, level, (row_number() over (order by code))::int - 1 as i, (count(*) over ())::int as n
           from desks where valid_from <= '2025-06-30' and (valid_to is null or valid_to > '2025-06-30'))
       insert into dossiers (code, procedure_code, field_code, desk_code, unit_code, channel, status, applicant, phone_last4, documents,
                             result_delivery, authority, authority_agency_code, current_step, holder_agency_code, holder_role,
                             step_started_at, received_at, effective_start, time_amount, time_unit, supplement_policy, budget_minutes,
                             due_at, original_due_at, provisional, created_by)
       select d.code || '-250620-' || lpad(g::text, 6, '0'), p.code, p.field_code, d.code, d.unit_code, 'desk', 'in_processing',
              '{"kind":"person","name":"Nguyễn Văn An","phone":"0905123456","email":null,"address":"Quảng Nam","citizenIdMasked":null,"taxCode":null,"representative":null}',
              '3456', '[]', '{"method":"desk"}', p.authority,
              case d.level when 'commune' then 'UBND-' || d.unit_code when 'district' then d.unit_code || '-TNMT' else 'STP' end, 1,
              case when g % 2 = 0 then d.code else case d.level when 'commune' then 'UBND-' || d.unit_code when 'district' then d.unit_code || '-TNMT' else 'STP' end end,
              case when g % 2 = 0 then 'desk_officer' else 'specialist' end,
              timestamptz '2025-06-20 09:00+07', timestamptz '2025-06-20 09:00+07', timestamptz '2025-06-20 09:00+07', 10, 'working_day', 'pause', 4800,
              timestamptz '2025-07-04 09:00+07', timestamptz '2025-07-04 09:00+07', false, 'bench'
         from generate_series(0, $1::int - 1) g join d on d.i = g % d.n
         join lateral (select code, field_code, authority from procedures pr where pr.level = d.level order by code limit 1) p on true`,
      [SYNTHETIC],
    );
    await deps.pool.query('vacuum analyze dossiers');
    console.log(`open dossiers: ${SYNTHETIC} at ${(await deps.pool.query(`select count(distinct desk_code)::int n from dossiers`)).rows[0].n} desks (loaded in ${seconds(t)} s)`);
  }

  const started = performance.now();
  t = performance.now();
  // The district rules the simulator's administrator gives (a district's own dossiers to the unit of its seat).
  const plan = await createPlan(deps, { effectiveFrom: '2025-07-01', basis: TRANSITION_BASIS, districtRules: await seatRules(deps, '2025-07-01') }, 'bench');
  const counts = (await deps.pool.query(`select state, count(*)::int n from transition_plan_items where plan_id = $1 group by state order by state`, [plan.id])).rows;
  console.log(`plan made in ${seconds(t)} s: ${counts.map((c) => `${c.state} ${c.n}`).join(', ')}`);
  t = performance.now();
  const applied = await applyPlan(deps, plan.id, 'bench', { batchSize });
  console.log(`applied in ${seconds(t)} s (batch ${batchSize}): ${JSON.stringify(applied)}`);
  console.log(`plan + application: ${seconds(started)} s for ${N} open dossiers (target ≤ 60 s for 100,000); peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  t = performance.now();
  console.log(`applied again in ${seconds(t)} s: ${JSON.stringify(await applyPlan(deps, plan.id, 'bench', { batchSize }))}`);
} finally {
  clearInterval(sampler);
  await closeDeps(deps);
}
