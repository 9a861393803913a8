/**
 * Whether an error means "a service we depend on is not there right now" rather than a fault of the request or a
 * bug: the HTTP error handler answers these 503 with Retry-After (src/app.ts), not 500, so a client retries.
 *
 * PostgreSQL: the server shutting down or starting up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
 * connect now), the connection class 08 (08000, 08001, 08003, 08004, 08006), too many connections (53300); the
 * driver's own words when the socket ends under it ("Connection terminated unexpectedly", a client "not
 * queryable" after such an error) or cannot be opened (ECONNREFUSED, ECONNRESET...). Redis (ioredis): a command
 * that timed out, a connection closed, retries exhausted. Drizzle wraps a failed query (`cause`); a connection
 * refused on both address families is an AggregateError (`errors`): both are looked through.
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const PG_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client has encountered a connection error/i;
const REDIS_MESSAGES = /Command timed out|Connection is closed|Reached the max retries per request|Stream isn't writeable/i;

export type Unavailable = 'database' | 'redis';

export function unavailableService(err: unknown, depth = 0): Unavailable | null {
  if (!err || typeof err !== 'object' || depth > 6) return null;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (PG_CODES.has(code) || PG_MESSAGES.test(message)) return 'database';
  if (REDIS_MESSAGES.test(message) || e.name === 'MaxRetriesPerRequestError') return 'redis';
  // The api's Redis calls turn their own failures into 503 SERVICE_UNAVAILABLE; a bare socket error is the pool's.
  if (NET_CODES.has(code)) return 'database';
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const n of nested) {
    const found = unavailableService(n, depth + 1);
    if (found) return found;
  }
  return null;
}
