import { z } from 'zod';
import { codeParam, dateParam } from '../../lib/http.js';

const reason = z.string().trim().min(3).max(500);
export const delegator = z.union([
  z.enum(['ubnd_tinh', 'chu_tich_ubnd_tinh', 'ubnd_huyen', 'chu_tich_ubnd_huyen']),
  codeParam, // an agency sub-delegating what it was delegated
]);

export const createDecisionBody = z
  .object({
    number: z.string().trim().min(3).max(60),
    kind: z.enum(['delegation', 'decentralisation']),
    issuer: z.string().trim().min(3).max(200),
    delegator,
    delegatorUnitCode: codeParam
      .optional()
      .describe('Where the delegated authority is held (GSO code); by default the province-level unit in force on effectiveFrom: 49 Quảng Nam until 2025-06-30, 48 thành phố Đà Nẵng since'),
    delegateAgencyCode: codeParam,
    signedOn: dateParam,
    effectiveFrom: dateParam,
    effectiveTo: dateParam.nullable().default(null),
    documentRef: z.string().trim().max(300).nullable().default(null),
    procedureCodes: z.array(codeParam).min(1).max(500),
    reason,
  })
  .refine((b) => b.effectiveTo === null || b.effectiveTo > b.effectiveFrom, { message: 'must be after effectiveFrom', path: ['effectiveTo'] })
  .refine((b) => b.signedOn <= b.effectiveFrom, { message: 'a decision takes effect on or after it is signed', path: ['effectiveFrom'] });

export const amendDecisionBody = z
  .object({
    effectiveTo: dateParam.nullable().optional(),
    documentRef: z.string().trim().max(300).nullable().optional(),
    procedureCodes: z.array(codeParam).min(1).max(500).optional(),
    reason,
  })
  .refine((b) => b.effectiveTo !== undefined || b.documentRef !== undefined || b.procedureCodes !== undefined, {
    message: 'change at least one of effectiveTo, documentRef, procedureCodes',
    path: ['effectiveTo'],
  });

export const revokeBody = z.object({ revokedOn: dateParam, reason });
export const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const decisionView = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(['delegation', 'decentralisation']),
  issuer: z.string(),
  delegator: z.string(),
  delegatorUnitCode: z.string(),
  delegateAgencyCode: z.string(),
  signedOn: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  documentRef: z.string().nullable(),
  revokedOn: z.string().nullable(),
  createdBy: z.string(),
  procedureCodes: z.array(z.string()),
});

export const listQuery = z.object({
  on: dateParam.optional(),
  procedure: codeParam.optional(),
  delegate: codeParam.optional(),
  unit: codeParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const authorityQuery = z.object({ on: dateParam.optional(), unit: codeParam.optional() });
export const authorityView = z.object({
  procedure: z.string(),
  on: z.string(),
  unit: z.string(),
  authority: z.string(),
  holder: z.string(),
  decision: z.string().nullable(),
  chain: z.array(z.object({ number: z.string(), kind: z.string(), from: z.string(), fromUnit: z.string(), to: z.string() })),
});

export const reportQuery = z.object({ on: dateParam.optional() });
export const dossierReportQuery = z
  .object({ from: dateParam, to: dateParam })
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] });
