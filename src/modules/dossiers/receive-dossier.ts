import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import {
  desks,
  dossierEvents,
  dossiers,
  dossierSequences,
  fields,
  intakeDecisions,
  postalCoverage,
  procedureSteps,
  type ProcedureRow,
} from '../../db/schema/index.js';
import { checkCompetence, missingDocuments } from '../../domain/dossier/competence.js';
import { formatDossierCode } from '../../domain/dossier/dossier-code.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { localDateOf } from '../../lib/local-date.js';
import { foldVietnamese } from '../../lib/text.js';
import { findProcedure } from '../catalog/queries.js';
import { projectClock } from './clock.js';
import { receiptForm, refusalForm, supplementGuidanceForm } from './forms.js';
import { hashCitizenId, storedApplicant } from './personal-data.js';
import { resolveAuthority } from './resolve-authority.js';
import type { IntakeBody } from './schemas.js';

export type IntakeResult =
  | { outcome: 'received'; dossierCode: string; form: ReturnType<typeof receiptForm> }
  | { outcome: 'not_received' | 'refused'; reference: string; form: Record<string, unknown> };

/**
 * Intake at a desk, online or by post (DOMAIN.md §4; Thông tư 01/2018/TT-VPCP forms). Three outcomes, each
 * recorded with its form: not within the desk's competence → refused (Mẫu 03); documents missing → not
 * received, with every missing item listed once (Mẫu 02); otherwise received (Mẫu 01) with a dossier code, the
 * competent authority resolved on the day, the appointment from the deadline engine, routed to the first step.
 */
export interface IntakeOptions {
  /** Called inside the intake's transaction with its result (the idempotency record goes in the same commit). */
  remember?: (tx: Tx, result: IntakeResult) => Promise<void>;
}

export async function receiveDossier(deps: Deps, input: IntakeBody, actor: string, opts: IntakeOptions = {}): Promise<IntakeResult> {
  const now = deps.now();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime() + 60_000) {
    throw new DomainError('VALIDATION_FAILED', 'body.receivedAt: must not be in the future');
  }
  const day = localDateOf(receivedAt);
  const procedure = await findProcedure(deps.db, input.procedureCode);
  const desk = await deskOn(deps, input.deskCode, day);
  const [field] = await deps.db.select().from(fields).where(eq(fields.code, procedure.fieldCode));

  const competence = checkCompetence({
    procedure: { ...procedure, fieldName: field?.name ?? procedure.fieldCode },
    desk,
    channel: input.channel,
    postalCovered: input.channel === 'postal' ? await postalCovers(deps, desk.unitCode, procedure.fieldCode) : false,
  });
  const applicant = storedApplicant(input.applicant);
  if (!competence.ok) {
    const form = refusalForm({ procedure, desk, applicant, reason: competence.reason, at: receivedAt, officer: actor });
    return recordIntakeDecision(deps, { outcome: 'refused', input, procedure, desk, applicant, form, at: receivedAt, actor }, opts);
  }
  const missing = missingDocuments(procedure.documents, input.documents, foldVietnamese);
  if (missing.length > 0) {
    const form = supplementGuidanceForm({ procedure, desk, applicant, missing, at: receivedAt, officer: actor });
    return recordIntakeDecision(deps, { outcome: 'not_received', input, procedure, desk, applicant, form, at: receivedAt, actor }, opts);
  }

  const authority = await resolveAuthority(deps.db, procedure, desk, day);
  const calendar = await deps.calendar.forDesk(desk.code);
  const clock = projectClock(calendar, {
    receivedAt: receivedAt.getTime(),
    amount: procedure.timeAmount,
    unit: procedure.timeUnit,
    cutoff: procedure.cutoffHour,
    policy: procedure.supplementPolicy,
    pauses: [],
  });
  const dueAt = clock.dueAt;
  if (dueAt === null) throw new Error('a new dossier has no pause, so it has a due instant');
  const [firstStep] = await deps.db
    .select()
    .from(procedureSteps)
    .where(eq(procedureSteps.procedureCode, procedure.code))
    .orderBy(procedureSteps.stepOrder)
    .limit(1);

  return deps.db.transaction(async (tx) => {
    const code = await nextDossierCode(tx, desk.code, day);
    const [row] = await tx
      .insert(dossiers)
      .values({
        code,
        procedureCode: procedure.code,
        fieldCode: procedure.fieldCode,
        deskCode: desk.code,
        unitCode: desk.unitCode,
        channel: input.channel,
        status: 'received',
        applicant,
        citizenIdHash:
          input.applicant.kind === 'person' ? hashCitizenId(input.applicant.citizenId, deps.config.PERSONAL_DATA_KEY) : null,
        phoneLast4: input.applicant.phone.slice(-4),
        documents: input.documents.map((d) => ({ name: d.name, original: d.original, digitised: d.digitised })),
        resultDelivery: input.resultDelivery,
        authority: authority.authority,
        authorityAgencyCode: authority.agencyCode,
        delegationNumber: authority.decisionNumber,
        currentStep: firstStep?.stepOrder ?? 1,
        holderAgencyCode: desk.code,
        holderRole: 'desk_officer',
        holderUsername: actor,
        stepStartedAt: new Date(clock.effectiveStart),
        receivedAt,
        effectiveStart: new Date(clock.effectiveStart),
        timeAmount: procedure.timeAmount,
        timeUnit: procedure.timeUnit,
        cutoffHour: procedure.cutoffHour,
        supplementPolicy: procedure.supplementPolicy,
        budgetMinutes: clock.budgetMinutes,
        dueAt: new Date(dueAt),
        originalDueAt: new Date(dueAt),
        provisional: clock.provisional,
        createdBy: actor,
      })
      .returning();
    if (!row) throw new Error('dossier insert returned nothing');
    const form = receiptForm({ dossier: row, procedure, desk, ratingSecret: deps.config.PERSONAL_DATA_KEY });
    await tx.insert(dossierEvents).values({
      dossierId: row.id,
      type: 'received',
      fromStatus: null,
      toStatus: 'received',
      actor,
      at: receivedAt,
      data: {
        channel: input.channel,
        authority,
        dueAt: new Date(dueAt).toISOString(),
        explanation: clock.explanation,
        note: input.note ?? null,
      },
    });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: row.id, code, event: 'received' });
    const result = { outcome: 'received' as const, dossierCode: code, form };
    await opts.remember?.(tx, result);
    return result;
  });
}

async function deskOn(deps: Deps, code: string, day: string) {
  const [desk] = await deps.db
    .select()
    .from(desks)
    .where(and(eq(desks.code, code), lte(desks.validFrom, day), or(isNull(desks.validTo), gt(desks.validTo, day))));
  if (!desk) throw new DomainError('DESK_NOT_FOUND', `Desk ${code} does not exist on ${day}`);
  return desk;
}

/** The postal operator covers a desk for a field when a field row says so, else the desk's all-fields row. */
async function postalCovers(deps: Deps, unitCode: string, fieldCode: string): Promise<boolean> {
  const rows = await deps.db.select().from(postalCoverage).where(eq(postalCoverage.deskUnitCode, unitCode));
  const specific = rows.find((r) => r.fieldCode === fieldCode);
  return (specific ?? rows.find((r) => r.fieldCode === null))?.covered ?? false;
}

/** Sequence per desk per local day, allocated atomically (one row lock per desk-day). */
async function nextDossierCode(tx: Tx, deskCode: string, day: string): Promise<string> {
  const [row] = await tx
    .insert(dossierSequences)
    .values({ deskCode, day, last: 1 })
    .onConflictDoUpdate({ target: [dossierSequences.deskCode, dossierSequences.day], set: { last: sql`${dossierSequences.last} + 1` } })
    .returning({ last: dossierSequences.last });
  return formatDossierCode(deskCode, day, row!.last);
}

async function recordIntakeDecision(
  deps: Deps,
  d: {
    outcome: 'not_received' | 'refused';
    input: IntakeBody;
    procedure: ProcedureRow;
    desk: { code: string };
    applicant: ReturnType<typeof storedApplicant>;
    form: Record<string, unknown>;
    at: Date;
    actor: string;
  },
  opts: IntakeOptions,
): Promise<IntakeResult> {
  return deps.db.transaction(async (tx) => {
    const day = localDateOf(d.at);
    const [seq] = await tx
      .insert(dossierSequences)
      .values({ deskCode: `${d.desk.code}:${d.outcome}`, day, last: 1 })
      .onConflictDoUpdate({ target: [dossierSequences.deskCode, dossierSequences.day], set: { last: sql`${dossierSequences.last} + 1` } })
      .returning({ last: dossierSequences.last });
    const prefix = d.outcome === 'refused' ? 'TC' : 'BS';
    const reference = `${prefix}-${formatDossierCode(d.desk.code, day, seq!.last)}`;
    const form = { ...d.form, reference };
    await tx.insert(intakeDecisions).values({
      reference,
      outcome: d.outcome,
      procedureCode: d.procedure.code,
      deskCode: d.desk.code,
      channel: d.input.channel,
      applicant: d.applicant,
      form,
      decidedAt: d.at,
      decidedBy: d.actor,
    });
    const result = { outcome: d.outcome, reference, form };
    await opts.remember?.(tx, result);
    return result;
  });
}
