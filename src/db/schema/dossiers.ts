import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamptz,
  uniqueIndex,
} from './pg.js';
import { dossierStatuses } from '../../domain/dossier/state-machine.js';
import { isOpenSql } from '../open-statuses.js';
import { procedures } from './catalog.js';

export const channels = ['desk', 'online', 'postal'] as const;
export type Channel = (typeof channels)[number];
const statuses = dossierStatuses;
const timeliness = ['early', 'on_time', 'late'] as const;

/** Applicant as stored: personal data minimised (the citizen ID is never stored in clear; DOMAIN.md §11). */
export interface StoredApplicant {
  kind: 'person' | 'organisation';
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  /** Masked citizen ID (last 3 digits) for display; the number itself is only kept as a keyed hash. */
  citizenIdMasked: string | null;
  taxCode: string | null;
  representative: string | null;
}

/**
 * A received dossier. Its clock is kept as a budget and a ledger of pauses (dossier_pauses), not only a due
 * instant: `due_at` is derived (deadline engine) and recomputed when a pause ends or the calendar changes.
 */
export const dossiers = pgTable(
  'dossiers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    code: text('code').notNull().unique(),
    procedureCode: text('procedure_code').notNull(),
    /** The procedure version it was received under (in force at its receipt): its process, time and documents. */
    procedureId: integer('procedure_id')
      .notNull()
      .references(() => procedures.id),
    fieldCode: text('field_code').notNull(),
    deskCode: text('desk_code').notNull(),
    /** The unit the dossier was received under (it keeps it across later restructurings). */
    unitCode: text('unit_code').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    status: text('status', { enum: statuses }).notNull(),
    applicant: jsonb('applicant').$type<StoredApplicant>().notNull(),
    /** HMAC-SHA256 of the citizen ID under the server's key: matchable, not readable. */
    citizenIdHash: text('citizen_id_hash'),
    /** Last 4 digits of the applicant's phone, for the public lookup. */
    phoneLast4: text('phone_last4'),
    documents: jsonb('documents').$type<{ name: string; original: boolean; digitised: boolean }[]>().notNull(),
    resultDelivery: jsonb('result_delivery').$type<{ method: 'desk' | 'post' | 'electronic'; address?: string; deskCode?: string }>().notNull(),
    /** Who decides (DOMAIN.md §8): the authority, the agency acting, and the decision relied on if delegated. */
    authority: text('authority').notNull(),
    authorityAgencyCode: text('authority_agency_code').notNull(),
    /**
     * The unit whose competent authority decides: the city for a city-level procedure, the commune named at intake
     * for a commune-level one (a location-independent dossier received at another commune's centre), else the
     * receiving unit's. Null for dossiers written before it was recorded (read as the receiving unit).
     */
    authorityUnitCode: text('authority_unit_code'),
    delegationNumber: text('delegation_number'),
    /** Where the dossier is now: the step of the procedure's process and the agency / role / person holding it. */
    currentStep: integer('current_step').notNull(),
    holderAgencyCode: text('holder_agency_code').notNull(),
    holderRole: text('holder_role'),
    holderUsername: text('holder_username'),
    stepStartedAt: timestamptz('step_started_at').notNull(),
    // The clock.
    receivedAt: timestamptz('received_at').notNull(),
    effectiveStart: timestamptz('effective_start').notNull(),
    timeAmount: integer('time_amount').notNull(),
    timeUnit: text('time_unit').notNull(),
    cutoffHour: text('cutoff_hour'),
    supplementPolicy: text('supplement_policy', { enum: ['pause', 'restart'] }).notNull(),
    budgetMinutes: integer('budget_minutes').notNull(),
    /** Null while the clock is paused (supplement requested). */
    dueAt: timestamptz('due_at'),
    /** The appointment first given (the receipt's); lateness is judged against the appointment in force. */
    originalDueAt: timestamptz('original_due_at').notNull(),
    provisional: boolean('provisional').notNull(),
    supplementRequests: integer('supplement_requests').notNull().default(0),
    endedAt: timestamptz('ended_at'),
    timeliness: text('timeliness', { enum: timeliness }),
    resultReference: text('result_reference'),
    returnedAt: timestamptz('returned_at'),
    ratingTokenHash: text('rating_token_hash'),
    /** The appointment promised after an apology (Mẫu 04); lateness is still judged against due_at. */
    newDueAt: timestamptz('new_due_at'),
    // The SLA flags (due soon, overdue, …) are not columns: each is the dossier's event of that type, written once
    // by the sweep (dossier_events_sla_flag_uq; src/modules/sla/flags.ts).
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('dossiers_desk_received_idx').on(t.deskCode, t.receivedAt, t.id),
    index('dossiers_holder_idx').on(t.holderAgencyCode, t.status),
    index('dossiers_authority_idx').on(t.authorityAgencyCode, t.receivedAt, t.id),
    index('dossiers_open_due_idx').on(t.dueAt).where(isOpenSql(t.status)),
    index('dossiers_citizen_idx').on(t.citizenIdHash),
    // Dossiers still open at the end of a past period (indicator 2.1 judges them then).
    index('dossiers_ended_idx').on(t.endedAt),
    // A dossier's life [received, ended) as a range: "open at instant T" is `@> T`, found by GiST (quality index 2.1).
    index('dossiers_life_idx').using('gist', sql`tstzrange(${t.receivedAt}, ${t.endedAt}, '[)')`),
    check('dossiers_budget_ck', sql`${t.budgetMinutes} >= 0`),
  ],
);

/** Sequence of dossier codes per desk per local day. */
export const dossierSequences = pgTable(
  'dossier_sequences',
  {
    deskCode: text('desk_code').notNull(),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deskCode, t.day] })],
);

/** The pause ledger: supplement requested (from) → supplement received (to). */
export const dossierPauses = pgTable(
  'dossier_pauses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    from: timestamptz('paused_at').notNull(),
    to: timestamptz('resumed_at'),
    reason: text('reason').notNull(),
    items: jsonb('items').$type<string[]>().notNull(),
    requestedBy: text('requested_by').notNull(),
    /** The appointment in force when the clock stopped (a kept appointment resumes from it: kept-appointment.ts). */
    dueBefore: timestamptz('due_before'),
  },
  (t) => [
    index('dossier_pauses_dossier_idx').on(t.dossierId),
    // At most one open pause per dossier.
    uniqueIndex('dossier_pauses_open_uq').on(t.dossierId).where(sql`${t.to} is null`),
  ],
);

/** Every act on a dossier: its history, and the audit trail of changes. */
export const dossierEvents = pgTable(
  'dossier_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actor: text('actor').notNull(),
    at: timestamptz('at').notNull(),
    data: jsonb('data').notNull().default({}),
    /** When the quality-index counters took this event in (null: not yet); each event is counted once. */
    countedAt: timestamptz('counted_at'),
  },
  (t) => [
    index('dossier_events_dossier_idx').on(t.dossierId, t.id),
    index('dossier_events_uncounted_idx').on(t.id).where(sql`${t.countedAt} is null`),
    // A restructuring's transfers (few): an event before one counts under the dossier's earlier desk and unit.
    index('dossier_events_transferred_idx').on(t.dossierId, t.id).where(sql`${t.type} = 'transferred'`),
    // An SLA flag is its event: at most one of each type per dossier, so the sweep sets each flag once and the
    // dossier's flags are found by this index (DOMAIN.md §6).
    uniqueIndex('dossier_events_sla_flag_uq')
      .on(t.dossierId, t.type)
      .where(sql`${t.type} in ('due_soon', 'overdue', 'overdue_without_apology', 'late_after_apology')`),
  ],
);

/**
 * Kinds of control-slip line: a handoff to another step of the process (on, or back), a reassignment within the
 * step, a transfer to another desk, the result handed to the desk (completion), the result handed to the applicant
 * (return).
 */
export const controlSlipLineKinds = ['handoff', 'reassignment', 'transfer', 'completion', 'return'] as const;
export type ControlSlipLineKind = (typeof controlSlipLineKinds)[number];

/**
 * The control slip (Phiếu kiểm soát quá trình giải quyết, Mẫu 05 of Thông tư 01/2018, Mẫu 06 of Thông tư 03/2025):
 * one line per handoff, completion (the result to the desk) and return (the result to the applicant).
 */
export const controlSlipLines = pgTable(
  'control_slip_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    kind: text('kind', { enum: controlSlipLineKinds }).notNull().default('handoff'),
    stepOrder: integer('step_order').notNull(),
    stepName: text('step_name').notNull(),
    giverAgencyCode: text('giver_agency_code').notNull(),
    giverUsername: text('giver_username').notNull(),
    receiverAgencyCode: text('receiver_agency_code').notNull(),
    receiverRole: text('receiver_role'),
    receiverUsername: text('receiver_username'),
    at: timestamptz('at').notNull(),
    stepStartedAt: timestamptz('step_started_at').notNull(),
    stepDueAt: timestamptz('step_due_at').notNull(),
    stepMinutesUsed: integer('step_minutes_used').notNull(),
    stepMinutesAllotted: integer('step_minutes_allotted').notNull(),
    timeliness: text('timeliness', { enum: timeliness }).notNull(),
    note: text('note'),
  },
  (t) => [index('control_slip_dossier_idx').on(t.dossierId, t.id)],
);

/** Intakes that did not become dossiers: guidance to complete (Mẫu 02) or refusal (Mẫu 03). */
export const intakeDecisions = pgTable(
  'intake_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reference: text('reference').notNull().unique(),
    outcome: text('outcome', { enum: ['not_received', 'refused'] }).notNull(),
    procedureCode: text('procedure_code').notNull(),
    /** The procedure version in force when it was decided. */
    procedureId: integer('procedure_id')
      .notNull()
      .references(() => procedures.id),
    deskCode: text('desk_code').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    applicant: jsonb('applicant').$type<StoredApplicant>().notNull(),
    form: jsonb('form').notNull(),
    decidedAt: timestamptz('decided_at').notNull(),
    decidedBy: text('decided_by').notNull(),
  },
  (t) => [index('intake_decisions_desk_idx').on(t.deskCode, t.decidedAt)],
);

/** Idempotency keys of POST /dossiers: same key and body → the first response; other body → 422. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code').notNull(),
  response: jsonb('response').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** Who read or changed which dossier (DOMAIN.md §11). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamptz('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    dossierCode: text('dossier_code'),
    requestId: text('request_id'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_dossier_idx').on(t.dossierCode, t.at)],
);

/** The applicant's satisfaction rating after the result is returned (one per dossier; token from the receipt). */
export const ratings = pgTable('ratings', {
  dossierId: bigint('dossier_id', { mode: 'number' })
    .primaryKey()
    .references(() => dossiers.id),
  score: text('score', { enum: ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'] }).notNull(),
  comment: text('comment'),
  ratedAt: timestamptz('rated_at').notNull(),
});

/**
 * The apology and new appointment (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04): drafted by the sweep when
 * the dossier becomes due soon, issued once by the head of the agency responsible (DOMAIN.md §6).
 */
export const apologies = pgTable('apologies', {
  dossierId: bigint('dossier_id', { mode: 'number' })
    .primaryKey()
    .references(() => dossiers.id),
  agencyCode: text('agency_code').notNull(),
  draftedAt: timestamptz('drafted_at').notNull(),
  proposedDueAt: timestamptz('proposed_due_at').notNull(),
  status: text('status', { enum: ['draft', 'issued'] }).notNull(),
  reason: text('reason'),
  previousDueAt: timestamptz('previous_due_at'),
  newDueAt: timestamptz('new_due_at'),
  issuedAt: timestamptz('issued_at'),
  issuedBy: text('issued_by'),
  /** Issued later than one working day before the appointment (accepted, flagged). */
  lateApology: boolean('late_apology'),
});

/**
 * Messages to applicants (receipt, supplement request, apology, result ready): one per dossier, kind and
 * channel, so a job delivered twice sends once. Non-urgent ones wait for working hours (`notBefore`).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    kind: text('kind', { enum: ['receipt', 'supplement_request', 'apology', 'result_ready'] }).notNull(),
    channel: text('channel', { enum: ['sms', 'email', 'zalo'] }).notNull(),
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    urgent: boolean('urgent').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull(),
    notBefore: timestamptz('not_before').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamptz('sent_at'),
    /**
     * Set just before the gateway is called, cleared when its answer is recorded: found set by the next attempt,
     * it says an earlier attempt was cut off mid-send (worker killed) and may have reached the gateway.
     */
    sendingSince: timestamptz('sending_since'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_once_uq').on(t.dossierId, t.kind, t.channel), index('notifications_status_idx').on(t.status, t.notBefore)],
);
