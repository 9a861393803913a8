import { shipmentStatuses } from '../../domain/postal/shipment-status.js';
import { dossiers } from './dossiers.js';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, serial, text, timestamptz, uniqueIndex } from './pg.js';

/**
 * The public postal operator and any other postal partner (DOMAIN.md §7). Partners do not log in:
 * every request is signed with one of their API keys (src/domain/postal/signature.ts).
 */
export const postalPartners = pgTable('postal_partners', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** Where outbound webhooks go (shipment requested, result ready, dossier cancelled); none → no webhooks. */
  webhookUrl: text('webhook_url'),
  /** Takes results to applicants' addresses (the default carrier of a desk-received dossier's result by post). */
  deliversResults: boolean('delivers_results').notNull().default(true),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
  disabledAt: timestamptz('disabled_at'),
});

/**
 * A partner's API keys. HMAC needs the secret itself, so it is kept encrypted (AES-256-GCM under a key derived
 * from PERSONAL_DATA_KEY) and shown only once, when issued. Rotation issues a new key and sets the old keys'
 * `expires_at` to the end of the overlap period.
 */
export const postalPartnerKeys = pgTable(
  'postal_partner_keys',
  {
    id: text('id').primaryKey(),
    partnerId: integer('partner_id')
      .notNull()
      .references(() => postalPartners.id),
    secretEncrypted: text('secret_encrypted').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    expiresAt: timestamptz('expires_at'),
  },
  (t) => [index('postal_partner_keys_partner_idx').on(t.partnerId)],
);

/**
 * What a partner submitted through postal intake, whatever the outcome (received, not received, refused):
 * which postal clerk at which post office. `reference` is the dossier code or the intake decision's reference.
 */
export const postalSubmissions = pgTable(
  'postal_submissions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnerId: integer('partner_id')
      .notNull()
      .references(() => postalPartners.id),
    reference: text('reference').notNull().unique(),
    outcome: text('outcome', { enum: ['received', 'not_received', 'refused'] }).notNull(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .unique()
      .references(() => dossiers.id),
    clerkId: text('clerk_id').notNull(),
    clerkName: text('clerk_name').notNull(),
    postOfficeCode: text('post_office_code').notNull(),
    submittedAt: timestamptz('submitted_at').notNull(),
  },
  (t) => [index('postal_submissions_partner_idx').on(t.partnerId, t.id)],
);

/** A result sent to the applicant by post: one per dossier, created when the result is ready. */
export const shipments = pgTable(
  'shipments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .unique()
      .references(() => dossiers.id),
    partnerId: integer('partner_id')
      .notNull()
      .references(() => postalPartners.id),
    address: text('address').notNull(),
    status: text('status', { enum: shipmentStatuses }).notNull(),
    /** When the partner says the current status happened. */
    statusAt: timestamptz('status_at').notNull(),
    failureReason: text('failure_reason'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [index('shipments_partner_idx').on(t.partnerId, t.id)],
);

/** Every status report of a partner, kept as sent (idempotent on the partner's event id). */
export const shipmentEvents = pgTable(
  'shipment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shipmentId: bigint('shipment_id', { mode: 'number' })
      .notNull()
      .references(() => shipments.id),
    partnerId: integer('partner_id').notNull(),
    eventId: text('event_id').notNull(),
    status: text('status', { enum: shipmentStatuses }).notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    reason: text('reason'),
    receivedAt: timestamptz('received_at').notNull(),
    /** Whether this report moved the shipment's status (false: late, repeated or after a final status). */
    applied: boolean('applied').notNull(),
  },
  (t) => [uniqueIndex('shipment_events_partner_event_uq').on(t.partnerId, t.eventId), index('shipment_events_shipment_idx').on(t.shipmentId, t.id)],
);

export const webhookKinds = ['shipment_requested', 'result_ready', 'dossier_cancelled'] as const;

/**
 * Outbound webhooks to partners: one row per event and partner (idempotency key unique), sent by the workers
 * with retries and exponential backoff, dead after the last attempt, replayable by an administrator.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnerId: integer('partner_id')
      .notNull()
      .references(() => postalPartners.id),
    kind: text('kind', { enum: webhookKinds }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamptz('next_attempt_at'),
    deliveredAt: timestamptz('delivered_at'),
    replays: integer('replays').notNull().default(0),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [index('webhook_deliveries_status_idx').on(t.status, t.partnerId), index('webhook_deliveries_partner_idx').on(t.partnerId, t.id)],
);

/** The delivery log: one row per attempt of a webhook. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    at: timestamptz('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
