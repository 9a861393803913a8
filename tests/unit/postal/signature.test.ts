import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalString, parseTimestamp, sha256Hex, sign, signatureMatches, withinWindow } from '../../../src/domain/postal/signature.js';

describe('partner request signature', () => {
  it('signs METHOD, path with query, timestamp and the body hash, one per line', () => {
    const body = '{"a":1}';
    expect(canonicalString('post', '/api/v1/postal/precheck?x=1', '1764300000', body)).toBe(
      `POST\n/api/v1/postal/precheck?x=1\n1764300000\n${sha256Hex(body)}`,
    );
    const expected = createHmac('sha256', 'secret').update(`GET\n/p\n1764300000\n${sha256Hex('')}`).digest('hex');
    expect(sign('secret', 'GET', '/p', '1764300000', Buffer.alloc(0))).toBe(expected);
  });

  it('changes with every signed part', () => {
    const base = sign('s', 'POST', '/p', '1', 'b');
    expect(new Set([base, sign('t', 'POST', '/p', '1', 'b'), sign('s', 'PUT', '/p', '1', 'b'), sign('s', 'POST', '/q', '1', 'b'), sign('s', 'POST', '/p', '2', 'b'), sign('s', 'POST', '/p', '1', 'c')]).size).toBe(6);
  });

  it('compares in constant time and refuses malformed signatures', () => {
    const s = sign('s', 'GET', '/p', '1', '');
    expect(signatureMatches(s, s)).toBe(true);
    expect(signatureMatches(s, s.toUpperCase())).toBe(true);
    expect(signatureMatches(s, s.slice(0, 63) + (s.endsWith('0') ? '1' : '0'))).toBe(false);
    expect(signatureMatches(s, 'zz')).toBe(false);
    expect(signatureMatches(s, '')).toBe(false);
  });

  it('reads unix seconds and ISO instants, nothing else', () => {
    expect(parseTimestamp('1764300000')).toBe(1_764_300_000_000);
    expect(parseTimestamp('2025-11-28T10:00:00+07:00')).toBe(Date.parse('2025-11-28T03:00:00Z'));
    expect(parseTimestamp('2025-11-28T03:00:00.5Z')).toBe(Date.parse('2025-11-28T03:00:00.500Z'));
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp('2025-11-28')).toBeNull();
    expect(parseTimestamp('1764300000000')).toBeNull();
  });

  it('accepts five minutes either side, not more', () => {
    const now = 1_764_300_000_000;
    expect(withinWindow(now - 300_000, now)).toBe(true);
    expect(withinWindow(now + 300_000, now)).toBe(true);
    expect(withinWindow(now - 300_001, now)).toBe(false);
    expect(withinWindow(now + 301_000, now)).toBe(false);
  });
});
