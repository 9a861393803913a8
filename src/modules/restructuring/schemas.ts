import { z } from 'zod';
import { codeParam, dateParam, pageMeta, pageQuery } from '../../lib/http.js';

export const createPlanBody = z
  .object({
    effectiveFrom: dateParam.describe('the date the new organisation takes effect (an organisation version)'),
    basis: z.string().trim().min(3).max(500).describe('legal basis recorded on every transfer'),
    districtRules: z
      .record(codeParam, codeParam)
      .optional()
      .describe("district code → GSO code of the new unit whose centre takes the district's own dossiers"),
    appointmentExtensionDays: z.number().int().min(0).max(60).optional().describe('working days added to appointments (default TRANSITION_APPOINTMENT_EXTENSION_DAYS; 0: they stand)'),
  })
  .strict();

export const amendItemBody = z
  .object({
    toDeskCode: codeParam,
    toAuthorityAgencyCode: codeParam.optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .strict();

export const applyBody = z
  .object({
    batchSize: z.number().int().min(1).max(5000).optional(),
    maxBatches: z.number().int().min(1).optional().describe('stop after this many batches; applying again goes on'),
  })
  .strict();

export const planParams = z.object({ id: z.coerce.number().int().min(1) });
export const itemParams = z.object({ id: z.coerce.number().int().min(1), dossierCode: z.string().trim().min(5).max(60).regex(/^[\w.-]+$/) });
export const planQuery = z.object({
  ...pageQuery,
  state: z.enum(['placed', 'unplaced', 'transferred']).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

const placement = z.object({ deskCode: z.string(), unitCode: z.string(), authorityAgencyCode: z.string(), holderAgencyCode: z.string() });
export const planItem = z.object({
  dossierCode: z.string(),
  state: z.enum(['placed', 'unplaced', 'transferred']),
  from: placement,
  to: placement.nullable(),
  basis: z.string(),
  amendedBy: z.string().nullable(),
  transferredAt: z.string().nullable(),
});
export const planView = z.object({
  id: z.number().int(),
  effectiveFrom: z.string(),
  basis: z.string(),
  districtRules: z.record(z.string(), z.string()),
  appointmentExtensionDays: z.number().int(),
  status: z.enum(['draft', 'applying', 'applied']),
  createdBy: z.string(),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  counts: z.object({ placed: z.number().int(), unplaced: z.number().int(), transferred: z.number().int() }),
  roles: z.array(z.object({ id: z.number().int(), username: z.string(), role: z.string(), scopeKind: z.string(), scopeCode: z.string() })).describe('staff roles that end on the effective date'),
  items: z.array(planItem),
  ...pageMeta,
});
export const applyResult = z.object({
  planId: z.number().int(),
  transferred: z.number().int(),
  batches: z.number().int(),
  remaining: z.number().int(),
  unplaced: z.number().int(),
  rolesEnded: z.number().int(),
  status: z.enum(['draft', 'applying', 'applied']),
});
