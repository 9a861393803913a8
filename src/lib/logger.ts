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

export function createLogger(level: string) {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } });
}
export type Logger = ReturnType<typeof createLogger>;
