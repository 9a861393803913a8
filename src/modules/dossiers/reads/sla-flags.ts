import { and, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { dossierEvents } from '../../../db/schema/index.js';

/**
 * The SLA flags of DOMAIN.md §6. A flag is not a column of the dossier: it is the dossier's event of that type,
 * written once by the sweep (unique index dossier_events_sla_flag_uq), and its instant is the event's.
 *
 * "Overdue without apology" is the overdue event itself when no apology had been issued as the appointment
 * passed (`data.withoutApology`): the two are one fact, set at one instant, and never apart (an apology issued
 * stays issued, so the second cannot come later). Events of type `overdue_without_apology`, which sweeps once
 * wrote beside the overdue event, are read as the same flag.
 */
export const slaFlagTypes = ['due_soon', 'overdue', 'overdue_without_apology', 'late_after_apology'] as const;
export type SlaFlagType = (typeof slaFlagTypes)[number];
/**
 * The types as SQL literals, `'due_soon', 'overdue', …`: written out (not parameters) so the planner can match
 * the predicate of the unique index dossier_events_sla_flag_uq.
 */
export const slaFlagTypesSql = sql.raw(slaFlagTypes.map((t) => `'${t}'`).join(', '));

export interface SlaFlags {
  dueSoonAt: Date | null;
  overdueAt: Date | null;
  overdueWithoutApologyAt: Date | null;
  lateAfterApologyAt: Date | null;
}

const key: Record<SlaFlagType, keyof SlaFlags> = {
  due_soon: 'dueSoonAt',
  overdue: 'overdueAt',
  overdue_without_apology: 'overdueWithoutApologyAt',
  late_after_apology: 'lateAfterApologyAt',
};

export const noSlaFlags = (): SlaFlags => ({ dueSoonAt: null, overdueAt: null, overdueWithoutApologyAt: null, lateAfterApologyAt: null });

/**
 * The flags that stand for a dossier that ended at `endedAt`. A sweep statement reads the open dossiers once; a
 * dossier that an act ended before the sweep's instant, but whose transaction committed while that statement ran,
 * is flagged at the sweep's instant although it was no longer open then. Such a flag is later than the ending and
 * does not stand; a flag set while the dossier was open is never later than its ending.
 */
export function flagsStanding(flags: SlaFlags, endedAt: Date | null): SlaFlags {
  if (!endedAt) return flags;
  const standing = (at: Date | null) => (at && at.getTime() > endedAt.getTime() ? null : at);
  return {
    dueSoonAt: standing(flags.dueSoonAt),
    overdueAt: standing(flags.overdueAt),
    overdueWithoutApologyAt: standing(flags.overdueWithoutApologyAt),
    lateAfterApologyAt: standing(flags.lateAfterApologyAt),
  };
}

const isFlag = (type: string): type is SlaFlagType => (slaFlagTypes as readonly string[]).includes(type);

/** A flag event as read: its type, instant and data (only the overdue event's `withoutApology` matters). */
interface FlagEvent {
  type: string;
  at: Date;
  data?: unknown;
}

function setFlag(flags: SlaFlags, e: FlagEvent) {
  if (!isFlag(e.type)) return;
  flags[key[e.type]] = e.at;
  if (e.type === 'overdue' && (e.data as { withoutApology?: unknown } | null | undefined)?.withoutApology === true) flags.overdueWithoutApologyAt = e.at;
}

/** The flags found in a dossier's events (its history, already read). */
export function slaFlagsFromEvents(events: FlagEvent[]): SlaFlags {
  const flags = noSlaFlags();
  for (const e of events) setFlag(flags, e);
  return flags;
}

/** The flags of several dossiers in one query (a page of a list; the index on (dossier_id, type) finds them). */
export async function slaFlagsOf(db: Db, dossierIds: number[]): Promise<Map<number, SlaFlags>> {
  const byDossier = new Map<number, SlaFlags>(dossierIds.map((id) => [id, noSlaFlags()]));
  if (dossierIds.length === 0) return byDossier;
  const rows = await db
    .select({ dossierId: dossierEvents.dossierId, type: dossierEvents.type, at: dossierEvents.at, data: dossierEvents.data })
    .from(dossierEvents)
    .where(and(inArray(dossierEvents.dossierId, dossierIds), sql`${dossierEvents.type} in (${slaFlagTypesSql})`));
  for (const r of rows) setFlag(byDossier.get(r.dossierId)!, r);
  return byDossier;
}
