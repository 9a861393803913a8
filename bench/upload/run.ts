/**
 * Upload benchmark (prints figures; not a test). Runs the API as its own process on a real port, then:
 *  1. ceiling: the disk's own write rate in the same run: N concurrent writers of the same bytes as the uploads
 *     (same size, 1 MiB writes), with the durability the API must give (the file fsynced, renamed into place, its
 *     directory fsynced), and no HTTP, multipart parsing, hashing or database;
 *  2. a round of N concurrent multipart uploads of SIZE MB each (distinct content, PNG-headed) through
 *     POST /api/v1/dossiers/{code}/files, one dossier per upload;
 *  3. the same round posted to a bare Node.js receiver in its own process (bare-receiver.ts: hash, write, fsync,
 *     rename, no parsing, authentication or database): what any HTTP server in Node takes in on this machine, with
 *     this client beside it on the same cores;
 * the ceiling again after each round (the disk is shared: its rate moves with what else runs), and reports each
 * round's throughput against the mean of the ceilings measured just before and just after it, latency, the API
 * process's peak RSS sampled every 100 ms (it streams: the RSS must not grow with the bytes in flight) and the
 * load average at the start and the end.
 *   npm run bench:upload [-- rounds=2] [concurrency=20] [sizeMB=20]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { fromRoot } from '../../src/lib/paths.js';
import { benchDay, communeCentresInForce, communeProcedureInForce, deskIntakeBody } from '../in-force.js';

const rounds = Number(process.argv[2] ?? 2);
const concurrency = Number(process.argv[3] ?? 20);
const sizeMb = Number(process.argv[4] ?? 20);
const size = sizeMb * 1024 * 1024;
const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_DATABASE_URL: another database to make afresh (dropped first), e.g. one's own on a shared server.
const dbUrl = process.env.BENCH_DATABASE_URL ?? server.replace(/\/[^/]*$/, '/motcua_bench_upload');
const dbName = new URL(dbUrl).pathname.slice(1);
const port = 3900 + Math.floor(Math.random() * 90);
const dataDir = fromRoot('data', 'bench-upload');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const chunk = randomBytes(1024 * 1024);

/** `size` bytes starting with a PNG signature and a unique tag, streamed from one shared 1 MiB chunk. */
function* content(tag: string): Generator<Buffer> {
  const head = Buffer.concat([PNG, Buffer.from(tag.padEnd(56))]);
  yield head;
  let left = size - head.length;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    yield chunk.subarray(0, n);
    left -= n;
  }
}

const ceilingCpu: Cpu[] = [];
async function ceiling(): Promise<number> {
  const cpu0 = cpuOf(process.pid);
  const dir = join(dataDir, 'ceiling');
  await mkdir(dir, { recursive: true });
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const tmp = join(dir, `${randomUUID()}.part`);
      const out = createWriteStream(tmp, { flush: true });
      for (const c of content(`ceiling-${i}-${randomUUID()}`)) if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
      out.end();
      await finished(out);
      await rename(tmp, join(dir, `f${i}`));
      const d = await open(dir, 'r');
      await d.sync();
      await d.close();
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  ceilingCpu.push(cpuSince(process.pid, cpu0));
  await rm(dir, { recursive: true, force: true });
  return (concurrency * size) / 1024 / 1024 / seconds;
}

/** CPU seconds a process has used, user and system, from /proc (clock ticks of 1/100 s on Linux). */
function cpuOf(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}
const cpuSince = (pid: number, from: { user: number; system: number }) => {
  const now = cpuOf(pid);
  return { user: now.user - from.user, system: now.system - from.system };
};
type Cpu = ReturnType<typeof cpuSince>;
const showCpu = (c: Cpu) => `${(c.user + c.system).toFixed(1)} s (user ${c.user.toFixed(1)}, system ${c.system.toFixed(1)})`;

function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Posts one file as the desk client does, to the API (a dossier's files) or to the bare receiver (`to`). */
function upload(code: string, token: string, tag: string, to: { port: number; path: string } = { port, path: `/api/v1/dossiers/${code}/files?extra=true&copy=copy&source=digitised` }): Promise<number> {
  const boundary = `----bench${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: to.port,
        method: 'POST',
        path: to.path,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => (res.statusCode === 201 ? resolve(performance.now() - t) : reject(new Error(`${res.statusCode} ${body}`))));
      },
    );
    req.on('error', reject);
    void (async () => {
      req.write(head);
      for (const c of content(tag)) if (!req.write(c)) await new Promise<void>((r) => req.once('drain', () => r()));
      req.end(tail);
    })();
  });
}

async function main() {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
  const env = { NODE_ENV: 'development', ...process.env, DATABASE_URL: dbUrl, PORT: String(port), ROLE: 'api', LOG_LEVEL: 'warn', FILE_DATA_DIR: join(dataDir, 'files') };
  // BENCH_NODE_ARGS: extra options for the API's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawn('node', [...nodeArgs, 'dist/src/main.js'], { cwd: fromRoot(), env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const barePort = port + 100;
  const bare = spawn('node', ['--import', 'tsx', fromRoot('bench/upload/bare-receiver.ts'), String(barePort), join(dataDir, 'bare')], { cwd: fromRoot(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const bareReady = new Promise<void>((resolve, reject) => {
    bare.once('message', () => resolve());
    bare.once('exit', (code) => reject(new Error(`the bare receiver exited (code ${code})`)));
  });
  let exited: number | null = null;
  api.on('exit', (code) => (exited = code ?? -1));
  try {
    for (let i = 0; i < 900; i++) {
      if (exited !== null) throw new Error(`the API exited (code ${exited}) before it was ready`);
      if (await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await bareReady;
    const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
    const { createAccount } = await import('../../src/modules/auth/index.js');
    const { createDb } = await import('../../src/db/client.js');
    // A desk and a procedure version in force today: a commune centre (TX…) and a commune-level procedure of the
    // national catalogue it decides (docs/domain.md §2a).
    const day = benchDay();
    const desk = (await communeCentresInForce(pool, day, 1))[0]!;
    const proc = await communeProcedureInForce(pool, day, { agency: 'COMM-KT' });
    await createAccount(createDb(pool), { username: 'bench', fullName: 'Bench', password: 'bench-password-123', roles: [{ role: 'desk_officer', scopeKind: 'unit', scopeCode: desk.unit_code }] });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password-123' }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const intake = async () => {
      const r = await fetch(`${base}/api/v1/dossiers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(deskIntakeBody(proc, desk.code)),
      });
      const body = (await r.json()) as { dossierCode?: string };
      if (r.status !== 201 || !body.dossierCode) throw new Error(`intake at ${desk.code}: ${r.status} ${JSON.stringify(body)}`);
      return body.dossierCode;
    };
    const idleRss = rssOf(api.pid!);
    const loadStart = loadavg();
    const ceilings = [await ceiling()];
    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(api.pid!))), 100);
    const results: { mbps: number; latencies: number[]; apiCpu: Cpu; clientCpu: Cpu; bareMbps: number; bareCpu: Cpu }[] = [];
    for (let r = 0; r < rounds; r++) {
      const codes = await Promise.all(Array.from({ length: concurrency }, () => intake()));
      const t = performance.now();
      const apiCpu0 = cpuOf(api.pid!);
      const clientCpu0 = cpuOf(process.pid);
      const latencies = await Promise.all(codes.map((code, i) => upload(code, token, `round-${r}-${i}-${randomUUID()}`)));
      const mbps = (concurrency * size) / 1024 / 1024 / ((performance.now() - t) / 1000);
      const apiCpu = cpuSince(api.pid!, apiCpu0);
      const clientCpu = cpuSince(process.pid, clientCpu0);
      const bareCpu0 = cpuOf(bare.pid!);
      const tb = performance.now();
      await Promise.all(codes.map((code, i) => upload(code, token, `bare-${r}-${i}-${randomUUID()}`, { port: barePort, path: '/' })));
      const bareMbps = (concurrency * size) / 1024 / 1024 / ((performance.now() - tb) / 1000);
      results.push({ mbps, latencies, apiCpu, clientCpu, bareMbps, bareCpu: cpuSince(bare.pid!, bareCpu0) });
      ceilings.push(await ceiling());
    }
    clearInterval(sampler);
    await pool.end();
    const shares = results.map((x, r) => x.mbps / ((ceilings[r]! + ceilings[r + 1]!) / 2));
    const all = results.flatMap((x) => x.latencies).sort((a, b) => a - b);
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    const mb = (concurrency * size) / 1024 / 1024;
    console.log(`uploads: ${rounds} rounds at desk ${desk.code} × ${concurrency} concurrent × ${sizeMb} MB`);
    console.log(`disk ceiling (write + fsync + rename + directory fsync, ${concurrency} writers), before and after each round: ${ceilings.map((c) => c.toFixed(0)).join(' / ')} MB/s`);
    console.log(`uploads through the API: ${results.map((x) => x.mbps.toFixed(0)).join(' / ')} MB/s; against the ceilings around each round: ${shares.map(pct).join(' / ')} (best ${pct(Math.max(...shares))}); against the highest ceiling of the run: ${pct(Math.max(...results.map((x) => x.mbps)) / Math.max(...ceilings))}`);
    console.log(`bare Node.js receiver (hash + write + fsync + rename, no multipart, authentication or database), the same bytes after each API round: ${results.map((x) => x.bareMbps.toFixed(0)).join(' / ')} MB/s, ${results.map((x) => (mb / (x.bareCpu.user + x.bareCpu.system)).toFixed(0)).join(' / ')} MB per CPU-second; the API against it: ${results.map((x) => pct(x.mbps / x.bareMbps)).join(' / ')}`);
    // What the uploads cost in CPU whatever else runs: on a machine shared with other work, the throughput follows the
    // CPU the API is given; these say what it would reach with a core to itself.
    console.log(`CPU per round: API ${results.map((x) => showCpu(x.apiCpu)).join(' / ')}, so ${results.map((x) => (mb / (x.apiCpu.user + x.apiCpu.system)).toFixed(0)).join(' / ')} MB per API CPU-second; this client ${results.map((x) => showCpu(x.clientCpu)).join(' / ')}`);
    console.log(`CPU per ceiling (the same bytes written and fsynced): ${ceilingCpu.map(showCpu).join(' / ')}`);
    console.log(`latency per upload: p50 ${(all[Math.floor(all.length / 2)]! / 1000).toFixed(2)} s, max ${(all.at(-1)! / 1000).toFixed(2)} s`);
    console.log(`API RSS: idle ${idleRss.toFixed(0)} MB, peak during uploads ${rssPeak.toFixed(0)} MB`);
    console.log(`load average (1, 5, 15 min): start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, end ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  } finally {
    api.kill('SIGTERM');
    bare.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
