import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { dossierPauses } from '../../db/schema/index.js';
import { timelinessOf } from '../../domain/dossier/timeliness.js';
import type { DossierRow } from './apply-act.js';
import { projectClock } from './clock.js';

/**
 * The first ending act (processed, returned, stopped, withdrawn) fixes the dossier's timeliness against its
 * appointment (DOMAIN.md §5); later acts leave it. An ending while the clock is paused judges against the
 * appointment as if the supplement had arrived at that instant.
 */
export async function endingChanges(deps: Deps, d: DossierRow, at: Date) {
  if (d.endedAt) return {};
  let dueAt = d.dueAt?.getTime() ?? null;
  if (dueAt === null) {
    const ledger = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id));
    const calendar = await deps.calendar.forDesk(d.deskCode);
    dueAt = projectClock(calendar, {
      receivedAt: d.receivedAt.getTime(),
      amount: d.timeAmount,
      unit: d.timeUnit,
      cutoff: d.cutoffHour,
      policy: d.supplementPolicy,
      pauses: ledger.map((p) => ({ from: p.from.getTime(), to: p.to?.getTime() ?? at.getTime() })),
    }).dueAt;
  }
  return { endedAt: at, timeliness: timelinessOf(at.getTime(), dueAt ?? at.getTime()) };
}
