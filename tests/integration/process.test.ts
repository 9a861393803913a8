import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fromRoot } from '../../src/lib/paths.js';

/** The real entry point (src/main.ts) as separate processes against a database that does not exist yet. */
const name = `motcua_proc_${Math.random().toString(36).slice(2, 8)}`;
const url = new URL(inject('pgServerUrl'));
url.pathname = `/${name}`;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: inject('pgServerUrl') });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

/** PORT=0: each process takes a port the system knows is free (fixed ports collided with other sockets in CI). */
function start(role = 'all') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fromRoot(),
    env: { ...process.env, DATABASE_URL: url.toString(), REDIS_URL: inject('redisUrl'), PORT: '0', ROLE: role, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  children.push(child);
  return { child, output: () => output };
}

/** The address a started process logged ("motcua started"), once it is ready; undefined if it never was. */
async function ready(p: { output: () => string }, ms = 60_000): Promise<string | undefined> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const address = /"address":"([^"]+)"/.exec(p.output())?.[1]?.replace('0.0.0.0', '127.0.0.1');
    if (address && (await fetch(`${address}/health/ready`).then((r) => r.ok, () => false))) return address;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.on('exit', (code) => resolve(code))));

describe('processes', () => {
  it('two processes starting at once on a new database: one migrates and loads, both serve', async () => {
    const a = start();
    const b = start();
    expect(await ready(a), a.output()).toBeDefined();
    const addressOfB = await ready(b);
    expect(addressOfB, b.output()).toBeDefined();
    // Started today: the catalogue in force since 2025-07-01 (seeds/README.md); the 2021-2025 one by date.
    const total = async (q: string) => (await fetch(`${addressOfB}/api/v1/procedures?limit=1${q}`).then((r) => r.json() as Promise<{ total: number }>)).total;
    expect(await total('')).toBe(2430);
    expect(await total('&asOf=2024-06-01')).toBe(1817);
    const loads = [a.output(), b.output()].filter((o) => o.includes('"msg":"reference data loaded"'));
    expect(loads).toHaveLength(1);

    // SIGTERM: both stop cleanly.
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await exited(a.child)).toBe(0);
    expect(await exited(b.child)).toBe(0);
    expect(a.output()).toContain('"msg":"stopped"');
  }, 120_000);

  it('refuses to start with a bad variable, naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fromRoot(),
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    expect(await exited(child)).toBe(78);
    expect(err).toMatch(/PORT/);
  }, 60_000);
});
