import { z } from 'zod';
import { codeParam, dateParam, MAX_LIMIT } from '../../lib/http.js';
import { inSupportedYears, SUPPORTED_RANGE_TEXT } from '../../lib/supported-range.js';
import { formulaDefinitionSchema } from '../../domain/quality/formula.js';
import { PERIOD_PATTERN } from './period.js';

export const periodParam = z
  .string()
  .regex(PERIOD_PATTERN, 'must be YYYY, YYYY-Qn or YYYY-MM (e.g. 2023, 2023-Q2, 2023-05)')
  .refine(inSupportedYears, `must be a period within ${SUPPORTED_RANGE_TEXT}`);
const version = z.string().trim().min(1).max(40).optional();

/** Exactly one of unit (GSO code) or agency. */
export const scopeQuery = z
  .object({ unit: codeParam.optional(), agency: codeParam.optional(), period: periodParam, version })
  .refine((q) => (q.unit === undefined) !== (q.agency === undefined), { message: 'give exactly one of unit or agency', path: ['unit'] });
export const scopeOf = (q: { unit?: string; agency?: string }) =>
  q.unit !== undefined ? { kind: 'unit' as const, code: q.unit } : { kind: 'agency' as const, code: q.agency! };

/** A period spanning an organisation version (2025 across 2025-07-01): how figures cross it. */
const flaggedView = z
  .array(z.object({ code: z.string(), name: z.string(), note: z.string() }))
  .describe('split predecessors counted once (the note says under which unit) and units shared with another district');
const acrossView = z
  .object({
    effectiveFrom: z.string(),
    areaView: z.boolean().describe('the unit is an old district: its desk and communes before the date, the units formed from them after'),
    flagged: flaggedView,
  })
  .nullable()
  .describe("set when the period spans an organisation version: a new unit's figures include its predecessors' and the dossiers moved to it before the date");

const periodView = z.object({ label: z.string(), from: z.string(), to: z.string() });
export const indicatorView = z.object({
  id: z.string(),
  name: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  target: z.number().nullable(),
  points: z.number().nullable(),
  maximum: z.number(),
  status: z.enum(['scored', 'no_data', 'untracked', 'monitoring']),
  value: z.number().nullable().optional(),
  unit: z.string().optional(),
  note: z.string().optional(),
});
export const scoreView = z.object({
  formulaVersion: z.string(),
  groups: z.array(z.object({ id: z.string(), name: z.string(), maximum: z.number(), points: z.number(), indicators: z.array(indicatorView) })),
  total: z.number(),
  scoredMaximum: z.number(),
  band: z.string().nullable(),
});
export const indexView = z.object({
  scope: z.object({ kind: z.enum(['unit', 'agency']), code: z.string(), name: z.string(), level: z.string() }),
  period: periodView,
  score: scoreView,
  facts: z.record(z.string(), z.number()),
  acrossRestructuring: acrossView,
  computedAt: z.string(),
});

export const rankingQuery = z.object({
  period: periodParam,
  kind: z.enum(['unit', 'agency']).default('unit'),
  level: z.enum(['province', 'district', 'commune']).optional(),
  version,
});
export const rankingView = z.object({
  period: periodView,
  formulaVersion: z.string(),
  kind: z.enum(['unit', 'agency']),
  items: z.array(
    z.object({ rank: z.number(), code: z.string(), name: z.string(), level: z.string(), total: z.number(), scoredMaximum: z.number(), band: z.string().nullable(), received: z.number(), flagged: flaggedView }),
  ),
  computedAt: z.string(),
});

export const seriesView = z.object({
  scope: z.object({ kind: z.enum(['unit', 'agency']), code: z.string() }),
  period: z.string(),
  /** `predecessors`: a month before the unit was formed, scored as its predecessors together. */
  points: z.array(z.object({ period: z.string(), total: z.number(), scoredMaximum: z.number(), received: z.number(), resolved: z.number(), predecessors: z.boolean() })),
  computedAt: z.string(),
});

export const itemsQuery = z
  .object({
    unit: codeParam.optional(),
    agency: codeParam.optional(),
    period: periodParam,
    version,
    cursor: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  })
  .refine((q) => (q.unit === undefined) !== (q.agency === undefined), { message: 'give exactly one of unit or agency', path: ['unit'] });
export const itemsView = z.object({
  indicator: z.string(),
  formulaVersion: z.string(),
  period: periodView,
  items: z.array(
    z.union([
      z.object({
        kind: z.literal('dossier'),
        code: z.string(),
        procedureCode: z.string(),
        unitCode: z.string(),
        channel: z.string(),
        status: z.string(),
        receivedAt: z.string(),
        dueAt: z.string().nullable(),
        endedAt: z.string().nullable(),
        timeliness: z.string().nullable(),
        counted: z.boolean(),
      }),
      z.object({ kind: z.literal('procedure'), code: z.string(), name: z.string(), level: z.string(), onlineLevel: z.string(), counted: z.boolean() }),
    ]),
  ),
  nextCursor: z.string().nullable(),
});

export const formulaBody = z.object({
  version: z.string().trim().min(1).max(40).regex(/^[\w.-]+$/),
  title: z.string().trim().min(3).max(300),
  effectiveFrom: dateParam,
  definition: formulaDefinitionSchema,
});
export const formulaView = formulaBody;

export const publishBody = z.object({ period: periodParam, version });
export const publishView = z.object({ period: z.string(), formulaVersion: z.string(), published: z.number(), publishedAt: z.string() });
export const publishedQuery = z.object({ period: periodParam, unit: codeParam.optional(), agency: codeParam.optional() });
export const publishedView = z.object({
  period: z.string(),
  items: z.array(z.object({ scopeKind: z.string(), scopeCode: z.string(), formulaVersion: z.string(), total: z.number(), score: z.unknown(), publishedBy: z.string(), publishedAt: z.string() })),
});

export const reportQuery = z
  .object({
    from: dateParam,
    to: dateParam,
    groupBy: z.enum(['year', 'unit', 'level', 'field']).default('year'),
    unit: codeParam.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
const reportRow = z.object({
  key: z.string(),
  label: z.string(),
  received: z.number(),
  receivedOnline: z.number(),
  resolved: z.number(),
  resolvedOnTime: z.number(),
  resolvedLate: z.number(),
  lateRatePercent: z.number().nullable(),
});
export const reportView = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.string(),
  unit: z.string().nullable(),
  rows: z.array(reportRow),
  total: reportRow,
  acrossRestructuring: acrossView,
});
