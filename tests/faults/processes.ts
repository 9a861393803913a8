import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromRoot } from '../../src/lib/paths.js';

/**
 * motcua as the real entry point (`node --import tsx src/main.ts`), one child process per role, on port 0: the
 * address is read from the `motcua started` log line. Every exit the suite did not ask for is recorded as a
 * death, with the end of its output (an `Unhandled 'error' event` shows there).
 */
export class Motcua {
  private proc: ChildProcess | undefined;
  address = '';
  /** Warnings and errors the process logged, and its standard error (the last 40 KB). */
  output = '';
  readonly deaths: string[] = [];
  /** How many times it was started (a killed process is started again by the scenario). */
  starts = 0;
  private expectExit = false;

  constructor(
    readonly role: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  get alive() {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(timeoutMs = 180_000): Promise<void> {
    this.expectExit = false;
    this.address = '';
    this.starts++;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fromRoot(),
      env: { ...process.env, ...this.env, ROLE: this.role, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = child;
    let pending = '';
    let startedLine: (address: string) => void = () => undefined;
    const started = new Promise<string>((resolve) => (startedLine = resolve));
    child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        // Request lines are level 30 and many: only the start line and warnings or worse are kept.
        if (line.includes('"msg":"motcua started"')) startedLine(/"address":"([^"]+)"/.exec(line)?.[1] ?? '');
        else if (/"level":[4-6]\d/.test(line)) this.keep(line);
      }
    });
    child.stderr!.on('data', (d: Buffer) => this.keep(d.toString()));
    child.on('exit', (code, signal) => {
      if (!this.expectExit) this.deaths.push(`${this.role} exited (code ${code}, signal ${signal}):\n${this.output.slice(-3000)}`);
    });
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`${this.role} exited before it started (code ${code}):\n${this.output.slice(-3000)}`))),
    );
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${this.role} did not start in ${timeoutMs} ms`)), timeoutMs).unref());
    this.address = await Promise.race([started, exitedEarly, timeout]);
    exitedEarly.catch(() => undefined);
  }

  private keep(text: string) {
    this.output = (this.output + text + '\n').slice(-40_000);
  }

  /** Kills it (SIGKILL by default) and waits for the exit; not a death. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || !this.alive) return;
    this.expectExit = true;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
  }

  /** A metric's samples from this process's /metrics: label set → value. */
  async metric(name: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!this.alive || !this.address) return out;
    const text = await fetch(`${this.address}/metrics`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.text(),
      () => '',
    );
    for (const line of text.split('\n')) {
      const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
      if (m) out.set(m[1] ?? '', Number(m[2]));
    }
    return out;
  }
}

/**
 * The applicants' message gateway (NOTIFIER=webhook), honouring Idempotency-Key as a real gateway would: the
 * first request with a key is delivered; a later one with the same key is answered 200 with
 * `Idempotent-Replayed: true` and delivered no second time. Each answer waits `delayMs`, so that a worker killed
 * under load is often killed mid-send.
 */
export class Gateway {
  readonly delivered = new Map<string, number>();
  replays = 0;
  private server: http.Server | undefined;
  url = '';

  constructor(private readonly delayMs = 15) {}

  async start() {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = String(req.headers['idempotency-key'] ?? '');
        // Delivered on receipt: a worker killed before the answer arrives does not know it went.
        const replay = this.delivered.has(key);
        if (replay) this.replays++;
        else this.delivered.set(key, Date.now());
        setTimeout(() => {
          if (replay) res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' }).end('{"duplicate":true}');
          else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        }, this.delayMs);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
