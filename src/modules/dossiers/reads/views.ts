import { z } from 'zod';
import { dossierActs } from '../../../domain/dossier/state-machine.js';

const instant = z.date();
export const dossierView = z.object({
  code: z.string(),
  status: z.string(),
  procedureCode: z.string(),
  fieldCode: z.string(),
  deskCode: z.string(),
  unitCode: z.string(),
  channel: z.string(),
  applicant: z.object({
    kind: z.enum(['person', 'organisation']),
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    citizenIdMasked: z.string().nullable(),
    taxCode: z.string().nullable(),
    representative: z.string().nullable(),
  }),
  documents: z.array(z.object({ name: z.string(), original: z.boolean(), digitised: z.boolean() })),
  resultDelivery: z.object({ method: z.string(), address: z.string().optional(), deskCode: z.string().optional() }),
  authority: z.string(),
  authorityAgencyCode: z.string(),
  /** The unit whose authority decides (the city, or the commune named at intake), when recorded. */
  authorityUnitCode: z.string().nullable(),
  delegationNumber: z.string().nullable(),
  currentStep: z.number().int(),
  holder: z.object({ agencyCode: z.string(), role: z.string().nullable(), username: z.string().nullable() }),
  receivedAt: instant,
  effectiveStart: instant,
  processingTime: z.object({ amount: z.number().int(), unit: z.string() }),
  budgetMinutes: z.number().int(),
  dueAt: instant.nullable(),
  originalDueAt: instant,
  /** The appointment promised after an apology (Mẫu 04), if one was issued. */
  newDueAt: instant.nullable(),
  flags: z.object({
    dueSoonAt: instant.nullable(),
    overdueAt: instant.nullable(),
    overdueWithoutApologyAt: instant.nullable(),
    lateAfterApologyAt: instant.nullable(),
  }),
  provisional: z.boolean(),
  supplementRequests: z.number().int(),
  endedAt: instant.nullable(),
  timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  resultReference: z.string().nullable(),
  returnedAt: instant.nullable(),
  version: z.number().int(),
});

/** The paper dossier's or result's own trail (sent, received), apart from the electronic copy. */
export const paperTransferView = z.object({
  id: z.number().int(),
  kind: z.enum(['dossier', 'result']),
  fromCode: z.string(),
  toCode: z.string(),
  method: z.enum(['post', 'hand']),
  reference: z.string().nullable(),
  status: z.enum(['sent', 'received']),
  sentAt: instant,
  sentBy: z.string(),
  receivedAt: instant.nullable(),
  receivedBy: z.string().nullable(),
  note: z.string().nullable(),
});

export const dossierDetail = dossierView.extend({
  /** Where the paper dossier and the paper result went, by post or by hand, and when they arrived. */
  paperTransfers: z.array(paperTransferView),
  history: z.array(
    z.object({ type: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), actor: z.string(), at: instant, data: z.unknown() }),
  ),
  pauses: z.array(z.object({ from: instant, to: instant.nullable(), reason: z.string(), items: z.array(z.string()), requestedBy: z.string() })),
  /** The acts the caller may do now (allowed in this state and granted to them; src/domain/dossier/who-may-act.ts). */
  yourActs: z.array(z.enum(dossierActs)),
  /** Received by post: the partner, its clerk and post office who took the dossier in (null for other channels). */
  postalSubmission: z
    .object({ partnerCode: z.string(), clerkId: z.string(), clerkName: z.string(), postOfficeCode: z.string(), submittedAt: instant })
    .nullable(),
});

export const dossierPage = z.object({ items: z.array(dossierView), nextCursor: z.string().nullable() });

export const intakeResponse = z.object({
  outcome: z.enum(['received', 'not_received', 'refused']),
  dossierCode: z.string().optional(),
  reference: z.string().optional(),
  form: z.record(z.string(), z.unknown()),
});

export const controlSlipView = z.object({
  dossierCode: z.string(),
  /** The paper's trail beside the electronic one: each transfer sent and received, with its own times. */
  paperTransfers: z.array(paperTransferView),
  lines: z.array(
    z.object({
      /** handoff (to another step, on or back), reassignment (within the step), transfer (to another desk), completion (the result to the desk), return (the result to the applicant) */
      kind: z.enum(['handoff', 'reassignment', 'transfer', 'completion', 'return']),
      stepOrder: z.number().int(),
      stepName: z.string(),
      giverAgencyCode: z.string(),
      giverUsername: z.string(),
      receiverAgencyCode: z.string(),
      receiverRole: z.string().nullable(),
      receiverUsername: z.string().nullable(),
      at: instant,
      stepStartedAt: instant,
      stepDueAt: instant,
      stepMinutesUsed: z.number().int(),
      stepMinutesAllotted: z.number().int(),
      timeliness: z.enum(['early', 'on_time', 'late']),
      note: z.string().nullable(),
    }),
  ),
});

export const auditView = z.object({
  items: z.array(z.object({ at: instant, actor: z.string(), action: z.string(), requestId: z.string().nullable() })),
});

export const publicLookup = z.object({
  code: z.string(),
  status: z.string(),
  statusText: z.string(),
  applicantName: z.string(),
  procedureCode: z.string(),
  receivedAt: instant,
  appointment: instant.nullable(),
  clockPaused: z.boolean(),
  collect: z.string(),
});
