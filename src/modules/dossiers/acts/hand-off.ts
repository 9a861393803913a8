import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { controlSlipLines, dossierPauses } from '../../../db/schema/index.js';
import { timelinessOf } from '../../../domain/dossier/timeliness.js';
import { isWorkingDay, localDateOf } from '../../../domain/calendar/index.js';
import { DomainError } from '../../../lib/errors.js';
import { actorName, type StaffActor } from '../../../domain/actor.js';
import { applyAct, type DossierRow } from './apply-act.js';
import { couldHold } from '../../../domain/dossier/who-may-act.js';
import { unitOfDesk } from '../../../domain/dossier/desk-code.js';
import { findAccountWithRoles } from '../../auth/index.js';
import { stepProgress } from '../clock/dossier-clock.js';
import type { handoffBody } from '../http/schemas.js';

/**
 * Hands a dossier to the next unit, role or person (DOMAIN.md §4: desk → agency → specialist → head → desk).
 * The step just finished gets its control-slip line (Phiếu kiểm soát, Mẫu 05): giver, receiver, time, and its
 * timeliness against that step's own allotted working time (pauses for supplements excluded).
 */
export async function handOff(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof handoffBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'handoff', expectedVersion: body.expectedVersion },
    async (d, at) => {
      // The process from the reference cache, as applyAct read it to judge who may act (ordered by step).
      const { steps } = await ctx.reference.procedure(d.procedureCode);
      const step = steps.find((s) => s.stepOrder === d.currentStep);
      const next = steps.find((s) => s.stepOrder > d.currentStep);
      const pauses = await ctx.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id));
      const calendar = await ctx.calendar.forDesk(d.deskCode);
      const allotted = step?.minutes ?? 0;
      const progress = stepProgress(calendar, d.stepStartedAt.getTime(), at.getTime(), allotted, pauses);
      const workingDay = (ms: number) => isWorkingDay(calendar, localDateOf(ms));
      const timeliness = progress.usedMinutes > allotted ? 'late' : timelinessOf(at.getTime(), progress.dueAt, workingDay);
      const day = localDateOf(at.getTime());
      // The receiver must exist: a typo must not move the dossier out of everyone's reach.
      if (body.toAgencyCode && !(await ctx.reference.holderExists(body.toAgencyCode, day))) {
        throw new DomainError('VALIDATION_FAILED', `body.toAgencyCode: no agency or desk ${body.toAgencyCode}`);
      }
      if (body.toAgencyCode) await mustReach(ctx, d, body.toAgencyCode, day);
      const receiverAgency = body.toUsername
        ? await personsAgency(ctx, d, body.toUsername, body.toAgencyCode, body.toRole ?? null, day)
        : (body.toAgencyCode ?? d.authorityAgencyCode);
      const line = {
        stepOrder: d.currentStep,
        stepName: step?.name ?? `Bước ${d.currentStep}`,
        giverAgencyCode: d.holderAgencyCode,
        giverUsername: actorName(ctx.actor),
        receiverAgencyCode: receiverAgency,
        receiverRole: body.toRole ?? null,
        receiverUsername: body.toUsername ?? null,
        at,
        stepStartedAt: d.stepStartedAt,
        stepDueAt: new Date(progress.dueAt),
        stepMinutesUsed: progress.usedMinutes,
        stepMinutesAllotted: allotted,
        timeliness,
        note: body.note ?? null,
      } as const;
      return {
        changes: {
          currentStep: next?.stepOrder ?? d.currentStep,
          holderAgencyCode: receiverAgency,
          holderRole: body.toRole ?? null,
          holderUsername: body.toUsername ?? null,
          stepStartedAt: at,
        },
        eventData: { ...line, at: at.toISOString(), stepDueAt: line.stepDueAt.toISOString(), stepStartedAt: d.stepStartedAt.toISOString() },
        write: async (tx, dossier) => {
          const [row] = await tx.insert(controlSlipLines).values({ ...line, dossierId: dossier.id }).returning();
          return row;
        },
      };
    },
  );
}

/**
 * A handoff to a person: an active account that could act on the step it receives (who-may-act.ts), so the dossier
 * is never handed to someone who cannot see or act on it, nor by a desk officer to themselves at an agency. Where
 * the body names no agency, the person's own: the agency holding the dossier now (a colleague), the deciding one,
 * then any agency or desk where they hold a role.
 */
async function personsAgency(ctx: Context<'db' | 'reference'>, d: DossierRow, username: string, toAgencyCode: string | undefined, role: string | null, day: string) {
  const named = await findAccountWithRoles(ctx.db, username, day);
  if (!named || named.account.disabledAt) throw new DomainError('VALIDATION_FAILED', `body.toUsername: no active staff account ${username}`);
  const person: StaffActor = { kind: 'staff', accountId: named.account.id, username, roles: named.roles };
  const desks = await Promise.all(
    named.roles.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'unit').map((r) => ctx.reference.deskOfUnit(r.scopeCode, day)),
  );
  const candidates = toAgencyCode
    ? [toAgencyCode]
    : [d.holderAgencyCode, d.authorityAgencyCode, ...named.roles.filter((r) => r.scopeKind === 'agency').map((r) => r.scopeCode), ...desks.flatMap((k) => (k ? [k.code] : []))];
  let agency: string | undefined;
  for (const code of candidates) {
    // A role's scope may name an agency that no longer exists (closed by a restructuring): not a place to send to.
    if (couldHold(person, d, code, role) && (code === toAgencyCode || (await ctx.reference.holderExists(code, day)))) {
      agency = code;
      break;
    }
  }
  if (!agency) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `body.toUsername: ${username} holds no role ${role ? `${role} ` : ''}at ${toAgencyCode ?? 'an agency or desk this dossier can go to'}`,
    );
  }
  return agency;
}

/**
 * An agency a dossier of a district or commune may go to: its deciding agency, an agency of the province (a
 * department consulted), or one of its own district (the district's offices, its communes). One of another district
 * could neither see it through its desk nor hand it back: the dossier would be out of its desk's reach. A dossier
 * of the province's centre may go to any agency; a desk (a location-independent transfer) is always a receiver.
 */
async function mustReach(ctx: Context<'reference' | 'config'>, d: DossierRow, agencyCode: string, day: string) {
  if (agencyCode === d.authorityAgencyCode || unitOfDesk(agencyCode) !== null || d.unitCode === ctx.config.PROVINCE_CODE) return;
  const agency = await ctx.reference.agency(agencyCode, day);
  if (!agency || agency.unitCode === ctx.config.PROVINCE_CODE) return;
  const [theirs, ours] = await Promise.all([ctx.reference.districtOf(agency.unitCode, day), ctx.reference.districtOf(d.unitCode, day)]);
  if (theirs !== ours) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `body.toAgencyCode: ${agencyCode} serves district ${theirs}; a dossier of unit ${d.unitCode} goes to agencies of district ${ours} or of the province`,
    );
  }
}
