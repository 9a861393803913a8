import pino from 'pino';

/**
 * Personal data never reaches the logs (DOMAIN.md §11): these paths are censored wherever they appear in a
 * logged object.
 */
export const redactPaths = [
  'req.headers.authorization',
  'password',
  '*.password',
  'citizenId',
  '*.citizenId',
  '*.*.citizenId',
  'phone',
  '*.phone',
  '*.*.phone',
];

/**
 * Query parameters whose values are secrets or personal data: the public lookup's `phone` (the last 4 digits are
 * the lookup's only secret) and anything named like a credential. Redaction by path covers logged fields only, not
 * the text of a URL, so URLs are scrubbed before they are logged.
 */
const SECRET_QUERY = /([?&](?:phone|citizenId|password|token|secret)=)[^&#\s"']*/gi;

/**
 * The values a failed query was sent with, as drizzle quotes them in its error's message ("Failed query: …
 * params: …"): an intake's are the applicant's name, phone and address.
 */
const QUERY_PARAMS = /(\nparams: )[^\n]*/g;

/** A URL or any text that may quote one (an error's message), with the values of secret query parameters censored. */
export function scrubUrl(text: string): string {
  return text.replace(SECRET_QUERY, '$1[redacted]');
}

/** An error as logged: URLs scrubbed, and the values of a failed query left out, in it and in its causes. */
function scrubError(value: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const key of ['message', 'stack'] as const) if (typeof out[key] === 'string') out[key] = scrubUrl(out[key]).replace(QUERY_PARAMS, '$1[redacted]');
  if ('params' in out) out.params = '[redacted]';
  if (out.cause && typeof out.cause === 'object' && depth < 5) out.cause = scrubError(out.cause as Record<string, unknown>, depth + 1);
  return out;
}

/**
 * Serializers that every logger made here (and fastify's request logger, which takes them over its defaults)
 * applies: the request line's URL scrubbed, and errors whose text quotes a URL scrubbed the same way; the values a
 * failed query carried (personal data: DOMAIN.md §11) are not logged, its SQL is.
 */
const serializers = {
  req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
    method: req.method,
    url: req.url === undefined ? undefined : scrubUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
  err: (err: unknown) => {
    if (typeof err === 'string') return scrubUrl(err);
    if (!(err instanceof Error)) return err;
    return scrubError(pino.stdSerializers.err(err) as unknown as Record<string, unknown>);
  },
};

export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, serializers }, destination);
}
export type Logger = ReturnType<typeof createLogger>;
