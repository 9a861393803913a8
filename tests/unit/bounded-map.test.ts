import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/lib/bounded-map.js';

describe('BoundedMap', () => {
  it('keeps at most its limit, forgetting the oldest-written first; rewriting a key forgets nothing', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2);
    m.set('b', 3);
    expect([...m]).toEqual([['a', 1], ['b', 3]]);
    m.set('c', 4);
    expect([...m]).toEqual([['b', 3], ['c', 4]]);
  });
});
