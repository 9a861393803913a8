import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipOf, notModified } from '../../src/lib/http-cache.js';

describe('Accept-Encoding (RFC 9110 §12.5.3)', () => {
  it.each([
    ['gzip, deflate, br, zstd', true], // what browsers send
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['*', true],
    ['gzip;q=0', false],
    ['deflate, br', false],
    ['br, *;q=0', false],
    ['gzip;q=0, *', false], // gzip itself refused outranks the wildcard
    ['identity', false],
    ['', false],
  ])('%j admits gzip: %s', (header, expected) => {
    expect(acceptsGzip({ 'accept-encoding': header })).toBe(expected);
  });

  it('gives the identity to a client that sends no Accept-Encoding', () => {
    expect(acceptsGzip({})).toBe(false);
  });
});

describe('the gzip encoding of a kept answer', () => {
  it('is the same bytes once decoded, and none for a body too small to gain from it', () => {
    const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ rank: i + 1, code: `2${i}`, name: 'Xã Điện Bàn Đông', total: 87.5 })) }));
    const gz = gzipOf(body)!;
    expect(gz.length).toBeLessThan(body.length / 5);
    expect(gunzipSync(gz).equals(body)).toBe(true);
    expect(gzipOf(Buffer.from('{"ok":true}'))).toBeUndefined();
  });

  it('is validated by either encoding’s ETag (weak comparison)', () => {
    const at = new Date('2024-01-01T00:00:00Z');
    expect(notModified({ 'if-none-match': '"abc"' }, 'W/"abc"', at)).toBe(true);
    expect(notModified({ 'if-none-match': 'W/"abc"' }, '"abc"', at)).toBe(true);
    expect(notModified({ 'if-none-match': 'W/"abd"' }, '"abc"', at)).toBe(false);
  });
});
