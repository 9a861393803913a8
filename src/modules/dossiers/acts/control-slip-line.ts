import { eq } from 'drizzle-orm';
import type { Context } from '../../../context.js';
import { controlSlipLines, dossierPauses } from '../../../db/schema/index.js';
import type { ControlSlipLineKind } from '../../../db/schema/index.js';
import { actorName } from '../../../domain/actor.js';
import { isWorkingDay, localDateOf } from '../../../domain/calendar/index.js';
import { timelinessOf } from '../../../domain/dossier/timeliness.js';
import type { Tx } from '../../../db/client.js';
import { stepProgress } from '../clock/dossier-clock.js';
import type { DossierRow } from './apply-act.js';

export type SlipLine = Omit<typeof controlSlipLines.$inferInsert, 'id' | 'dossierId'>;

/**
 * A line of the control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05 of Thông tư 01/2018, Mẫu 06 of
 * Thông tư 03/2025): who gives the dossier (or its result) to whom, when, and the timeliness of the step the giver
 * held against that step's own allotted working time (pauses for supplements excluded). Written for every handoff
 * (to the next step, back, within a step, to another desk), for the result handed to the desk (completion) and
 * for the result handed to the applicant (return).
 */
export async function slipLine(
  ctx: Context<'db' | 'reference' | 'calendar'>,
  d: DossierRow,
  at: Date,
  kind: ControlSlipLineKind,
  receiver: { agencyCode: string; role: string | null; username: string | null },
  note: string | null,
): Promise<SlipLine> {
  const { steps } = await ctx.reference.procedureVersion(d.procedureId);
  const step = steps.find((s) => s.stepOrder === d.currentStep);
  const pauses = await ctx.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id));
  const calendar = await ctx.calendar.forDesk(d.deskCode);
  const allotted = step?.minutes ?? 0;
  const progress = stepProgress(calendar, d.stepStartedAt.getTime(), at.getTime(), allotted, pauses);
  const workingDay = (ms: number) => isWorkingDay(calendar, localDateOf(ms));
  const timeliness = progress.usedMinutes > allotted ? 'late' : timelinessOf(at.getTime(), progress.dueAt, workingDay);
  return {
    kind,
    stepOrder: d.currentStep,
    stepName: step?.name ?? `Bước ${d.currentStep}`,
    giverAgencyCode: d.holderAgencyCode,
    giverUsername: actorName(ctx.actor),
    receiverAgencyCode: receiver.agencyCode,
    receiverRole: receiver.role,
    receiverUsername: receiver.username,
    at,
    stepStartedAt: d.stepStartedAt,
    stepDueAt: new Date(progress.dueAt),
    stepMinutesUsed: progress.usedMinutes,
    stepMinutesAllotted: allotted,
    timeliness,
    note,
  };
}

/** The line as the act's event records it (instants as ISO strings). */
export const lineEventData = (line: SlipLine) => ({
  ...line,
  at: line.at.toISOString(),
  stepDueAt: line.stepDueAt.toISOString(),
  stepStartedAt: line.stepStartedAt.toISOString(),
});

export async function writeLine(tx: Tx, dossierId: number, line: SlipLine) {
  const [row] = await tx.insert(controlSlipLines).values({ ...line, dossierId }).returning();
  return row!;
}

/** The desk the result goes to, where the applicant collects it (a location-independent dossier: the one chosen). */
export const resultDesk = (d: DossierRow) => d.resultDelivery.deskCode ?? d.deskCode;
