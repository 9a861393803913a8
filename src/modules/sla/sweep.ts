import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import { apologies } from '../../db/schema/index.js';
import { isOpenSql } from '../../db/open-statuses.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { addWorkingMinutes } from '../../domain/calendar/index.js';
import { responsibleAgency } from '../../domain/dossier/responsible-agency.js';
import type { SlaFlagType } from '../dossiers/index.js';

const OPEN = isOpenSql(sql`d.status`);

export interface SweepResult {
  dueSoon: number;
  overdue: number;
  overdueWithoutApology: number;
  lateAfterApology: number;
  apologiesDrafted: number;
  ms: number;
}

/**
 * Whether the dossier `d` has no flag of this type yet. The type is written as a literal (never a parameter) so
 * that the planner can use the unique index on (dossier_id, type), whose predicate lists the flag types.
 */
const notFlagged = (type: SlaFlagType) => sql`not exists (select 1 from dossier_events f where f.dossier_id = d.id and f.type = ${sql.raw(`'${type}'`)})`;

/**
 * Flags the open dossiers matching `where` with one flag: its event, written once per dossier (DOMAIN.md §6).
 * Returns the flagged rows (with the allotted minutes of the steps still to do) only when asked: a sweep may flag
 * a million dossiers at once. The events are written as already counted (flags are not measures of the quality
 * index), and the whole sweep writes one outbox row, not one per dossier: nothing downstream acts on a single
 * flag, and a million jobs would only fill Redis.
 */
async function flag(tx: Tx, type: SlaFlagType, where: SQL, at: Date, withRows = false) {
  const res = await tx.execute<{ id: string; desk_code: string; holder_agency_code: string; authority_agency_code: string; remaining: string }>(sql`
    with flagged as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select d.id, ${type}::text, 'system', ${at}::timestamptz, jsonb_build_object('dueAt', d.due_at), ${at}::timestamptz
      from dossiers d
      where ${OPEN} and ${where} and ${notFlagged(type)}
      returning dossier_id
    )
    ${
      withRows
        ? sql`select d.id, d.desk_code, d.holder_agency_code, d.authority_agency_code,
      coalesce((select sum(s.minutes) from procedure_steps s where s.procedure_code = d.procedure_code and s.step_order >= d.current_step), 0) as remaining
    from flagged f join dossiers d on d.id = f.dossier_id`
        : sql`select count(*) as n from flagged`
    }`);
  return withRows ? res.rows : Number((res.rows[0] as unknown as { n: string } | undefined)?.n ?? 0);
}
const count = (r: Awaited<ReturnType<typeof flag>>) => (typeof r === 'number' ? r : r.length);

/**
 * Overdue and overdue-without-apology in ONE pass over the open dossiers past their appointment (most overdue
 * dossiers get both at once): an event per flag newly set. "Without apology" is only ever set with "overdue" or
 * not at all, since an apology once issued stays issued.
 */
async function flagOverdue(tx: Tx, at: Date) {
  const res = await tx.execute<{ overdue: string; without_apology: string }>(sql`
    with candidates as (
      select d.id, d.due_at, ${notFlagged('overdue')} as new_overdue,
        (${notFlagged('overdue_without_apology')} and not exists (select 1 from apologies a where a.dossier_id = d.id and a.status = 'issued')) as new_without
      from dossiers d
      where ${OPEN} and d.due_at is not null and d.due_at < ${at}
    ), flagged as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select c.id, t.type, 'system', ${at}::timestamptz, jsonb_build_object('dueAt', c.due_at), ${at}::timestamptz
      from candidates c cross join lateral (values ('overdue'::text), ('overdue_without_apology'::text)) as t(type)
      where case t.type when 'overdue' then c.new_overdue else c.new_without end
      returning type
    )
    select count(*) filter (where type = 'overdue') as overdue, count(*) filter (where type = 'overdue_without_apology') as without_apology from flagged`);
  const r = res.rows[0];
  return { overdue: Number(r?.overdue ?? 0), withoutApology: Number(r?.without_apology ?? 0) };
}

/**
 * The SLA sweep (DOMAIN.md §6), set-based: a few statements flag every dossier at once, each flag an event
 * written once, so running it twice changes nothing the second time. Sweeps run one at a time (the 5-minute one
 * and the nightly one may meet); the dossiers themselves are only read, so desks acting meanwhile never wait.
 * A dossier ended after the sweep's instant is still flagged: it was open and late then. One ended before that
 * instant, by an act committed while the sweep's statement ran, may be flagged too; views leave such a flag out
 * (flagsStanding), so that no lock is taken on a million rows.
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
    { where: overrides.length ? sql`d.desk_code not in (${sql.join(overrides.map((d) => sql`${d}`), sql`, `)})` : sql`true`, cal: province },
    ...(await Promise.all(overrides.map(async (d) => ({ where: sql`d.desk_code = ${d}`, cal: await deps.calendar.forDesk(d) })))),
  ];

  const result = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sla_sweep'))`);
    let dueSoon = 0;
    let drafted = 0;
    for (const t of thresholds) {
      const limit = new Date(addWorkingMinutes(t.cal, now.getTime(), t.cal.hours.dayMinutes));
      const flagged = await flag(tx, 'due_soon', sql`d.due_at is not null and d.due_at > ${now} and d.due_at <= ${limit} and ${t.where}`, now, true);
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
    const lateAfter = count(await flag(tx, 'late_after_apology', sql`d.new_due_at is not null and d.new_due_at < ${now}`, now));
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
