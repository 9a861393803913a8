import { and, asc, eq, gte, lt, notInArray, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { controlSlipLines, dossierPauses, procedureSteps } from '../../db/schema/index.js';
import type { StaffActor } from '../../domain/actor.js';
import { stepProgress } from '../dossiers/index.js';
import { visibleDossier } from '../dossiers/index.js';

const WITHIN_STEP = new Set(['reassignment', 'transfer'] as const);

/**
 * Lateness attributed to the steps and units that overran their allotted working time (DOMAIN.md §6: "cá thể
 * hóa trách nhiệm"): the finished steps from the control slip, and the step in hand if it has overrun already.
 */
export async function latenessOf(deps: Deps, who: StaffActor, code: string) {
  const d = await visibleDossier(deps, who, code);
  const lines = await deps.db.select().from(controlSlipLines).where(eq(controlSlipLines.dossierId, d.id)).orderBy(asc(controlSlipLines.id));
  // A reassignment or transfer within a step keeps the step's clock: its line records the step's use so far, and
  // the step's overrun is the one its finishing line records (counted once).
  const steps = lines
    .filter((l) => !(WITHIN_STEP as Set<string>).has(l.kind) && l.stepMinutesUsed > l.stepMinutesAllotted)
    .map((l) => ({
      stepOrder: l.stepOrder,
      stepName: l.stepName,
      agencyCode: l.giverAgencyCode,
      username: l.giverUsername,
      allottedMinutes: l.stepMinutesAllotted,
      usedMinutes: l.stepMinutesUsed,
      overrunMinutes: l.stepMinutesUsed - l.stepMinutesAllotted,
      finished: true,
    }));
  if (!d.endedAt) {
    const [step] = await deps.db
      .select()
      .from(procedureSteps)
      .where(and(eq(procedureSteps.procedureId, d.procedureId), eq(procedureSteps.stepOrder, d.currentStep)));
    const pauses = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id));
    const cal = await deps.calendar.forDesk(d.deskCode);
    const allotted = step?.minutes ?? 0;
    const progress = stepProgress(cal, d.stepStartedAt.getTime(), deps.now().getTime(), allotted, pauses);
    if (progress.usedMinutes > allotted) {
      steps.push({
        stepOrder: d.currentStep,
        stepName: step?.name ?? `Bước ${d.currentStep}`,
        agencyCode: d.holderAgencyCode,
        username: d.holderUsername ?? '',
        allottedMinutes: allotted,
        usedMinutes: progress.usedMinutes,
        overrunMinutes: progress.usedMinutes - allotted,
        finished: false,
      });
    }
  }
  return { dossierCode: d.code, timeliness: d.timeliness, totalOverrunMinutes: steps.reduce((s, x) => s + x.overrunMinutes, 0), steps };
}

/** Finished steps that overran, by unit, in a period (local dates of the handoff, inclusive). */
export async function latenessByUnit(deps: Deps, q: { from: string; to: string; agency?: string }) {
  const start = new Date(`${q.from}T00:00:00+07:00`);
  const end = new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 86_400_000);
  const rows = await deps.db
    .select({
      agencyCode: controlSlipLines.giverAgencyCode,
      stepsLate: sql<number>`count(*)`.mapWith(Number),
      overrunMinutes: sql<number>`sum(${controlSlipLines.stepMinutesUsed} - ${controlSlipLines.stepMinutesAllotted})`.mapWith(Number),
      dossiers: sql<number>`count(distinct ${controlSlipLines.dossierId})`.mapWith(Number),
    })
    .from(controlSlipLines)
    .where(
      and(
        gte(controlSlipLines.at, start),
        lt(controlSlipLines.at, end),
        sql`${controlSlipLines.stepMinutesUsed} > ${controlSlipLines.stepMinutesAllotted}`,
        notInArray(controlSlipLines.kind, [...WITHIN_STEP]),
        q.agency ? eq(controlSlipLines.giverAgencyCode, q.agency) : undefined,
      ),
    )
    .groupBy(controlSlipLines.giverAgencyCode)
    .orderBy(sql`sum(${controlSlipLines.stepMinutesUsed} - ${controlSlipLines.stepMinutesAllotted}) desc`);
  return { from: q.from, to: q.to, items: rows };
}
