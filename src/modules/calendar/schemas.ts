import { z } from 'zod';
import { anyRealDateParam, codeParam, dateParam } from '../../lib/http.js';
import { SUPPORTED_YEARS } from '../../lib/supported-range.js';

export const dayKind = z.enum(['holiday', 'compensatory_off', 'swap_off', 'makeup_workday']);
export const dayStatus = z.enum(['official', 'derived', 'provisional']);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM');

export const calendarDay = z.object({
  date: z.string(),
  kind: dayKind,
  name: z.string(),
  source: z.string().nullable(),
  status: dayStatus,
  updatedAt: z.date(),
  updatedBy: z.string(),
});

export const daysQuery = z
  .object({ from: dateParam.optional(), to: dateParam.optional(), year: z.coerce.number().int().min(SUPPORTED_YEARS.from).max(SUPPORTED_YEARS.to).optional() })
  .refine((q) => !(q.year && (q.from || q.to)), { message: 'give either year or from/to', path: ['year'] });

export const dateParams = z.object({ date: dateParam });
/** Removing a day takes any real date, so that a day stored outside the supported years can be removed. */
export const removableDateParams = z.object({ date: anyRealDateParam });

/** What kind of day a date is: an exception from the table, or an ordinary weekday / weekend day. */
export const dayInfo = z.object({
  date: z.string(),
  working: z.boolean(),
  kind: z.enum(['weekday', 'weekend', 'holiday', 'compensatory_off', 'swap_off', 'makeup_workday']),
  name: z.string().nullable(),
  source: z.string().nullable(),
  status: dayStatus.nullable(),
  provisional: z.boolean(),
  beyondLoadedYears: z.boolean(),
});

const reason = z.string().trim().min(3).max(500);
export const putDayBody = z.object({
  kind: dayKind,
  name: z.string().trim().min(1).max(200),
  source: z.string().trim().min(1).max(300).nullable().default(null),
  status: dayStatus,
  reason,
});
export const deleteDayBody = z.object({ reason });

export const periods = z
  .array(z.object({ start: hhmm, end: hhmm }))
  .min(1)
  .max(6)
  .refine((ps) => ps.every((p, i) => p.start < p.end && (i === 0 || (ps[i - 1]?.end ?? '') <= p.start)), {
    message: 'periods must be increasing and must not overlap',
  });
export const workingHoursBody = z.object({ periods, reason });
export const workingHoursParams = z.object({
  scope: z.union([z.literal('province'), codeParam]).describe("'province' or a province-level unit's code (48, the city in force; 49, Quảng Nam before it) for the province's hours, else a desk code (TX20410)"),
});
export const workingHoursResponse = z.object({
  scope: z.string(),
  periods: z.array(z.object({ start: z.string(), end: z.string() })),
  inherited: z.boolean(),
});

export const calendarChange = z.object({
  id: z.number().int(),
  date: z.string().nullable().describe('the day changed; for a schedule (scope `schedule`) the first day of the range it covers'),
  dateTo: z.string().nullable().describe('the last day of the range a schedule covers; null for one day or working hours'),
  scope: z.string().describe("`day`, `schedule` (a year's schedule loaded: years and days in one change) or the working hours' scope"),
  before: z.unknown(),
  after: z.unknown(),
  changedBy: z.string(),
  reason: z.string(),
  changedAt: z.date(),
});
export const changesQuery = z.object({
  date: dateParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
