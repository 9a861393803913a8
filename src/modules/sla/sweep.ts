import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import { apologies } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { addWorkingMinutes } from '../../domain/calendar/index.js';
import { responsibleAgency } from '../../domain/dossier/responsible-agency.js';

const OPEN = sql`status in ('received', 'in_processing', 'supplement_requested')`;

export interface SweepResult {
  dueSoon: number;
  overdue: number;
  overdueWithoutApology: number;
  lateAfterApology: number;
  apologiesDrafted: number;
  ms: number;
}

/**
 * Sets one flag on the dossiers matching `where`, each with its event. Returns the rows (with the allotted minutes
 * of the steps still to do) only when asked: a sweep may flag a million rows at once. The events are written as
 * already counted (flags are not measures of the quality index), and the whole sweep writes one outbox row, not
 * one per dossier: nothing downstream acts on a single flag, and a million jobs would only fill Redis.
 */
async function flag(tx: Tx, column: string, event: string, where: SQL, at: Date, withRows = false) {
  const res = await tx.execute<{ id: string; desk_code: string; holder_agency_code: string; authority_agency_code: string; remaining: string }>(sql`
    with flagged as (
      update dossiers set ${sql.raw(column)} = ${at}
      where ${OPEN} and ${sql.raw(column)} is null and ${where}
      returning id, desk_code, holder_agency_code, authority_agency_code, procedure_code, current_step, due_at
    ), ev as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select id, ${event}::text, 'system', ${at}::timestamptz, jsonb_build_object('dueAt', due_at), ${at}::timestamptz from flagged
    )
    ${
      withRows
        ? sql`select f.id, f.desk_code, f.holder_agency_code, f.authority_agency_code,
      coalesce((select sum(s.minutes) from procedure_steps s where s.procedure_code = f.procedure_code and s.step_order >= f.current_step), 0) as remaining
    from flagged f`
        : sql`select count(*) as n from flagged`
    }`);
  return withRows ? res.rows : Number((res.rows[0] as unknown as { n: string } | undefined)?.n ?? 0);
}
const count = (r: Awaited<ReturnType<typeof flag>>) => (typeof r === 'number' ? r : r.length);

/**
 * Overdue and overdue-without-apology in ONE pass over the dossiers (most overdue dossiers get both at once):
 * each row is updated once, with an event per flag newly set.
 */
async function flagOverdue(tx: Tx, at: Date) {
  const res = await tx.execute<{ overdue: string; without_apology: string }>(sql`
    with candidates as (
      select d.id, d.overdue_at is null as new_overdue,
        (d.overdue_without_apology_at is null and not exists (select 1 from apologies a where a.dossier_id = d.id and a.status = 'issued')) as new_without
      from dossiers d
      where ${OPEN} and d.due_at is not null and d.due_at < ${at} and (d.overdue_at is null or d.overdue_without_apology_at is null)
    ), flagged as (
      update dossiers d set
        overdue_at = case when c.new_overdue then ${at}::timestamptz else d.overdue_at end,
        overdue_without_apology_at = case when c.new_without then ${at}::timestamptz else d.overdue_without_apology_at end
      from candidates c
      where d.id = c.id and (c.new_overdue or c.new_without)
      returning d.id, d.due_at, c.new_overdue, c.new_without
    ), ev as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select id, 'overdue', 'system', ${at}::timestamptz, jsonb_build_object('dueAt', due_at), ${at}::timestamptz from flagged where new_overdue
      union all
      select id, 'overdue_without_apology', 'system', ${at}::timestamptz, jsonb_build_object('dueAt', due_at), ${at}::timestamptz from flagged where new_without
    )
    select count(*) filter (where new_overdue) as overdue, count(*) filter (where new_without) as without_apology from flagged`);
  const r = res.rows[0];
  return { overdue: Number(r?.overdue ?? 0), withoutApology: Number(r?.without_apology ?? 0) };
}

/**
 * The SLA sweep (DOMAIN.md §6), set-based: a few statements flag every dossier at once, each flag set once with
 * its event, so running it twice changes nothing the second time.
 *  - due soon: one working day or less left and not processed → an apology is drafted for the agency holding
 *    it, proposing as new appointment the allotted time of the steps still to do, from now;
 *  - overdue: past the appointment and not finished;
 *  - overdue without apology: past the appointment with no apology issued;
 *  - late after apology: past the new appointment too.
 * "One working day left" is a threshold instant computed once per calendar (the province's and each desk
 * override), so the SQL compares instants only.
 */
export async function runSlaSweep(deps: Deps): Promise<SweepResult> {
  const started = performance.now();
  const now = deps.now();
  const overrides = await deps.calendar.overrideDesks();
  const province = await deps.calendar.forDesk();
  const thresholds = [
    { where: overrides.length ? sql`desk_code not in (${sql.join(overrides.map((d) => sql`${d}`), sql`, `)})` : sql`true`, cal: province },
    ...(await Promise.all(overrides.map(async (d) => ({ where: sql`desk_code = ${d}`, cal: await deps.calendar.forDesk(d) })))),
  ];

  const result = await deps.db.transaction(async (tx) => {
    let dueSoon = 0;
    let drafted = 0;
    for (const t of thresholds) {
      const limit = new Date(addWorkingMinutes(t.cal, now.getTime(), t.cal.hours.dayMinutes));
      const flagged = await flag(tx, 'due_soon_at', 'due_soon', sql`due_at is not null and due_at > ${now} and due_at <= ${limit} and ${t.where}`, now, true);
      const rows = typeof flagged === 'number' ? [] : flagged;
      dueSoon += rows.length;
      if (rows.length === 0) continue;
      const drafts = await Promise.all(
        rows.map(async (r) => {
          const cal = await deps.calendar.forDesk(r.desk_code);
          const agencyCode = responsibleAgency({ holderAgencyCode: r.holder_agency_code, authorityAgencyCode: r.authority_agency_code });
          return {
            dossierId: Number(r.id),
            agencyCode,
            draftedAt: now,
            proposedDueAt: new Date(addWorkingMinutes(cal, now.getTime(), Math.max(Number(r.remaining), 60))),
            status: 'draft' as const,
          };
        }),
      );
      const inserted = await tx.insert(apologies).values(drafts).onConflictDoNothing().returning({ id: apologies.dossierId });
      drafted += inserted.length;
    }
    const { overdue, withoutApology } = await flagOverdue(tx, now);
    const lateAfter = count(await flag(tx, 'late_after_apology_at', 'late_after_apology', sql`new_due_at is not null and new_due_at < ${now}`, now));
    const flaggedAny = dueSoon + overdue + withoutApology + lateAfter;
    if (flaggedAny > 0) await enqueueInTx(tx, 'sla.flagged', { at: now.toISOString(), dueSoon, overdue, overdueWithoutApology: withoutApology, lateAfterApology: lateAfter });
    return {
      dueSoon,
      overdue,
      overdueWithoutApology: withoutApology,
      lateAfterApology: lateAfter,
      apologiesDrafted: drafted,
      ms: Math.round(performance.now() - started),
    };
  });
  deps.metrics.sweepDuration.observe(result.ms / 1000);
  for (const flagName of ['dueSoon', 'overdue', 'overdueWithoutApology', 'lateAfterApology'] as const) deps.metrics.sweepFlagged.inc({ flag: flagName }, result[flagName]);
  return result;
}
