import { sql } from 'drizzle-orm';
import type { Context } from '../../../context.js';
import type { Deps } from '../../../deps.js';
import { actorName } from '../../../domain/actor.js';
import { intakeOnce } from './idempotency.js';
import type { Tx } from '../../../db/client.js';
import { dossierSequences, intakeDecisions, type ProcedureRow } from '../../../db/schema/index.js';
import { CalendarChanged, type ReceivedDossierValues } from './insert-received-dossier.js';
import { checkCompetence, missingDocuments } from '../../../domain/dossier/competence.js';
import { formatDossierCode } from '../../../domain/dossier/dossier-code.js';
import { formsCircularFor } from '../../../domain/dossier/forms-circular.js';
import { DomainError } from '../../../lib/errors.js';
import { localDateOf } from '../../../lib/local-date.js';
import { foldVietnameseKept } from '../../../lib/text.js';
import { projectClock } from '../clock/dossier-clock.js';
import { receiptForm, refusalForm, supplementGuidanceForm } from '../reads/forms.js';
import { hashCitizenId, storedApplicant } from './personal-data.js';
import { resolveAuthority } from '../access/resolve-authority.js';
import { placeOfDecision, returnDeskOf } from './place-of-decision.js';
import type { IntakeBody } from '../http/schemas.js';
import { districtLevelAbolished } from './district-level-abolished.js';

export type IntakeResult =
  | { outcome: 'received'; dossierCode: string; form: ReturnType<typeof receiptForm> }
  | { outcome: 'not_received' | 'refused'; reference: string; form: Record<string, unknown> };

/**
 * Intake at a desk, online or by post (DOMAIN.md §4; the forms of the circular in force at receipt). Three outcomes, each
 * recorded with its form: not within the desk's competence → refused (Mẫu 03); documents missing → not
 * received, with every missing item listed once (Mẫu 02); otherwise received (Mẫu 01) with a dossier code, the
 * competent authority resolved on the day, the appointment from the deadline engine, routed to the first step.
 * The actor is the desk officer, or the postal partner submitting for the applicant.
 */
export interface IntakeOptions {
  /**
   * The caller's Idempotency-Key, already made unique per caller, with the request it came with: the same key and
   * request answer the first result again; the same key with another request is a 422. The key is recorded in the
   * intake's own commit, so of two requests racing on one key exactly one makes a dossier.
   */
  idempotency?: { key: string; request: unknown } | null;
  /** A row of the caller's that commits with the intake, whatever its outcome (the postal submission). */
  recordWith?: (tx: Tx, result: IntakeResult) => Promise<void>;
}

export type IntakeContext = Context<'db' | 'now' | 'config' | 'reference' | 'locationIndependentLists' | 'calendar' | 'staffNames' | 'intakeWriter'>;

/** The intake's answer: its HTTP status (201 received, 200 guidance or refusal) and whether it is a replay. */
export async function receiveDossier(ctx: IntakeContext, input: IntakeBody, opts: IntakeOptions = {}) {
  const key = opts.idempotency?.key ?? null;
  return intakeOnce<IntakeResult>(ctx.db, key, opts.idempotency?.request ?? input, (rememberKey) => {
    const records = [rememberKey, opts.recordWith].filter((r): r is NonNullable<typeof r> => r !== undefined);
    const remember = records.length
      ? async (tx: Tx, result: IntakeResult) => {
          for (const record of records) await record(tx, result);
        }
      : undefined;
    return receiveRecomputing(ctx, input, actorName(ctx.actor), { remember });
  });
}

/** What the intake writes besides the dossier, in the same transaction (the key and the caller's record). */
interface Remember {
  remember?: (tx: Tx, result: IntakeResult) => Promise<void>;
}

async function receiveRecomputing(deps: IntakeContext, input: IntakeBody, actor: string, opts: Remember): Promise<IntakeResult> {
  try {
    return await receiveOnce(deps, input, actor, opts);
  } catch (err) {
    if (!(err instanceof CalendarChanged)) throw err;
    // An administrator changed the calendar while this intake was computed: load it and compute again.
    await deps.calendar.refresh();
    return receiveOnce(deps, input, actor, opts);
  }
}

async function receiveOnce(deps: IntakeContext, input: IntakeBody, actor: string, opts: Remember): Promise<IntakeResult> {
  const now = deps.now();
  const given = input.receivedAt ? new Date(input.receivedAt) : now;
  if (given.getTime() > now.getTime() + 60_000) {
    throw new DomainError('VALIDATION_FAILED', 'body.receivedAt: must not be in the future');
  }
  const maxHours = deps.config.INTAKE_BACKDATE_MAX_HOURS;
  if (given.getTime() < now.getTime() - maxHours * 3_600_000) {
    throw new DomainError('VALIDATION_FAILED', `body.receivedAt: at most ${maxHours} hours before now (INTAKE_BACKDATE_MAX_HOURS)`);
  }
  // A client clock a little ahead is read as now: an intake never starts after the server's present.
  const receivedAt = given.getTime() > now.getTime() ? now : given;
  const day = localDateOf(receivedAt);
  const { procedure, fieldName, steps } = await deps.reference.procedureOn(input.procedureCode, day);
  const desk = await deps.reference.desk(input.deskCode, day);

  // The forms name the officer, not the account, and are those of the circular in force at receipt.
  const officer = await deps.staffNames.of(actor);
  const circular = formsCircularFor(receivedAt, deps.config.FORMS_TT03_2025_FROM);
  // Where the dossier is decided, and Nghị định 118/2025's list in force that day (place-of-decision.ts).
  const placement = await placeOfDecision(deps, procedure, desk, day, input.authorityUnitCode);
  const pilotDesks = await deps.reference.locationIndependentDesks(procedure.code);
  const competence = checkCompetence({
    procedure: { ...procedure, fieldName },
    desk,
    channel: input.channel,
    locationIndependentDesks: pilotDesks,
    postalCovered: input.channel === 'postal' ? await deps.reference.postalCovers(desk.unitCode, procedure.fieldCode) : false,
    districtLevelAbolished: await districtLevelAbolished(deps.reference, desk, day),
    ...(placement.anywhere ? { anywhere: placement.anywhere } : {}),
  });
  const applicant = storedApplicant(input.applicant);
  if (!competence.ok) {
    const form = { ...refusalForm({ procedure, desk, applicant, reason: competence.reason, at: receivedAt, officer, circular }), rule: refusalRule(competence.rule, placement) };
    return recordIntakeDecision(deps, { outcome: 'refused', input, procedure, desk, applicant, form, at: receivedAt, actor }, opts);
  }
  const place = placement.place;
  if (place === null) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `body.authorityUnitCode: procedure ${procedure.code} is decided by a commune; name the commune-level unit where the applicant resides or the subject is located`,
    );
  }
  const anywhere = placement.anywhere ? placement.anywhere.listed : procedure.locationIndependent && pilotDesks.has(desk.code);
  const returnDeskCode = await returnDeskOf(deps.reference, desk, input.resultDelivery.method === 'desk' ? input.resultDelivery.deskCode : undefined, day, anywhere);
  const missing = missingDocuments(procedure.documents, input.documents, foldVietnameseKept);
  if (missing.length > 0) {
    const form = supplementGuidanceForm({ procedure, desk, applicant, missing, at: receivedAt, officer, circular });
    return recordIntakeDecision(deps, { outcome: 'not_received', input, procedure, desk, applicant, form, at: receivedAt, actor }, opts);
  }

  // The calendar as last loaded: the insert itself checks that it is still current (one round trip less).
  const [authority, { calendar, revision }] = await Promise.all([
    resolveAuthority(deps.reference, procedure, place, day),
    deps.calendar.lastLoaded(desk.code),
  ]);
  const clock = projectClock(calendar, {
    receivedAt: receivedAt.getTime(),
    amount: procedure.timeAmount,
    unit: procedure.timeUnit,
    cutoff: procedure.cutoffHour,
    policy: procedure.supplementPolicy,
    pauses: [],
  }, { explain: 'start' }); // only the start rule is recorded; GET /procedures/{code}/due-date gives the rest
  const dueAt = clock.dueAt;
  if (dueAt === null) throw new Error('a new dossier has no pause, so it has a due instant');
  const firstStep = steps[0];
  const values: ReceivedDossierValues = {
    procedure_code: procedure.code,
    procedure_id: procedure.id,
    field_code: procedure.fieldCode,
    desk_code: desk.code,
    unit_code: desk.unitCode,
    channel: input.channel,
    applicant,
    citizen_id_hash: input.applicant.kind === 'person' ? hashCitizenId(input.applicant.citizenId, deps.config.PERSONAL_DATA_KEY) : null,
    phone_last4: input.applicant.phone.slice(-4),
    documents: input.documents.map((d) => ({ name: d.name, original: d.original, digitised: d.digitised })),
    result_delivery: input.resultDelivery.method === 'desk' ? { method: 'desk', ...(returnDeskCode !== desk.code ? { deskCode: returnDeskCode } : {}) } : input.resultDelivery,
    authority: authority.authority,
    authority_agency_code: authority.agencyCode,
    authority_unit_code: place.unitCode,
    delegation_number: authority.decisionNumber,
    current_step: firstStep?.stepOrder ?? 1,
    holder_agency_code: desk.code,
    holder_role: 'desk_officer',
    holder_username: actor,
    step_started_at: new Date(clock.effectiveStart),
    received_at: receivedAt,
    effective_start: new Date(clock.effectiveStart),
    time_amount: procedure.timeAmount,
    time_unit: procedure.timeUnit,
    cutoff_hour: procedure.cutoffHour,
    supplement_policy: procedure.supplementPolicy,
    budget_minutes: clock.budgetMinutes,
    due_at: new Date(dueAt),
    original_due_at: new Date(dueAt),
    provisional: clock.provisional,
    created_by: actor,
  };
  const returnDesk = returnDeskCode !== desk.code ? await deps.reference.desk(returnDeskCode, day) : undefined;
  const eventData = {
    channel: input.channel,
    authority,
    authorityUnitCode: place.unitCode,
    returnDeskCode,
    // The list relied on (Nghị định 118/2025), when the desk took in a procedure that is not its own.
    locationIndependentList: placement.anywhere && placement.anywhere.ownDesk?.code !== desk.code ? placement.listId : null,
    dueAt: new Date(dueAt).toISOString(),
    budgetMinutes: clock.budgetMinutes,
    startRule: clock.explanation.find((e) => e.kind === 'start'),
    note: input.note ?? null,
  };
  const receipt = (code: string) =>
    receiptForm({
      dossier: {
        code,
        applicant,
        documents: values.documents as { name: string; original: boolean; digitised: boolean }[],
        receivedAt,
        dueAt: values.due_at,
        originalDueAt: values.original_due_at,
        resultDelivery: values.result_delivery as { method: string; address?: string; deskCode?: string },
        createdBy: actor,
      },
      procedure,
      desk,
      returnDesk,
      ratingSecret: deps.config.PERSONAL_DATA_KEY,
      receivedByName: officer,
      circular,
    });
  const received = (code: string): IntakeResult => ({ outcome: 'received', dossierCode: code, form: receipt(code) });
  // With an idempotency key (or a postal submission), its record commits with the dossier.
  let remembered: IntakeResult | undefined;
  const { code } = await deps.intakeWriter.write({
    day,
    calendarRevision: revision,
    values,
    eventData,
    afterInsert: opts.remember
      ? async (tx, written) => {
          remembered = received(written.code);
          await opts.remember!(tx, remembered);
        }
      : undefined,
  });
  return remembered ?? received(code);
}

async function recordIntakeDecision(
  deps: Pick<Deps, 'db'>,
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
  opts: Remember,
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
      procedureId: d.procedure.id,
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

/** The rule a refusal applied, printed on the refusal form (Mẫu 03) besides its reason. */
function refusalRule(rule: string, placement: Awaited<ReturnType<typeof placeOfDecision>>) {
  if (rule !== 'location_independent_list' || !placement.anywhere) return { code: rule };
  const { list, ownDesk } = placement.anywhere;
  return { code: rule, basis: 'Nghị định 118/2025/NĐ-CP', listId: placement.listId, listValidFrom: list.validFrom, listBasis: list.basis, ownDeskCode: ownDesk?.code ?? null };
}
