import { describe, expect, it } from 'vitest';
import type { Deps } from '../../../src/deps.js';
import { createMetrics } from '../../../src/lib/metrics.js';
import { ReadCache } from '../../../src/modules/quality/index.js';

// Open-period answers only: a closed one is kept once the changed months have been read from the database,
// which the integration tests do (tests/integration/quality-index.test.ts).
const open = { from: '2026-12-01', to: '2026-12-31', closed: false, contentType: 'application/json', cacheControl: 'public, max-age=2' };
const cache = (opts: Partial<ConstructorParameters<typeof ReadCache>[1]> = {}) =>
  new ReadCache({ metrics: createMetrics() } as Deps, { maxBytes: 1 << 20, pollMs: 1000, openFreshMs: 1000, openMaxMs: 3000, openWarmMs: 30_000, ...opts });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('public read cache', () => {
  it('computes once for concurrent identical requests, and answers each with the same bytes and ETag', async () => {
    const c = cache();
    let computed = 0;
    const produce = async () => {
      computed++;
      await tick();
      return { body: '{"total":80}', lastModified: new Date(0) };
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => c.get('k', open, produce)));
    expect(computed).toBe(1);
    expect(new Set(answers.map((a) => a.etag)).size).toBe(1);
    expect(answers[0]!.body.toString()).toBe('{"total":80}');
    expect(answers[0]!.cacheControl).toBe('public, max-age=2');
    await c.get('k', open, produce); // still fresh
    expect(computed).toBe(1);
  });

  it('gives a failure to every waiter and keeps nothing of it', async () => {
    const c = cache();
    let calls = 0;
    const failing = async () => {
      calls++;
      await tick();
      throw new Error('boom');
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.get('k', open, failing)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    expect(c.stats()).toMatchObject({ entries: 0, inflight: 0 });
  });

  it('keeps the ETag and Last-Modified of an unchanged answer whose computation time changed', async () => {
    const c = cache({ openFreshMs: 0, openMaxMs: 0 });
    let n = 0;
    const produce = async () => {
      n++;
      return { body: `{"total":80,"computedAt":"${n}"}`, fingerprint: '{"total":80}', lastModified: new Date(n * 1000) };
    };
    const a = await c.get('k', open, produce);
    const b = await c.get('k', open, produce);
    expect(n).toBe(2);
    expect(a.etag).toMatch(/^W\//);
    expect(b).toMatchObject({ etag: a.etag, lastModified: a.lastModified, body: a.body });
  });

  it('stays within its byte budget, the least recently used first out', async () => {
    const c = cache({ maxBytes: 4000 });
    const body = (k: string) => async () => ({ body: k.repeat(900), lastModified: new Date(0) });
    for (const k of ['a', 'b', 'c', 'd']) await c.get(k, open, body(k));
    await c.get('a', open, body('a')); // used again: b is now the oldest
    await c.get('e', open, body('e'));
    expect(c.stats().bytes).toBeLessThanOrEqual(4000);
    let recomputed = '';
    for (const k of ['a', 'b', 'e']) await c.get(k, open, async () => ((recomputed += k), { body: k.repeat(900), lastModified: new Date(0) }));
    expect(recomputed).toBe('b');
  });
});
