/**
 * Public reads benchmark (prints figures; not a test). The API runs as its own process (`node dist/src/main.js`,
 * ROLE=api) on the simulator's 2021-2023 history, with a worker process counting the events of a light intake
 * load (4 desk officers at commune centres, one intake each 250 ms) all along, so that the open period changes as it does in
 * service. For each request kind of the public page (index of the province and of a district, the rankings of
 * the three levels, the 12-month series, the report's table), a closed period (2023) and the open one (this
 * year): `concurrency` clients for `seconds`, then GET /health/live by the same client (the HTTP ceiling of the
 * same run). The clients send a browser's Accept-Encoding (the answers come gzip-encoded); the commune ranking, the
 * largest answer, is also read without it. Prints throughput, p50/p99, the first (cold) request of each kind, and
 * the API process's peak RSS.
 *   npm run bench:public [-- seconds=20 concurrency=50]
 * Environment: BENCH_DATABASE_URL (default motcua_bench_public on BENCH_PG's server; loaded with the simulated
 * history when empty: `DATABASE_URL=… npm run simulate` does the same, about 4-10 minutes), BENCH_NODE_ARGS (node
 * flags of the API process), BENCH_APP_DIR (another checkout's built tree to measure, e.g. the code before a
 * change), BENCH_PERIODS=closed|open|both, BENCH_INTAKE=0 to run without the intake load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import { fromRoot } from '../../src/lib/paths.js';
import { benchDay, communeCentresInForce, communeProcedureInForce, deskIntakeBody } from '../in-force.js';

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 50);
const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = process.env.BENCH_DATABASE_URL ?? server.replace(/\/[^/]*$/, '/motcua_bench_public');
const appDir = process.env.BENCH_APP_DIR ?? fromRoot();
const periods = (process.env.BENCH_PERIODS ?? 'both') === 'both' ? ['closed', 'open'] : [process.env.BENCH_PERIODS!];
const intakeLoad = process.env.BENCH_INTAKE !== '0';
const port = 3800 + Math.floor(Math.random() * 90);
const workerPort = port + 100;
const redisPrefix = `bench-public-${process.pid}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const memOf = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 8 });
function request(method: string, path: string, headers: Record<string, string | number> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Run {
  ops: number;
  latencies: number[];
  errors: number;
  wall: number;
}
/** What a browser sends with every request: the codings it decodes (a phone's browser as a desktop's). */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/** `concurrency` clients, each sending the next request when its last one is answered, for `seconds`. */
async function load(path: string, headers: Record<string, string> = BROWSER, expect = 200): Promise<Run> {
  const started = performance.now();
  const end = started + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const r = await request('GET', path, headers);
          if (r.status !== expect) throw new Error(`${r.status} ${r.text.slice(0, 200)}`);
          latencies.push(performance.now() - t);
        } catch (err) {
          if (errors++ === 0) console.error(`  ${path}: ${(err as Error).message}`);
        }
      }
    }),
  );
  return { ops: latencies.length, latencies, errors, wall: (performance.now() - started) / 1000 };
}

async function waitReady(base: string, proc: ChildProcess) {
  for (let i = 0; i < 900; i++) {
    if (proc.exitCode !== null) throw new Error(`process exited with ${proc.exitCode}`);
    if (await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} not ready`);
}

async function main() {
  // The machine may be shared: its load (1, 5, 15 minutes) is printed with the figures.
  const loadAtStart = os.loadavg();
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  const simulated = await pool.query(`select count(*)::int as n from dossiers where created_by = 'simulator'`).then(
    (r) => r.rows[0].n as number,
    () => 0,
  );
  if (simulated === 0) {
    console.log(`loading the simulated history into ${dbUrl} (npm run simulate; minutes)…`);
    await new Promise<void>((resolve, reject) =>
      spawn('npx', ['tsx', 'seeds/simulate/run.ts'], { cwd: fromRoot(), env: { NODE_ENV: 'development', ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' }, stdio: 'inherit' }).on('exit', (c) =>
        c === 0 ? resolve() : reject(new Error(`simulate exited with ${c}`)),
      ),
    );
  }

  // NODE_ENV=development accepts the published development secrets (src/config.ts), as bench/intake does.
  const metricsToken = randomBytes(24).toString('base64url');
  const env = { NODE_ENV: 'development', ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: redisPrefix, LOAD_REFERENCE_DATA: 'false', METRICS_TOKEN: metricsToken };
  // As `npm start` runs it (package.json): the old space bounded, see README (Configuration).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '--max-old-space-size=128').split(' ').filter(Boolean);
  const api = spawn('node', [...nodeArgs, 'dist/src/main.js'], { cwd: appDir, env: { ...env, ROLE: 'api', PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  const worker = intakeLoad ? spawn('node', ['dist/src/main.js'], { cwd: appDir, env: { ...env, ROLE: 'worker', PORT: String(workerPort) }, stdio: ['ignore', 'inherit', 'inherit'] }) : undefined;
  const stopAll = () => {
    api.kill('SIGTERM');
    worker?.kill('SIGTERM');
  };
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    await waitReady(`http://127.0.0.1:${port}`, api);
    if (worker) await waitReady(`http://127.0.0.1:${workerPort}`, worker);

    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, memOf(api.pid!, 'VmRSS'))), 100);

    // The intake load: desk officers at four commune centres, each receiving a dossier every 250 ms.
    let intakes = 0;
    let intakeErrors = 0;
    let intakeOn = false;
    const intakeClients: Promise<void>[] = [];
    if (intakeLoad) {
      const { createAccount } = await import('../../src/modules/auth/index.js');
      const { createDb } = await import('../../src/db/client.js');
      // Four commune centres and a commune-level procedure of the national catalogue, in force today.
      const day = benchDay();
      const desks = await communeCentresInForce(pool, day, 4);
      const proc = await communeProcedureInForce(pool, day, { agency: 'COMM-KT' });
      await pool.query(`delete from staff_accounts where username = 'bench-public'`);
      await createAccount(createDb(pool), {
        username: 'bench-public',
        fullName: 'Bench',
        password: 'bench-password-123',
        roles: desks.map((d) => ({ role: 'desk_officer' as const, scopeKind: 'unit' as const, scopeCode: d.unit_code })),
      });
      const login = await request('POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'bench-public', password: 'bench-password-123' }));
      const token = (JSON.parse(login.text) as { accessToken: string }).accessToken;
      intakeOn = true;
      for (const d of desks) {
        const body = JSON.stringify(deskIntakeBody(proc, d.code));
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) };
        intakeClients.push(
          (async () => {
            while (intakeOn) {
              const r = await request('POST', '/api/v1/dossiers', headers, body).catch(() => ({ status: 0, text: '' }));
              if (r.status === 201) intakes++;
              else if (intakeErrors++ === 0) console.error(`  intake: ${r.status} ${r.text.slice(0, 200)}`);
              await new Promise((res) => setTimeout(res, 250));
            }
          })(),
        );
      }
    }

    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
    // The units in force at the period's end: Quảng Nam (49) and its district 502 in 2023; since 2025-07-01 the city
    // of Đà Nẵng and its communes, with no district level (docs/domain.md §2a): the open year asks the city and a commune.
    const inForce = async (day: string) =>
      (
        await pool.query(
          `select (select code from units where level = 'province' and valid_from <= $1 and (valid_to is null or valid_to > $1) order by code limit 1) as province,
             (select code from units where level = 'commune' and valid_from <= $1 and (valid_to is null or valid_to > $1) order by code limit 1) as commune`,
          [day],
        )
      ).rows[0] as { province: string; commune: string };
    const kinds = async (p: string, from: string, to: string) => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
      const { province, commune } = await inForce(to < today ? to : today);
      const local = p === '2023' ? ['district', '502'] : ['commune', commune];
      return [
        [`index, province (unit=${province})`, `/api/v1/quality-index?unit=${province}&period=${p}`],
        [`index, ${local[0]} (unit=${local[1]})`, `/api/v1/quality-index?unit=${local[1]}&period=${p}`],
        ['ranking, province level', `/api/v1/quality-index/ranking?period=${p}&kind=unit&level=province`],
        ['ranking, district level', `/api/v1/quality-index/ranking?period=${p}&kind=unit&level=district`],
        ['ranking, commune level', `/api/v1/quality-index/ranking?period=${p}&kind=unit&level=commune`],
        [`series, 12 months (unit=${province})`, `/api/v1/quality-index/series?unit=${province}&period=${p}`],
        [`report table ${from.slice(0, 4)}-${to.slice(0, 4)} by year`, `/api/v1/reports/dossiers?from=${from}&to=${to}&groupBy=year`],
      ];
    };
    const rows: string[] = [];
    const results: { label: string; run: Run; cold?: number }[] = [];
    await load('/health/live'); // warm-up: the JIT, the sockets, the pools
    const fmt = (label: string, r: Run, health: Run | null, cold?: number) => {
      const rate = r.ops / Math.max(seconds, r.wall); // answers still arriving after the time are counted over the longer time
      const share = health ? ` ${((100 * rate) / (health.ops / Math.max(seconds, health.wall))).toFixed(1).padStart(5)} %` : '        ';
      return `  ${label.padEnd(36)} ${rate.toFixed(0).padStart(6)} req/s${share}  p50 ${pct(r.latencies, 50).toFixed(1).padStart(7)} ms  p99 ${pct(r.latencies, 99).toFixed(1).padStart(7)} ms  errors ${r.errors}${cold !== undefined ? `  first ${cold.toFixed(0)} ms` : ''}${r.wall > seconds + 1 ? `  (last answer after ${r.wall.toFixed(1)} s)` : ''}`;
    };
    for (const which of periods) {
      const [p, from, to] = which === 'closed' ? ['2023', '2021-01-01', '2023-12-31'] : [year, `${year}-01-01`, `${year}-12-31`];
      // /health/live before and after the period's kinds (the machine is shared: it varies from one minute to the
      // next); the shares are against the higher of the two.
      const healthBefore = await load('/health/live');
      const head = rows.push('') - 1;
      const paths = await kinds(p!, from!, to!);
      for (const [label, path] of paths) {
        const t = performance.now();
        const first = await request('GET', path!, BROWSER);
        const cold = performance.now() - t;
        if (first.status !== 200) throw new Error(`${path}: ${first.status} ${first.text.slice(0, 300)}`);
        results.push({ label: label!, run: await load(path!), cold });
        console.log(fmt(label!, results.at(-1)!.run, null, cold));
      }
      // The largest answer (every commune's row) to a client that accepts no coding (a script, curl): the bytes
      // as they are, for comparison with what browsers get.
      const largest = paths.find(([label]) => label === 'ranking, commune level')![1]!;
      results.push({ label: 'ranking, commune, identity coding', run: await load(largest, {}) });
      console.log(fmt('ranking, commune, identity coding', results.at(-1)!.run, null));
      // A client that has the answer already: the conditional request (ETag) answered 304 without a body.
      const first = await new Promise<string | undefined>((resolve, reject) =>
        http.get({ host: '127.0.0.1', port, path: paths[0]![1]!, agent, headers: BROWSER }, (res) => (res.resume(), resolve(res.headers.etag))).on('error', reject),
      );
      // (the open period's answer changes with every counted intake, so only the closed period's is measured)
      if (first && which === 'closed') results.push({ label: 'index, province, If-None-Match (304)', run: await load(paths[0]![1]!, { ...BROWSER, 'if-none-match': first }, 304) });
      const healthAfter = await load('/health/live');
      const health = healthBefore.ops >= healthAfter.ops ? healthBefore : healthAfter;
      const h = (r: Run) => `${(r.ops / seconds).toFixed(0)} req/s p99 ${pct(r.latencies, 99).toFixed(1)} ms`;
      rows[head] = `${which} period (${p}); GET /health/live by the same client, before: ${h(healthBefore)}, after: ${h(healthAfter)}`;
      for (const r of results.splice(0)) rows.push(fmt(r.label, r.run, health, r.cold));
      // How many public reads got the answer kept and how many waited for a computation (the API's own count, so
      // far in the run; a code tree without the counter prints nothing).
      const scraped = await request('GET', '/metrics', { authorization: `Bearer ${metricsToken}` });
      const waits = scraped.text.split('\n').filter((l) => l.startsWith('motcua_public_reads_total{'));
      if (waits.length) rows.push(`  public reads so far: ${waits.map((l) => l.replace('motcua_public_reads_total', '')).join(', ')}`);
    }
    intakeOn = false;
    await Promise.all(intakeClients);
    clearInterval(sampler);

    const load3 = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`\nmachine: ${os.cpus().length} cores (shared), load average ${load3(loadAtStart)} at the start, ${load3(os.loadavg())} at the end; ${concurrency} concurrent clients, ${seconds} s per kind; API: ${appDir === fromRoot() ? 'this tree' : appDir}${nodeArgs.length ? ` node ${nodeArgs.join(' ')}` : ''}`);
    console.log(`database: ${dbUrl.replace(/^.*\//, '')} (${simulated || 'simulated'} dossiers); intake load: ${intakeLoad ? `${intakes} intakes through the API during the run (${intakeErrors} errors), counted by a worker process` : 'off'}`);
    console.log(`columns: throughput, share of /health/live in the same period's run, latency, the first request of the kind\n`);
    for (const r of rows) console.log(r);
    console.log(`\nAPI process RSS: peak ${rssPeak.toFixed(0)} MiB sampled every 100 ms; VmHWM ${memOf(api.pid!, 'VmHWM').toFixed(0)} MiB; now ${memOf(api.pid!, 'VmRSS').toFixed(0)} MiB`);
    console.log(`targets: closed period ≥ 50 % of /health/live and p99 ≤ 50 ms; open period p99 ≤ 300 ms; peak RSS ≤ 250 MiB`);
  } finally {
    agent.destroy();
    stopAll();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
