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

/** A URL or any text that may quote one (an error's message), with the values of secret query parameters censored. */
export function scrubUrl(text: string): string {
  return text.replace(SECRET_QUERY, '$1[redacted]');
}

/**
 * Serializers that every logger made here (and fastify's request logger, which takes them over its defaults)
 * applies: the request line's URL scrubbed, and errors whose text quotes a URL scrubbed the same way.
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
    const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
    for (const key of ['message', 'stack'] as const) if (typeof out[key] === 'string') out[key] = scrubUrl(out[key]);
    return out;
  },
};

export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, serializers }, destination);
}
export type Logger = ReturnType<typeof createLogger>;
