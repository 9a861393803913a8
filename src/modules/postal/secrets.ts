import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Partner key secrets at rest: HMAC needs the secret itself (a hash would not do), so it is stored encrypted with
 * AES-256-GCM under a key derived from PERSONAL_DATA_KEY. Never logged; shown to the administrator once.
 */
const keyFrom = (personalDataKey: string) => createHash('sha256').update(`postal-partner-keys\n${personalDataKey}`).digest();

export function encryptSecret(secret: string, personalDataKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(personalDataKey), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

export function decryptSecret(stored: string, personalDataKey: string): string {
  const [v, iv, tag, data] = stored.split('.');
  if (v !== 'v1' || !iv || !tag || !data) throw new Error('unreadable partner key secret');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(personalDataKey), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** A new key id and secret: the id is sent with every request, the secret never. */
export const newKey = () => ({ id: `pk_${randomBytes(9).toString('base64url')}`, secret: `sk_${randomBytes(32).toString('base64url')}` });
