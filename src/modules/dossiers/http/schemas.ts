import { z } from 'zod';
import { codeParam, dateParam, instantParam } from '../../../lib/http.js';
import { dossierStatuses } from '../../../domain/dossier/state-machine.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const phone = z
  .string()
  .trim()
  .regex(/^(\+84|0)\d{9,10}$/, 'must be a Vietnamese phone number (0xxxxxxxxx or +84xxxxxxxxx)');

// Request objects are strict to their depth (app.ts makes top-level bodies strict): a misspelt optional field such
// as `mail` for `email` is a 400, not a field dropped in silence.
const person = z.strictObject({
  kind: z.literal('person'),
  name: text(200),
  citizenId: z.string().trim().regex(/^\d{12}$/, 'must be a 12-digit citizen ID number (CCCD)'),
  phone,
  email: z.email().max(200).optional(),
  address: text(500),
});
const organisation = z.strictObject({
  kind: z.literal('organisation'),
  name: text(300),
  taxCode: z.string().trim().regex(/^\d{10}(-\d{3})?$/, 'must be a tax code (10 digits, optional -NNN)'),
  representative: text(200),
  phone,
  email: z.email().max(200).optional(),
  address: text(500),
});
export const applicantInput = z.discriminatedUnion('kind', [person, organisation]);

/**
 * A document is named as the catalogue names it; the national catalogue's names run to about 5,000 characters (a
 * document with its conditions and the cases it covers).
 */
export const DOCUMENT_NAME_MAX = 6000;
export const documentInput = z.strictObject({
  name: text(DOCUMENT_NAME_MAX),
  original: z.boolean(),
  digitised: z.boolean().default(false),
});

export const resultDelivery = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('desk'), deskCode: codeParam.optional() }),
  z.strictObject({ method: z.literal('post'), address: text(500) }),
  z.strictObject({ method: z.literal('electronic') }),
]);

export const intakeBody = z.object({
  channel: z.enum(['desk', 'online', 'postal']),
  procedureCode: codeParam,
  deskCode: codeParam,
  applicant: applicantInput,
  documents: z.array(documentInput).max(100),
  resultDelivery,
  /**
   * The commune-level unit whose authority decides a commune-level procedure (where the applicant resides or the
   * subject is located), when it is not the receiving desk's own: a location-independent intake (Nghị định 118/2025).
   */
  authorityUnitCode: codeParam
    .optional()
    .describe("For a commune-level procedure: the GSO code of the commune that decides it (the applicant's residence or the subject's location), when it is not the receiving commune; required at the city's centre"),
  /** For intake recorded after the fact (postal pick-up); default now. Never in the future, nor older than INTAKE_BACKDATE_MAX_HOURS. */
  receivedAt: instantParam()
    .optional()
    .describe('When the dossier was received, if earlier than now (postal pick-up, paper intake during an outage): at most INTAKE_BACKDATE_MAX_HOURS (default 72) before now'),
  note: z.string().trim().max(1000).optional(),
});
export type IntakeBody = z.infer<typeof intakeBody>;

const dossierCodeParamsBase = z.object({ code: z.string().trim().min(5).max(60).regex(/^[\w.-]+$/, 'must be a dossier code') });
export const dossierCodeParams = dossierCodeParamsBase;

export const handoffBody = z
  .object({
    toAgencyCode: codeParam.optional(),
    toRole: z.enum(['desk_officer', 'specialist', 'agency_head', 'leader']).optional(),
    toUsername: z.string().trim().min(1).max(64).optional(),
    note: z.string().trim().max(1000).optional(),
    /** The version the caller saw; a stale one is a 409 (optimistic concurrency). */
    expectedVersion: z.number().int().positive().optional(),
  })
  .refine((b) => b.toAgencyCode || b.toRole || b.toUsername, { message: 'name a receiving unit, role or person', path: ['toAgencyCode'] });

export const supplementRequestBody = z.object({
  reason: text(1000),
  items: z.array(text(DOCUMENT_NAME_MAX)).min(1).max(50),
});
export const supplementReceivedBody = z.object({ note: z.string().trim().max(1000).optional() });
export const completeBody = z.object({ resultReference: z.string().trim().max(200).optional(), note: z.string().trim().max(1000).optional() });
export const returnBody = z.object({ method: z.enum(['desk', 'post', 'electronic']), note: z.string().trim().max(1000).optional() });
export const stopBody = z.object({ reason: text(1000) });
export const paperSentBody = z.object({
  kind: z.enum(['dossier', 'result']).describe('dossier: the papers, receiving desk → deciding agency; result: the paper result, deciding agency → returning desk'),
  method: z.enum(['post', 'hand']),
  reference: z.string().trim().min(1).max(100).optional().describe("The postal item's number, or who carried it"),
  note: z.string().trim().max(1000).optional(),
});
export const paperReceivedBody = z.object({ note: z.string().trim().max(1000).optional() });
export const paperTransferParams = dossierCodeParamsBase.extend({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const withdrawBody = z.object({ reason: text(1000) });

export const listQuery = z.object({
  desk: codeParam.optional(),
  agency: codeParam.optional(),
  status: z.enum(dossierStatuses).optional(),
  procedure: codeParam.optional(),
  field: codeParam.optional(),
  channel: z.enum(['desk', 'online', 'postal']).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Only the dossiers whose current step the caller holds (a work queue). */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  dueBefore: instantParam().optional(),
  receivedFrom: dateParam.optional(),
  receivedTo: dateParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
});
