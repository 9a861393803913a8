import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The partner request signature. Pure. A partner signs
 *
 *   METHOD "\n" path-with-query "\n" timestamp "\n" sha256hex(raw body)
 *
 * with HMAC-SHA256 under its key's secret and sends the lower-case hex digest in `X-Signature`, the key id in
 * `X-Partner-Key` and the timestamp (unix seconds or ISO 8601, exactly as signed) in `X-Timestamp`. The same
 * scheme signs our webhooks to the partner.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const sha256Hex = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

export function canonicalString(method: string, pathWithQuery: string, timestamp: string, body: Buffer | string): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${sha256Hex(body)}`;
}

export function sign(secret: string, method: string, pathWithQuery: string, timestamp: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(canonicalString(method, pathWithQuery, timestamp, body)).digest('hex');
}

/** Constant-time comparison of a given hex signature with the expected one. */
export function signatureMatches(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(givenHex)) return false;
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(givenHex.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The instant of an `X-Timestamp` (unix seconds, or an ISO 8601 instant with offset), or null. */
export function parseTimestamp(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Whether a timestamp is within the window (either side) of now. */
export const withinWindow = (timestampMs: number, nowMs: number, windowSeconds = SIGNATURE_WINDOW_SECONDS) =>
  Math.abs(nowMs - timestampMs) <= windowSeconds * 1000;
