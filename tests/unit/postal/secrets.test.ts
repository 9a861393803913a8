import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, newKey } from '../../../src/modules/postal/index.js';

const KEY = 'a-personal-data-key-of-at-least-32-chars';

describe('partner key secrets at rest', () => {
  it('round-trips, never stores the secret in clear, and differs each time', () => {
    const { id, secret } = newKey();
    expect(id).toMatch(/^pk_/);
    const a = encryptSecret(secret, KEY);
    const b = encryptSecret(secret, KEY);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, KEY)).toBe(secret);
  });

  it('refuses a tampered value or another key', () => {
    const stored = encryptSecret('sk_secret', KEY);
    const parts = stored.split('.');
    parts[3] = Buffer.from('sk_secreT').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), KEY)).toThrow();
    expect(() => decryptSecret(stored, `${KEY}-other`)).toThrow();
    expect(() => decryptSecret('garbage', KEY)).toThrow();
  });
});
