/** Traffic for the fault suite: bounded in time, sent only to the suite's own processes on 127.0.0.1. */

export interface Outcome {
  kind: string;
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  /** When the request was sent and how long it took (ms since the epoch, ms). */
  at: number;
  ms: number;
  code?: string;
  body?: string;
}

export interface IntakeOutcome extends Outcome {
  phone: string;
  name: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one request and measures it; never throws. */
export async function timed(kind: string, url: string, init: RequestInit, timeoutMs = 30_000): Promise<Outcome> {
  const at = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { kind, status: res.status, at, ms: Date.now() - at, body: res.status >= 300 ? body.slice(0, 300) : body };
  } catch (err) {
    return { kind, status: 0, at, ms: Date.now() - at, body: (err as Error).message };
  }
}

/**
 * `clients` loops, each sending its next request when the previous one is answered and at least `intervalMs` after
 * the previous one was sent (a paced load: at most clients × 1000 / intervalMs requests a second), until `stop()`
 * or `maxMs`. A loop whose request got no answer (the api is down) waits 50 ms before the next.
 */
export class Loop<T extends Outcome = Outcome> {
  readonly outcomes: T[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(clients: number, maxMs: number, send: (i: number) => Promise<T>, intervalMs = 0) {
    const until = Date.now() + maxMs;
    let n = 0;
    this.done = Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        // Clients start spread over one interval, not all at once.
        await sleep((intervalMs * c) / clients);
        while (this.running && Date.now() < until) {
          const sent = Date.now();
          const o = await send(n++);
          this.outcomes.push(o);
          const wait = Math.max(o.status === 0 ? 50 : 0, intervalMs - (Date.now() - sent));
          if (wait > 0) await sleep(wait);
        }
      }),
    ).then(() => undefined);
  }

  async stop(): Promise<T[]> {
    this.running = false;
    await this.done;
    return this.outcomes;
  }

  async finished(): Promise<T[]> {
    await this.done;
    return this.outcomes;
  }
}
