import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { controlSlipLines, dossierPauses, procedureSteps } from '../../db/schema/index.js';
import { timelinessOf } from '../../domain/dossier/timeliness.js';
import { isWorkingDay, localDateOf } from '../../domain/calendar/index.js';
import { staffAccounts } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import type { Principal } from '../auth/tokens.js';
import { applyAct } from './apply-act.js';
import { stepProgress } from './clock.js';
import type { handoffBody } from './schemas.js';

/**
 * Hands a dossier to the next unit, role or person (DOMAIN.md §4: desk → agency → specialist → head → desk).
 * The step just finished gets its control-slip line (Phiếu kiểm soát, Mẫu 05): giver, receiver, time, and its
 * timeliness against that step's own allotted working time (pauses for supplements excluded).
 */
export async function handOff(deps: Deps, code: string, body: z.infer<typeof handoffBody>, who: Principal, requestId?: string) {
  return applyAct(
    deps,
    code,
    'handoff',
    who,
    async (d, at) => {
      const steps = await deps.db
        .select()
        .from(procedureSteps)
        .where(eq(procedureSteps.procedureCode, d.procedureCode))
        .orderBy(procedureSteps.stepOrder);
      const step = steps.find((s) => s.stepOrder === d.currentStep);
      const next = steps.find((s) => s.stepOrder > d.currentStep);
      const pauses = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id));
      const calendar = await deps.calendar.forDesk(d.deskCode);
      const allotted = step?.minutes ?? 0;
      const progress = stepProgress(calendar, d.stepStartedAt.getTime(), at.getTime(), allotted, pauses);
      const workingDay = (ms: number) => isWorkingDay(calendar, localDateOf(ms));
      const timeliness = progress.usedMinutes > allotted ? 'late' : timelinessOf(at.getTime(), progress.dueAt, workingDay);
      const receiverAgency = body.toAgencyCode ?? d.authorityAgencyCode;
      // The receiver must exist: a typo must not move the dossier out of everyone's reach.
      if (body.toAgencyCode && !(await deps.reference.holderExists(body.toAgencyCode, localDateOf(at.getTime())))) {
        throw new DomainError('VALIDATION_FAILED', `body.toAgencyCode: no agency or desk ${body.toAgencyCode}`);
      }
      if (body.toUsername && !(await accountExists(deps, body.toUsername))) {
        throw new DomainError('VALIDATION_FAILED', `body.toUsername: no staff account ${body.toUsername}`);
      }
      const line = {
        stepOrder: d.currentStep,
        stepName: step?.name ?? `Bước ${d.currentStep}`,
        giverAgencyCode: d.holderAgencyCode,
        giverUsername: who.username,
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
    { expectedVersion: body.expectedVersion, requestId },
  );
}


async function accountExists(deps: Deps, username: string) {
  const [row] = await deps.db.select({ id: staffAccounts.id }).from(staffAccounts).where(eq(staffAccounts.username, username));
  return Boolean(row);
}
