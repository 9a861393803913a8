import { createHash } from 'node:crypto';
import { constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A representation ready to send again: its bytes, validators (RFC 9110 §8.8) and freshness (RFC 9111 §5.2). */
export interface CachedRepresentation {
  /** The bytes (encoded once: a crowd's answers are not re-encoded from text each time). */
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** `lastModified` as the header says it, when computed once for many answers. */
  lastModifiedText?: string;
  cacheControl: string;
  /** Request headers that select the representation, for `Vary`. */
  vary?: string;
  /** The same bytes gzip-encoded once (see `gzipOf`), sent to a client that accepts gzip; none for small bodies. */
  gzip?: Buffer;
}

/** Below this a body is sent as it is: gzip would save less than a packet. */
const GZIP_MIN_BYTES = 1024;

/**
 * The body gzip-encoded, once per representation rather than per request: a crowd reading the public index gets
 * an answer a sixth to a tenth of the size (a commune ranking: 36 KB as JSON, 4.5 KB gzipped), which is what a
 * phone on a mobile network waits for, and what a busy server spends its time writing.
 */
export const gzipOf = (body: Buffer): Buffer | undefined =>
  body.length < GZIP_MIN_BYTES ? undefined : gzipSync(body, { level: constants.Z_DEFAULT_COMPRESSION });

/**
 * Whether the request's Accept-Encoding admits gzip (RFC 9110 §12.5.3): listed as gzip, x-gzip or *, with a
 * quality above zero. No header means any coding is acceptable, but a client that sends none is rarely one that
 * decodes it (curl, scripts), so it gets the identity.
 */
export function acceptsGzip(headers: FastifyRequest['headers']): boolean {
  const value = headers['accept-encoding'];
  if (value === undefined) return false;
  let star = false;
  for (const item of String(value).toLowerCase().split(',')) {
    const [coding, ...params] = item.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return allowed;
    if (coding === '*') star = allowed;
  }
  return star;
}

/** A strong validator: a digest of the bytes sent. */
export const etagOf = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** The IMF-fixdate of an instant, to the second (HTTP dates have no fraction). */
export const httpDate = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toUTCString();

/**
 * Whether a GET may answer 304: If-None-Match, when present, decides alone by the weak comparison
 * (RFC 9110 §13.1.2, §13.2.2); otherwise If-Modified-Since against the last modification, to the second.
 */
export function notModified(headers: FastifyRequest['headers'], etag: string, lastModified: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    const tags = String(inm).split(',').map((t) => t.trim());
    const bare = etag.replace(/^W\//, '');
    return tags.some((t) => t === '*' || t.replace(/^W\//, '') === bare);
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(String(ims));
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * Sends a cached representation with its validators, or 304 (no body, same validators) to a matching request.
 * Where it has a gzip encoding, a client that accepts gzip gets it, with the ETag made weak: the two encodings are
 * the same content, so either validates a cached copy of either (weak comparison, RFC 9110 §8.8.3), but they are
 * not the same bytes, which a strong ETag would promise. Caches are told that the answer varies by the coding.
 */
export function sendCached(req: FastifyRequest, reply: FastifyReply, r: CachedRepresentation) {
  const gzip = r.gzip !== undefined && acceptsGzip(req.headers);
  const etag = gzip && !r.etag.startsWith('W/') ? `W/${r.etag}` : r.etag;
  reply.header('etag', etag).header('last-modified', r.lastModifiedText ?? httpDate(r.lastModified)).header('cache-control', r.cacheControl);
  const vary = r.gzip === undefined ? r.vary : r.vary ? `${r.vary}, accept-encoding` : 'accept-encoding';
  if (vary) reply.header('vary', vary);
  if (notModified(req.headers, etag, r.lastModified)) return reply.code(304).send();
  // Bytes with their content type set are sent as they are (fastify serialises only objects): those the ETag
  // was computed over, or their gzip encoding.
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.type(r.contentType).send((gzip ? r.gzip : r.body) as never);
}
