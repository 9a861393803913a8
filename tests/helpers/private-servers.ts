import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * The fault suite's own servers: a PostgreSQL cluster made with initdb in a temporary folder and a redis-server,
 * each on a free port, so that they can be stopped, frozen, killed and restarted without touching any shared
 * service. As root (CI), PostgreSQL runs as the `postgres` user, which initdb requires.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

async function portAnswers(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/** The folder of initdb and postgres: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else the PATH. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return '';
}

/** uid/gid to run PostgreSQL as: none when not root; the `postgres` user's when root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, PostgreSQL needs a `postgres` user to run as (initdb refuses root)');
  }
}

export class PrivatePostgres {
  private proc: ChildProcess | undefined;
  /** Each start's output (the server log), for a failure's message. */
  log = '';
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/motcua_faults`;
  }
  get serverUrl() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PrivatePostgres> {
    const bin = pgBin();
    const user = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'motcua-faults-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    const server = new PrivatePostgres(dir, await freePort(), bin, user);
    const initdb = bin ? join(bin, 'initdb') : 'initdb';
    execFileSync(initdb, ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], {
      stdio: 'pipe',
      ...(user ?? {}),
    });
    await server.start();
    return server;
  }

  /** Starts the server and waits until it accepts queries. */
  async start(): Promise<void> {
    const postgres = this.bin ? join(this.bin, 'postgres') : 'postgres';
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1'];
    for (const setting of ['fsync=off', 'full_page_writes=off', 'max_connections=200', 'shared_buffers=128MB']) {
      args.push('-c', setting);
    }
    this.proc = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(this.user ?? {}) });
    this.proc.stdout!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    this.proc.stderr!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      if (this.proc.exitCode !== null) throw new Error(`the private PostgreSQL exited at start:\n${this.log}`);
      const c = new pg.Client({ connectionString: this.serverUrl, connectionTimeoutMillis: 1000 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('select 1');
        return;
      } catch {
        await sleep(50);
      } finally {
        await c.end().catch(() => undefined);
      }
    }
    throw new Error(`the private PostgreSQL did not start:\n${this.log}`);
  }

  /**
   * Stops the server: `fast` (SIGINT, what `pg_ctl stop -m fast` sends: sessions end with 57P01) or `immediate`
   * (SIGQUIT: no shutdown checkpoint, crash recovery at the next start).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    p.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited(p);
  }

  async restart(mode: 'fast' | 'immediate', downMs: number): Promise<void> {
    await this.stop(mode);
    await sleep(downMs);
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class PrivateRedis {
  private proc: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  /** Starts an empty server (no persistence: a restart loses everything, as a Redis without its data would). */
  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    this.proc = spawn(bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if (this.proc.exitCode !== null) throw new Error(`${bin} exited at start`);
      if (await portAnswers(this.port)) return;
      await sleep(25);
    }
    throw new Error('the private Redis did not start');
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing (a frozen host, a stuck fork). */
  freeze() {
    this.proc!.kill('SIGSTOP');
  }
  thaw() {
    this.proc!.kill('SIGCONT');
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGCONT');
    p.kill('SIGKILL');
    await exited(p);
  }

  async restartEmpty(): Promise<void> {
    await this.kill();
    await this.start();
  }
}
