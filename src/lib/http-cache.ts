import { createHash } from 'node:crypto';
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

/** Sends a cached representation with its validators, or 304 (no body, same validators) to a matching request. */
export function sendCached(req: FastifyRequest, reply: FastifyReply, r: CachedRepresentation) {
  reply.header('etag', r.etag).header('last-modified', r.lastModifiedText ?? httpDate(r.lastModified)).header('cache-control', r.cacheControl);
  if (r.vary) reply.header('vary', r.vary);
  if (notModified(req.headers, r.etag, r.lastModified)) return reply.code(304).send();
  // Bytes with their content type set are sent as they are (fastify serialises only objects): those the ETag
  // was computed over.
  return reply.type(r.contentType).send(r.body as never);
}
