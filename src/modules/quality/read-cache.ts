import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { etagOf, httpDate, type CachedRepresentation } from '../../lib/http-cache.js';

/** What a public read covers, for invalidation: its first and last local dates, and whether it is over. */
export interface Coverage {
  from: string;
  to: string;
  closed: boolean;
}

interface Entry extends CachedRepresentation, Coverage {
  bytes: number;
  /** performance.now() when computed: the open period's freshness is measured on it. */
  madeAt: number;
  /** A month of it changed since (open periods only: a closed entry is dropped instead). */
  stale: boolean;
}

export interface ReadCacheOptions {
  /** Bodies kept in memory at most, in bytes (the least recently used go first). */
  maxBytes: number;
  /** How often the changed months are read (a closed period's late event reaches readers within this). */
  pollMs: number;
  /**
   * An open period's answer is served as it is for openFreshMs at least (a crowd costs one computation per this
   * time, however fast the events come); older, while its months changed or once openFreshMs × 2 have passed, a
   * newer one is computed in the background and the older served meanwhile, up to openMaxMs.
   */
  openFreshMs: number;
  openMaxMs: number;
}

export const DEFAULT_READ_CACHE: ReadCacheOptions = { maxBytes: 32 * 1024 * 1024, pollMs: 1000, openFreshMs: 1500, openMaxMs: 4000 };

/**
 * A computed answer. `fingerprint`, when given, is the body without what changes on every computation (when it
 * was computed): the ETag is then weak and taken over it, and a recomputation with the same fingerprint keeps the
 * earlier body and Last-Modified, so that a client revalidating an unchanged open period gets 304.
 */
type Produce = () => Promise<{ body: string; lastModified: Date; fingerprint?: string }>;
type Describe = Coverage & { contentType: string; cacheControl: string; vary?: string };

/**
 * The public reads' answers (index, ranking, series, report table) kept in memory as the bytes sent, with their
 * ETag, so that a crowd reading the same thing costs one computation (single flight per key) and no allocation
 * per request. A closed period's answer is kept until a month it covers is stamped changed (count-events.ts),
 * which this process learns by reading quality_counter_changes every `pollMs` (one indexed query, whatever the
 * load). An open period's answer is at most `openMaxMs` old, recomputed soon after its months change: with the
 * workers' counting (about a second) the index stays within 5 s of the events (docs/architecture.md). Bounded in bytes, so memory stays flat.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private bytes = 0;
  /** The highest change number read, and per month the last change seen (null: not read yet). */
  private seenSeq: number | null = null;
  private readonly monthSeq = new Map<string, number>();
  private formulas = -1;
  /** Bumped by clear(): an answer computed before it is not kept. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly opts: ReadCacheOptions = DEFAULT_READ_CACHE,
  ) {}

  async start() {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    await this.polling;
  }

  stats() {
    return { entries: this.entries.size, bytes: this.bytes, inflight: this.inflight.size, seenSeq: this.seenSeq };
  }

  /** Reads the months changed since the last poll and drops (or marks) what covers them. */
  poll(): Promise<void> {
    this.polling ??= this.readChanges()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'quality read cache: reading the changed months failed'))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async readChanges() {
    const head = (
      await this.deps.db.execute<{ seq: string; formulas: string }>(
        sql`select (select coalesce(max(change_seq), 0) from quality_counter_changes) as seq, (select count(*) from quality_formulas) as formulas`,
      )
    ).rows[0]!;
    // A new formula version may be the one in force for any period: nothing kept stands.
    if (Number(head.formulas) !== this.formulas) {
      if (this.formulas !== -1) this.clear();
      this.formulas = Number(head.formulas);
    }
    const seq = Number(head.seq);
    if (this.seenSeq !== null && seq <= this.seenSeq) return;
    const changed = (
      await this.deps.db.execute<{ month: string; change_seq: string }>(
        sql`select to_char(month, 'YYYY-MM-DD') as month, change_seq from quality_counter_changes where change_seq > ${this.seenSeq ?? -1}`,
      )
    ).rows;
    for (const c of changed) this.monthSeq.set(c.month, Number(c.change_seq));
    if (this.seenSeq !== null) {
      for (const [key, e] of this.entries) if (changed.some((c) => covers(e, c.month))) this.invalidate(key, e);
    }
    this.seenSeq = seq;
  }

  private invalidate(key: string, e: Entry) {
    if (e.closed) this.remove(key, e);
    else e.stale = true;
  }

  private remove(key: string, e: Entry) {
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
    this.generation++;
  }

  /**
   * The answer under `key`: kept, or computed by `produce` once for all concurrent callers. An open period's
   * answer is refreshed as ReadCacheOptions say; older than openMaxMs, the caller waits for the newer one.
   */
  async get(key: string, describe: Describe, produce: Produce): Promise<CachedRepresentation> {
    // How long a client may keep it is the request's (a closed period is kept longer as it ages).
    return { ...(await this.entry(key, describe, produce)), cacheControl: describe.cacheControl };
  }

  private async entry(key: string, describe: Describe, produce: Produce): Promise<Entry> {
    const e = this.entries.get(key);
    if (e) {
      const age = performance.now() - e.madeAt;
      if (e.closed || age < this.opts.openFreshMs || (!e.stale && age < 2 * this.opts.openFreshMs)) return this.touch(key, e);
      if (age < this.opts.openMaxMs) {
        void this.refresh(key, describe, produce).catch(() => undefined);
        return this.touch(key, e);
      }
    }
    return this.refresh(key, describe, produce);
  }

  private touch(key: string, e: Entry) {
    // Map order is recency: the least recently used is first out.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  private refresh(key: string, describe: Describe, produce: Produce): Promise<Entry> {
    let p = this.inflight.get(key);
    if (!p) {
      p = this.compute(key, describe, produce).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async compute(key: string, describe: Describe, produce: Produce): Promise<Entry> {
    const generation = this.generation;
    const seqAtStart = this.seenSeq;
    const madeAt = performance.now();
    const made = await produce();
    const etag = made.fingerprint === undefined ? etagOf(made.body) : `W/${etagOf(made.fingerprint)}`;
    const before = this.entries.get(key);
    const same = before?.etag === etag ? before : undefined;
    const body = same?.body ?? Buffer.from(made.body);
    const lastModified = same?.lastModified ?? made.lastModified;
    const entry: Entry = { ...describe, body, lastModified, lastModifiedText: httpDate(lastModified), etag, bytes: body.length + key.length, madeAt, stale: false };
    // Not kept when it may already be stale: the cache was cleared meanwhile, a month it covers was stamped
    // changed after the computation began (the poll has gone past it), or no poll has succeeded yet.
    const changedSince = seqAtStart === null || [...this.monthSeq].some(([month, s]) => s > seqAtStart && covers(entry, month));
    if (generation !== this.generation || (entry.closed && changedSince)) return entry;
    if (changedSince) entry.stale = true;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    if (entry.bytes > this.opts.maxBytes / 4) return entry;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.remove(k, v);
    }
    return entry;
  }
}

/** Whether the month starting on `month` (YYYY-MM-01) overlaps the covered dates. */
const covers = (c: Coverage, month: string) => month <= c.to && month.slice(0, 7) >= c.from.slice(0, 7);
