import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { etagOf, gzipOf, httpDate, type CachedRepresentation } from '../../lib/http-cache.js';

/** What a public read covers, for invalidation: its first and last local dates, and whether it is over. */
export interface Coverage {
  from: string;
  to: string;
  closed: boolean;
}

interface Entry extends CachedRepresentation, Coverage {
  bytes: number;
  /** performance.now() when the computation began (its snapshot is at least this new). */
  madeAt: number;
  /** A month of it changed since (open periods only: a closed entry is dropped instead). */
  stale: boolean;
  /** performance.now() when last asked for: an open answer nobody reads is not kept warm. */
  usedAt: number;
  /** How to compute it again (an open answer is refreshed in the background, not by the request that finds it old). */
  describe: Describe;
  produce: Produce;
}

export interface ReadCacheOptions {
  /** Bodies kept in memory at most, in bytes (the least recently used go first). */
  maxBytes: number;
  /** How often the changed months are read (a closed period's late event reaches readers within this). */
  pollMs: number;
  /**
   * An open period's answer is recomputed in the background once openFreshMs old if a month of it changed, or
   * once openFreshMs × 2 old in any case (what is open at the period's end is judged now, and now moves); a crowd
   * costs one computation per openFreshMs however fast the events come. Requests are answered from the answer
   * kept meanwhile, and wait for a computation only when what they would get is openMaxMs behind: computed that
   * long ago and changed since, or (unchanged) last confirmed by a poll that long ago.
   */
  openFreshMs: number;
  openMaxMs: number;
  /** An open answer not asked for in this time is no longer refreshed in the background (it is still kept). */
  openWarmMs: number;
}

export const DEFAULT_READ_CACHE: ReadCacheOptions = { maxBytes: 32 * 1024 * 1024, pollMs: 1000, openFreshMs: 1500, openMaxMs: 4000, openWarmMs: 30_000 };

/**
 * A computed answer. `fingerprint`, when given, is the body without what changes on every computation (when it
 * was computed): the ETag is then weak and taken over it, and a recomputation with the same fingerprint keeps the
 * earlier body and Last-Modified, so that a client revalidating an unchanged open period gets 304. `madeAt`, when
 * given, is when the snapshot it was computed from began (a shared computation, see `shared`).
 */
type Produce = () => Promise<{ body: string; lastModified: Date; fingerprint?: string; madeAt?: number }>;
type Describe = Coverage & { contentType: string; cacheControl: string; vary?: string };

/**
 * The public reads' answers (index, ranking, series, report table) kept in memory as the bytes sent, with their
 * ETag, so that a crowd reading the same thing costs one computation (single flight per key) and no allocation
 * per request. A closed period's answer is kept until a month it covers is stamped changed (count-events.ts),
 * which this process learns by reading quality_counter_changes every `pollMs` (one indexed query, whatever the
 * load); it is also found by the request's URL alone (`byUrl`), so that a repeated request is answered before
 * its query is parsed into a key. An open period's answer is refreshed in the background (stale while
 * revalidate) and is at most `openMaxMs` behind the counters: with the workers' counting (about a second) the
 * index stays within 5 s of the events (docs/architecture.md). Bounded in bytes, so memory stays flat.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  /** Request URL (path and query, as sent) → key, for closed answers without `vary`. */
  private readonly byUrl = new Map<string, string>();
  /** Computations shared by several keys (every unit's scores of an open period), see `shared`. */
  private readonly sharing = new Map<string, { madeAt: number; seq: number | null; value: Promise<unknown> }>();
  private bytes = 0;
  /** The highest change number read, and per month the last change seen (null: not read yet). */
  private seenSeq: number | null = null;
  /** performance.now() when the last successful poll began: an unchanged open answer is current as of then. */
  private polledAt = -Infinity;
  private readonly monthSeq = new Map<string, number>();
  private formulas = -1;
  /** Bumped by clear(): an answer computed before it is not kept. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private warmTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly opts: ReadCacheOptions = DEFAULT_READ_CACHE,
  ) {}

  async start() {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
    this.warmTimer = setInterval(() => this.keepWarm(), Math.max(100, this.opts.openFreshMs / 3));
    this.warmTimer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    clearInterval(this.warmTimer);
    await this.polling;
    await Promise.allSettled([...this.inflight.values()]);
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
    const began = performance.now();
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
    if (this.seenSeq === null || seq > this.seenSeq) {
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
    this.polledAt = began;
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
    this.byUrl.clear();
    this.sharing.clear();
    this.bytes = 0;
    this.generation++;
  }

  /**
   * The answer under `key`: kept, or computed by `produce` once for all concurrent callers. An open period's
   * answer is refreshed as ReadCacheOptions say; openMaxMs behind, the caller waits for the newer one. `url`, when
   * given, finds a closed answer again by `byUrl` (give it only when the URL alone selects the answer).
   */
  async get(key: string, describe: Describe, produce: Produce, url?: string): Promise<CachedRepresentation> {
    const kept = this.entries.get(key);
    const e = await this.entry(key, describe, produce);
    this.deps.metrics.publicReads.inc({ period: e.closed ? 'closed' : 'open', answer: e === kept ? 'kept' : 'waited' });
    if (url !== undefined && e.closed && !e.vary && this.entries.get(key) === e) {
      if (this.byUrl.size >= 10_000) this.byUrl.clear();
      this.byUrl.set(url, key);
    }
    // How long a client may keep it is the request's (a closed period is kept longer as it ages).
    return { ...e, cacheControl: describe.cacheControl };
  }

  /** A closed answer kept for this request URL, with the dates it covers (for its Cache-Control), or undefined. */
  byRequestUrl(url: string): (CachedRepresentation & Coverage) | undefined {
    const key = this.byUrl.get(url);
    const e = key === undefined ? undefined : this.entries.get(key);
    if (!e || !e.closed) return undefined;
    this.deps.metrics.publicReads.inc({ period: 'closed', answer: 'kept' });
    return this.touch(key!, e);
  }

  /**
   * `compute` once for every key that asks under `key` while the counters have not changed (as far as the polls
   * tell) and for at most openFreshMs: the open period's scores of every unit and agency serve the index of each,
   * the rankings and the series. Gives the value and when its computation began (produce's `madeAt`).
   */
  async shared<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; madeAt: number }> {
    const now = performance.now();
    let s = this.sharing.get(key);
    if (!s || s.seq !== this.seenSeq || now - s.madeAt >= this.opts.openFreshMs) {
      for (const [k, v] of this.sharing) if (now - v.madeAt >= this.opts.openFreshMs) this.sharing.delete(k);
      const value = compute();
      const mine = { madeAt: now, seq: this.seenSeq, value: value as Promise<unknown> };
      value.catch(() => {
        if (this.sharing.get(key) === mine) this.sharing.delete(key);
      });
      this.sharing.set(key, mine);
      s = mine;
    }
    return { value: (await s.value) as T, madeAt: s.madeAt };
  }

  private async entry(key: string, describe: Describe, produce: Produce): Promise<Entry> {
    const e = this.entries.get(key);
    if (e && e.closed === describe.closed) {
      if (e.closed) return this.touch(key, e);
      const now = performance.now();
      e.usedAt = now;
      if (now - this.currentAsOf(e) < this.opts.openMaxMs) {
        if (this.due(e, now)) void this.refresh(key, describe, produce).catch(() => undefined);
        return this.touch(key, e);
      }
    }
    return this.refresh(key, describe, produce);
  }

  /** When an open answer was last known to match the counters: a poll since its computation saw no change in it. */
  private currentAsOf(e: Entry) {
    return e.stale ? e.madeAt : Math.max(e.madeAt, this.polledAt);
  }

  /** Whether an open answer should be computed again (in the background). */
  private due(e: Entry, now: number) {
    const age = now - e.madeAt;
    return age >= this.opts.openFreshMs && (e.stale || age >= 2 * this.opts.openFreshMs);
  }

  /** Open answers read lately are refreshed ahead of the requests, so that none waits for a computation. */
  private keepWarm() {
    const now = performance.now();
    // What was shared is let go once past its time, so that a province's scores are not held between refreshes.
    for (const [k, v] of this.sharing) if (now - v.madeAt >= this.opts.openFreshMs) this.sharing.delete(k);
    for (const [key, e] of this.entries) {
      if (!e.closed && now - e.usedAt < this.opts.openWarmMs && this.due(e, now)) void this.refresh(key, e.describe, e.produce).catch(() => undefined);
    }
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
    const startedAt = performance.now();
    const made = await produce();
    const etag = made.fingerprint === undefined ? etagOf(made.body) : `W/${etagOf(made.fingerprint)}`;
    const before = this.entries.get(key);
    const same = before?.etag === etag ? before : undefined;
    const body = same?.body ?? Buffer.from(made.body);
    const gzip = same ? same.gzip : gzipOf(body);
    const lastModified = same?.lastModified ?? made.lastModified;
    const madeAt = Math.min(startedAt, made.madeAt ?? startedAt);
    const entry: Entry = {
      ...describe,
      body,
      gzip,
      lastModified,
      lastModifiedText: httpDate(lastModified),
      etag,
      bytes: body.length + (gzip?.length ?? 0) + key.length,
      madeAt,
      stale: false,
      usedAt: before?.usedAt ?? startedAt,
      describe,
      produce,
    };
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
