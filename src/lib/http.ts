import { z } from 'zod';
import { inSupportedYears, SUPPORTED_RANGE_TEXT } from './supported-range.js';

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }),
});

/** Common error responses, documented on every route. */
export const errors = { 400: errorSchema, 404: errorSchema } as const;
export const authErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema } as const;

export const MAX_LIMIT = 200;
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
export const pageMeta = { total: z.number().int(), limit: z.number().int(), offset: z.number().int() };

/** A short code from a path or query: trimmed, bounded. */
export const codeParam = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\w.-]+$/, 'must be a code (letters, digits, . - _)');
/**
 * A real calendar date 'YYYY-MM-DD' of any year (2024-02-30 and 2024-13-01 are refused): only to name a stored
 * row that must be reachable whatever its date (removing a calendar day entered with a typo). Everything else
 * takes dateParam.
 */
export const anyRealDateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real date');
/** A real calendar date 'YYYY-MM-DD' within the supported years (src/lib/supported-range.ts). */
export const dateParam = anyRealDateParam
  .refine(inSupportedYears, `must be a date within ${SUPPORTED_RANGE_TEXT}`)
  .describe(`A date YYYY-MM-DD within ${SUPPORTED_RANGE_TEXT}`);
/**
 * An ISO 8601 instant with its offset, within the supported years (its local date, UTC+7, is what deadlines and
 * reports use, so that date is the one checked).
 */
export const instantParam = (message = 'must be an ISO 8601 instant with offset, e.g. 2026-11-27T08:30:00+07:00') =>
  z.iso
    .datetime({ offset: true, error: message })
    .refine((s) => {
      const local = Date.parse(s) + 7 * 3_600_000;
      return Number.isFinite(local) && inSupportedYears(new Date(local).toISOString());
    }, `must be an instant within ${SUPPORTED_RANGE_TEXT} (local time)`)
    .describe(`An ISO 8601 instant with offset, within ${SUPPORTED_RANGE_TEXT} (local time)`);
/** Query booleans arrive as text. */
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
