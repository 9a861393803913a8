import { z } from 'zod';
import { codeParam, dateParam, pageMeta, pageQuery, queryBool } from '../../lib/http.js';
import { level } from '../org/index.js';

export const timeUnit = z.enum(['working_day', 'working_hour', 'same_day', 'calendar_day']);
export const onlineLevel = z.enum(['full', 'partial', 'none']);

export const procedureSource = z.enum(['generated', 'national_catalogue']);

export const procedureSummary = z.object({
  code: z.string(),
  /** The version's id: a code names versions of several periods (and the generated codes may equal real ones). */
  versionId: z.number().int(),
  validFrom: z.string(),
  /** Exclusive: the version is in force until the day before. */
  validTo: z.string().nullable(),
  source: procedureSource,
  name: z.string(),
  fieldCode: z.string(),
  level,
  agencyCode: z.string(),
  authority: z.string(),
  processingTime: z.object({ amount: z.number().int(), unit: timeUnit }),
  statutoryTime: z.object({
    amount: z.number().int(),
    unit: timeUnit,
    /** The source's own text (national catalogue), e.g. "7 Ngày làm việc". */
    text: z.string().nullable(),
    /** Why amount and unit are not its literal reading: bare_number (no unit: read as working days), months (× 30 calendar days), missing. */
    note: z.enum(['bare_number', 'months', 'missing']).nullable(),
  }),
  timeCutPercent: z.number().int(),
  sameDay: z.boolean(),
  cutoffHour: z.string().nullable(),
  onlineLevel,
  locationIndependent: z.boolean(),
  postalEligible: z.boolean(),
});

export const procedureStep = z.object({
  order: z.number().int(),
  name: z.string(),
  performer: z.record(z.string(), z.string()),
  minutes: z.number().int(),
});

export const delegationInForce = z.object({
  number: z.string(),
  kind: z.enum(['delegation', 'decentralisation']),
  delegator: z.string(),
  delegateAgencyCode: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});

export const procedureDetail = procedureSummary.extend({
  supplementPolicy: z.enum(['pause', 'restart']),
  fees: z.array(z.object({ name: z.string(), amountVnd: z.number().nullable(), method: z.enum(['direct', 'online', 'postal']).optional() })),
  documents: z.array(z.object({ name: z.string(), originals: z.number(), copies: z.number(), required: z.boolean(), case: z.string().optional() })),
  levels: z.array(z.string()).nullable(),
  agencyText: z.string().nullable(),
  legalBasis: z.array(z.string()),
  onlineSubmission: z.boolean().nullable(),
  publishingDecision: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  paperResult: z.boolean(),
  onlineLevel4In2021: z.boolean(),
  publishedOnNationalPortal: z.boolean(),
  steps: z.array(procedureStep),
  delegations: z.array(delegationInForce),
});

export const proceduresQuery = z.object({
  ...pageQuery,
  level: level.optional(),
  field: codeParam.optional(),
  agency: codeParam.optional(),
  onlineLevel: onlineLevel.optional(),
  sameDay: queryBool.optional(),
  locationIndependent: queryBool.optional(),
  postalEligible: queryBool.optional(),
  /** Time cut by the province by at least 10 % (the report's figure). */
  timeCut: queryBool.optional(),
  /** Authority delegated by a decision in force on `asOf`. */
  delegated: queryBool.optional(),
  asOf: dateParam.optional(),
  source: procedureSource.optional(),
  /** Text in the Vietnamese name, with or without diacritics, or the start of a code. */
  q: z.string().trim().min(1).max(100).optional(),
});

export const proceduresPage = z.object({ items: z.array(procedureSummary), ...pageMeta });
export const procedureParams = z.object({ code: codeParam });
export const asOfQuery = z.object({ asOf: dateParam.optional() });
export const fieldsResponse = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), procedures: z.number().int() })),
});
