import { z } from 'zod';
import { codeParam, dateParam, instantParam } from '../../lib/http.js';
import { DOCUMENT_NAME_MAX, intakeBody } from '../dossiers/index.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** The signature headers, documented on every partner route (checked before validation). */
export const signedHeaders = z.object({
  'x-partner-key': z.string().describe('The API key id (pk_…) issued to the partner'),
  'x-timestamp': z.string().describe('Unix seconds or an ISO 8601 instant with offset, as signed; within 5 minutes of the server time'),
  'x-signature': z
    .string()
    .describe('hex(HMAC-SHA256(secret, METHOD + "\\n" + path-with-query + "\\n" + X-Timestamp + "\\n" + sha256hex(raw body))); each signature is accepted once'),
});

export const createPartnerBody = z.object({
  code: z.string().trim().regex(/^[A-Z0-9_-]{2,30}$/, 'must be 2-30 capital letters, digits, - or _'),
  name: text(200),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  deliversResults: z.boolean().default(true),
});
/** A partner's settings an administrator may change; at least one. `webhookUrl: null` stops webhooks. */
export const updatePartnerBody = z
  .strictObject({
    name: text(200).optional(),
    webhookUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
    deliversResults: z.boolean().optional(),
    /** true: its keys stop working at once, it carries no new results, its webhooks wait (replay them after). */
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of name, webhookUrl, deliversResults, disabled');
export const partnerCodeParams = z.object({ code: z.string().trim().regex(/^[A-Z0-9_-]{2,30}$/, 'must be a partner code') });
export const rotateBody = z.object({
  /** Seconds the previous keys keep working; default POSTAL_KEY_OVERLAP_SECONDS (24 h). */
  overlapSeconds: z.number().int().min(0).max(30 * 86_400).optional(),
});

export const precheckBody = z.object({
  procedureCode: codeParam,
  deskCode: codeParam,
  documents: z.array(z.strictObject({ name: text(DOCUMENT_NAME_MAX) })).max(100),
});

export const postalIntakeBody = intakeBody.omit({ channel: true }).extend({
  postalClerk: z.strictObject({ id: text(64), name: text(200) }),
  postOfficeCode: codeParam,
});
export type PostalIntakeBody = z.infer<typeof postalIntakeBody>;

export const shipmentIdParams = z.object({ id: z.coerce.number().int().positive() });
export const statusReportBody = z
  .object({
    /** The partner's own id of this report: a report sent again with the same id changes nothing. */
    eventId: text(100),
    status: z.enum(['picked_up', 'in_transit', 'delivered', 'failed', 'returned']),
    occurredAt: instantParam(),
    reason: text(1000).optional(),
  })
  .refine((b) => b.status !== 'failed' || b.reason, { message: 'a failed delivery needs its reason', path: ['reason'] });
export type StatusReport = z.infer<typeof statusReportBody>;

export const listShipmentsQuery = z.object({
  status: z.enum(['requested', 'picked_up', 'in_transit', 'delivered', 'failed', 'returned']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Shipments with an id greater than this (the previous page's last id). */
  after: z.coerce.number().int().min(0).default(0),
});

export const webhookListQuery = z.object({
  partner: partnerCodeParams.shape.code.optional(),
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const webhookIdParams = z.object({ id: z.coerce.number().int().positive() });

export const qualityQuery = z.object({
  from: dateParam,
  to: dateParam,
  period: z.enum(['month', 'quarter', 'year']).default('month'),
  desk: codeParam.optional(),
  field: codeParam.optional(),
});

// Responses.
export const keyView = z.object({ id: z.string(), createdAt: z.date(), expiresAt: z.date().nullable() });
export const partnerView = z.object({
  code: z.string(),
  name: z.string(),
  webhookUrl: z.string().nullable(),
  deliversResults: z.boolean(),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
  keys: z.array(keyView),
});
export const issuedKey = z.object({
  id: z.string(),
  secret: z.string().describe('Shown once: store it now; it cannot be read again'),
  createdAt: z.date(),
});
export const precheckView = z.object({
  procedure: z.object({ code: z.string(), name: z.string(), fieldCode: z.string(), fieldName: z.string() }),
  desk: z.object({ code: z.string(), name: z.string() }),
  postalCovered: z.boolean().describe('Whether the postal operator is assigned this desk and field (postal_coverage)'),
  acceptable: z.boolean().describe('Whether this desk would take the procedure by post (level, postal eligibility, coverage)'),
  refusalReason: z.string().nullable(),
  requiredDocuments: z.array(z.object({ name: z.string(), originals: z.number(), copies: z.number(), required: z.boolean(), present: z.boolean() })),
  missingDocuments: z.array(z.string()),
  readyToSubmit: z.boolean(),
});
export const shipmentEventView = z.object({
  eventId: z.string(),
  status: z.string(),
  occurredAt: z.date(),
  reason: z.string().nullable(),
  receivedAt: z.date(),
  applied: z.boolean(),
});
export const shipmentView = z.object({
  id: z.number(),
  dossierCode: z.string(),
  status: z.enum(['requested', 'picked_up', 'in_transit', 'delivered', 'failed', 'returned']),
  statusAt: z.date(),
  failureReason: z.string().nullable(),
  recipient: z.object({ name: z.string(), phone: z.string().nullable(), address: z.string() }),
  createdAt: z.date(),
  events: z.array(shipmentEventView).optional(),
});
export const statusReportResult = z.object({
  applied: z.boolean().describe('Whether this report moved the status (false: repeated, late or after a final status)'),
  duplicate: z.boolean().describe('The same eventId was reported before'),
  shipment: shipmentView,
});
export const partnerDossierView = z.object({
  code: z.string(),
  procedureCode: z.string(),
  deskCode: z.string(),
  status: z.string(),
  receivedAt: z.date(),
  dueAt: z.date().nullable(),
  returnedAt: z.date().nullable(),
  resultDelivery: z.object({ method: z.string(), address: z.string().optional(), deskCode: z.string().optional() }),
  submission: z.object({ clerkId: z.string(), clerkName: z.string(), postOfficeCode: z.string(), submittedAt: z.date() }),
  shipmentId: z.number().nullable(),
});
export const webhookView = z.object({
  id: z.number(),
  partnerCode: z.string(),
  kind: z.string(),
  idempotencyKey: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  replays: z.number(),
  createdAt: z.date(),
  payload: z.record(z.string(), z.unknown()),
});
export const webhookDetail = webhookView.extend({
  log: z.array(z.object({ attempt: z.number(), at: z.date(), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() })),
});
const channelFigures = z.object({
  received: z.number(),
  supplementRequested: z.number(),
  supplementRate: z.number().nullable(),
  withdrawn: z.number(),
  stopped: z.number(),
  cancelled: z.number(),
  cancellationRate: z.number().nullable(),
  intakeNotReceived: z.number(),
  intakeRefused: z.number(),
});
export const qualityView = z.object({
  from: z.string(),
  to: z.string(),
  period: z.string(),
  totals: z.object({ postal: channelFigures, desk: channelFigures }),
  items: z.array(z.object({ deskCode: z.string(), fieldCode: z.string(), period: z.string(), postal: channelFigures, desk: channelFigures })),
});
export type ChannelFigures = z.infer<typeof channelFigures>;
