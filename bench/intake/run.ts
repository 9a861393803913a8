/**
 * Intake benchmark (prints figures; not a test). Runs the API as its own process on a real port, then:
 *  1. ceiling: a bare INSERT of an equivalent dossier row through a pg pool, 32 concurrent clients, 20 s, measured
 *     before and again after the intake phases (the ratio is against the higher);
 *  2. POST /api/v1/dossiers through HTTP, 32 concurrent clients, 20 s, every client at one desk (the worst case:
 *     one desk-day sequence for all);
 *  3. the same with the clients spread over 32 desks (18 district, 14 commune), as intakes over the province come;
 * and reports throughput, the ratio, latency percentiles and the API process's RSS.
 *   npx tsx bench/intake/run.ts [seconds=20] [concurrency=32]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { fromRoot } from '../../src/lib/paths.js';
import { benchDay, communeCentresInForce, communeProcedureInForce, deskIntakeBody } from '../in-force.js';

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 32);
const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_DATABASE_URL: another database to make afresh (dropped first), e.g. one's own on a shared server.
const dbUrl = process.env.BENCH_DATABASE_URL ?? server.replace(/\/[^/]*$/, '/motcua_bench');
const dbName = new URL(dbUrl).pathname.slice(1);
const port = 3900 + Math.floor(Math.random() * 90);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function loop(run: () => Promise<void>): Promise<{ ops: number; latencies: number[]; errors: number }> {
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await run();
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { ops: latencies.length, latencies, errors };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  // A fresh database each run (set BENCH_KEEP_DB=1 to reuse the last one, e.g. when profiling the API).
  if (!process.env.BENCH_KEEP_DB) await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();

  const env = { NODE_ENV: 'development', ...process.env, DATABASE_URL: dbUrl, PORT: String(port), ROLE: 'api', LOG_LEVEL: 'warn', DB_POOL_SIZE: '20' };
  // As `npm start` runs it (package.json): the old space bounded, see README (Configuration); BENCH_NODE_ARGS overrides.
  const api = spawn('node', [...(process.env.BENCH_NODE_ARGS ?? '--max-old-space-size=128').split(' ').filter(Boolean), 'dist/src/main.js'], { cwd: fromRoot(), env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // An officer of the desks below, and the procedures they receive.
  const pool = new pg.Pool({ connectionString: dbUrl, max: concurrency });
  const { createAccount } = await import('../../src/modules/auth/index.js');
  const { createDb } = await import('../../src/db/client.js');
  await pool.query(`delete from staff_accounts where username = 'bench'`);
  // The desks of the spread phase, one per client, as intakes across the city arrive: 18 taking a former district
  // procedure (re-levelled to the commune in the catalogue of 2025-07-01) and 14 a commune one, of the catalogue in force today.
  const day = benchDay();
  const districtProc = await communeProcedureInForce(pool, day, { agency: 'COMM-VHXH', source: 'generated' });
  const communeProc = await communeProcedureInForce(pool, day, { agency: 'COMM-UBND', source: 'generated' });
  // Desks in force today: since 2025-07-01 the commune centres (TX…), which take the former district procedures too
  // (docs/domain.md §2a); the first of them takes every client in the one-desk phase.
  const communeCentres = await communeCentresInForce(pool, day, 32);
  const deskRows = communeCentres.slice(0, 18);
  const communeRows = communeCentres.slice(18);
  const oneDesk = deskRows[0]!.code;
  const spreadDesks = [
    ...deskRows.map((d) => ({ desk: d.code, unit: d.unit_code, proc: districtProc })),
    ...communeRows.map((d) => ({ desk: d.code, unit: d.unit_code, proc: communeProc })),
  ];
  await createAccount(createDb(pool), {
    username: 'bench',
    fullName: 'Bench',
    password: 'bench-password-123',
    roles: spreadDesks.map((d) => ({ role: 'desk_officer' as const, scopeKind: 'unit' as const, scopeCode: d.unit })),
  });
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: 'bench-password-123' }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const proc = districtProc;
  const body = JSON.stringify(deskIntakeBody(proc, oneDesk));

  // 1. Ceiling: the same row, inserted bare (measured again after the intake phases: on this kind of machine it
  // varies by a quarter from one minute to the next, so the ratio is taken against the higher of the two).
  let n = 0;
  const bareInsert = () => loop(async () => {
    n++;
    await pool.query(
      `insert into dossiers (code, procedure_code, procedure_id, field_code, desk_code, unit_code, channel, status, applicant, documents,
         result_delivery, authority, authority_agency_code, current_step, holder_agency_code, step_started_at, received_at,
         effective_start, time_amount, time_unit, supplement_policy, budget_minutes, due_at, original_due_at, provisional, created_by)
       values ($1, $2, $3, 'f', $4, $5, 'desk', 'received', $6, $7, '{"method":"desk"}', 'agency', 'a', 1, $4, now(), now(),
         now(), 5, 'working_day', 'pause', 2400, now(), now(), false, 'bench')`,
      [`CEIL-${process.pid}-${n}`, proc.code, proc.id, oneDesk, deskRows[0]!.unit_code, JSON.parse(body).applicant, JSON.stringify(JSON.parse(body).documents)],
    );
  });
  const ceilingBefore = await bareInsert();
  await pool.query(`delete from dossiers where code like 'CEIL-%'`);

  // 2. Intake through the API.
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(api.pid!))), 250);
  // node:http with a keep-alive agent: far lighter than fetch, so the load generator (on the same two cores)
  // takes less CPU from the server it measures.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) };
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/dossiers', method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(String(res.statusCode)))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const intake = await loop(post);

  // 3. The same, each client at its own desk (a desk-day's sequence row is the one thing intakes at one desk
  // wait for each other on: it is held until the commit's WAL flush).
  const spreadBodies = spreadDesks.map((d) =>
    JSON.stringify(deskIntakeBody(d.proc, d.desk)),
  );
  let client = 0;
  const postAt = (b: string) => () =>
    new Promise<void>((resolve, reject) => {
      const h = { ...headers, 'content-length': Buffer.byteLength(b) };
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/dossiers', method: 'POST', agent, headers: h }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(b);
    });
  const spread = await loop(() => postAt(spreadBodies[client++ % spreadBodies.length]!)());
  agent.destroy();
  clearInterval(sampler);
  const ceilingAfter = await bareInsert();
  await pool.query(`delete from dossiers where code like 'CEIL-%'`);
  const ceiling = ceilingBefore.ops >= ceilingAfter.ops ? ceilingBefore : ceilingAfter;

  const fmt = (r: { ops: number; latencies: number[]; errors: number }) =>
    `${(r.ops / seconds).toFixed(0)} ops/s  p50 ${pct(r.latencies, 50).toFixed(1)} ms  p99 ${pct(r.latencies, 99).toFixed(1)} ms  errors ${r.errors}`;
  console.log(`machine: ${(await import('node:os')).cpus().length} cores; ${seconds} s per phase; ${concurrency} concurrent clients`);
  console.log(`ceiling (bare INSERT, pg pool), before the intake phases: ${fmt(ceilingBefore)}`);
  console.log(`ceiling again, after them: ${fmt(ceilingAfter)}  (ratios below against the higher: ${(ceiling.ops / seconds).toFixed(0)} ops/s)`);
  console.log(`intake, all clients at one desk (${oneDesk}): ${fmt(intake)}  → ${((intake.ops / ceiling.ops) * 100).toFixed(1)} % of the ceiling`);
  console.log(`intake, clients spread over ${spreadDesks.length} desks: ${fmt(spread)}  → ${((spread.ops / ceiling.ops) * 100).toFixed(1)} % of the ceiling`);
  console.log(`targets: ≥ 40 % of the ceiling, p99 ≤ 100 ms`);
  console.log(`API process RSS: peak ${rssPeak.toFixed(0)} MiB, after ${rssOf(api.pid!).toFixed(0)} MiB`);
  await pool.end();
  api.kill('SIGTERM');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
