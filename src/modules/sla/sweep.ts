import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/client.js';
import { isOpenSql } from '../../db/open-statuses.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { addWorkingMinutes, workingMinutesBetween, type CompiledCalendar } from '../../domain/calendar/index.js';
import { deskCodePattern } from '../../domain/dossier/desk-code.js';
import type { SlaFlagType } from '../dossiers/index.js';
import { proposedAppointment } from './proposal.js';

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
 * Returns how many were flagged. The events are written as already counted (flags are not measures of the quality
 * index), and the whole sweep writes one outbox row, not one per dossier: nothing downstream acts on a single
 * flag, and a million jobs would only fill Redis.
 */
async function flag(tx: Tx, type: SlaFlagType, where: SQL, at: Date) {
  const res = await tx.execute<{ n: string }>(sql`
    with flagged as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select d.id, ${type}::text, 'system', ${at}::timestamptz, jsonb_build_object('dueAt', d.due_at), ${at}::timestamptz
      from dossiers d
      where ${OPEN} and ${where} and ${notFlagged(type)}
      returning dossier_id
    )
    select count(*) as n from flagged`);
  return Number(res.rows[0]?.n ?? 0);
}

/** The allotted working minutes of the steps still to do, per procedure and step (a suffix sum of the process). */
const REMAINING = sql`select procedure_id, step_order, sum(minutes) over (partition by procedure_id order by step_order desc) as remaining from procedure_steps`;

/** The agency that answers for the delay (responsibleAgency in SQL): the deciding one while a desk holds it. */
const RESPONSIBLE = (alias: string) =>
  sql.raw(`case when ${alias}.holder_agency_code ~ '${deskCodePattern}' then ${alias}.authority_agency_code else ${alias}.holder_agency_code end`);

/** A calendar and the dossiers it serves: the province's for every desk without its own hours, else the desk's. */
interface CalendarGroup {
  /** The desk with its own working hours, or '' for the province's calendar. */
  desk: string;
  where: SQL;
  cal: CompiledCalendar;
}

/**
 * Due soon (not past the appointment, within the warning's lead time) and the due-soon dossiers' draft apologies
 * in one statement: an event per dossier newly due soon, a draft for each that has no apology. A proposal depends
 * on the appointment and the remaining steps' minutes (proposal.ts), so it is computed once per distinct pair of
 * them (appointments are whole minutes: a few thousand at most within the lead time) and joined.
 */
async function flagDueSoon(tx: Tx, g: CalendarGroup, now: Date, limit: Date) {
  const dueSoon = sql`${OPEN} and d.due_at is not null and d.due_at >= ${now} and d.due_at <= ${limit} and ${g.where}`;
  // The appointment as text too: it goes back into the statement exactly as stored (a Date keeps milliseconds only).
  const pairs = await tx.execute<{ due_at: Date | string; due_key: string; remaining: string }>(sql`
    select distinct d.due_at, d.due_at::text as due_key, coalesce(r.remaining, 0) as remaining
    from dossiers d left join (${REMAINING}) r on r.procedure_id = d.procedure_id and r.step_order = d.current_step
    where ${dueSoon} and not exists (select 1 from apologies a where a.dossier_id = d.id)`);
  const t = now.getTime();
  const dues: string[] = [];
  const minutes: number[] = [];
  const proposals: string[] = [];
  const late: boolean[] = [];
  for (const p of pairs.rows) {
    const due = new Date(p.due_at).getTime();
    dues.push(p.due_key);
    minutes.push(Number(p.remaining));
    proposals.push(new Date(proposedAppointment(g.cal, t, due, Number(p.remaining))).toISOString());
    // Issued as it stands, would it already be late (less than one working day before the appointment)?
    late.push(workingMinutesBetween(g.cal, t, due) < g.cal.hours.dayMinutes);
  }
  const res = await tx.execute<{ flagged: string; drafted: string }>(sql`
    with due as (
      select d.id, d.due_at, d.holder_agency_code, d.authority_agency_code, coalesce(r.remaining, 0) as remaining,
        d.due_at > ${now} and ${notFlagged('due_soon')} as new_flag,
        not exists (select 1 from apologies a where a.dossier_id = d.id) as needs_draft
      from dossiers d left join (${REMAINING}) r on r.procedure_id = d.procedure_id and r.step_order = d.current_step
      where ${dueSoon}
    ), flagged as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select id, 'due_soon', 'system', ${now}::timestamptz, jsonb_build_object('dueAt', due_at), ${now}::timestamptz
      from due where new_flag
      returning 1
    ), proposals as (
      select * from unnest(${sql.param(dues)}::timestamptz[], ${sql.param(minutes)}::bigint[], ${sql.param(proposals)}::timestamptz[], ${sql.param(late)}::boolean[])
        as p(due_at, remaining, proposed, late)
    ), drafted as (
      insert into apologies (dossier_id, agency_code, drafted_at, proposed_due_at, status, late_apology)
      select c.id, ${RESPONSIBLE('c')}, ${now}::timestamptz, p.proposed, 'draft', p.late
      from due c join proposals p on p.due_at = c.due_at and p.remaining = c.remaining
      where c.needs_draft
      on conflict (dossier_id) do nothing
      returning 1
    )
    select (select count(*) from flagged) as flagged, (select count(*) from drafted) as drafted`);
  const r = res.rows[0];
  return { dueSoon: Number(r?.flagged ?? 0), drafted: Number(r?.drafted ?? 0) };
}

/**
 * Overdue, overdue-without-apology and the overdue dossiers' draft apologies in ONE pass over the open dossiers
 * past their appointment: an overdue event per dossier newly past it, saying whether an apology had been issued
 * (`withoutApology`: the second flag is that event, see sla-flags.ts in the dossiers module), a draft for each
 * that has no apology at all (a dossier received already late, backdated, or one that went overdue while the
 * workers were down), marked late since it can no longer reach the applicant a working day before. Past the
 * appointment, a proposal depends only on the calendar and the remaining steps' minutes (proposal.ts): the few
 * distinct proposals are computed here, spread over the procedures' steps (a few thousand rows) and hash-joined to
 * the dossiers by procedure and step, never one computation per dossier nor a sort of the overdue set. One event
 * rather than two: "without apology" is only ever set with "overdue" or not at all, since an apology once issued
 * stays issued, and a second row per overdue dossier (with its indexes and its foreign-key check) was a third of
 * what a sweep of a million overdue dossiers wrote.
 */
async function flagOverdue(tx: Tx, groups: CalendarGroup[], at: Date) {
  const steps = await tx.execute<{ remaining: string }>(sql`select distinct remaining from (${REMAINING}) r`);
  const remainings = [...new Set([0, ...steps.rows.map((r) => Number(r.remaining))])];
  const desks: string[] = [];
  const minutes: number[] = [];
  const proposals: string[] = [];
  for (const g of groups) {
    for (const m of remainings) {
      desks.push(g.desk);
      minutes.push(m);
      proposals.push(new Date(proposedAppointment(g.cal, at.getTime(), null, m)).toISOString());
    }
  }
  const own = groups.filter((g) => g.desk !== '').map((g) => g.desk);
  const deskKey = own.length ? sql`case when c.desk_code in (${sql.join(own.map((d) => sql`${d}`), sql`, `)}) then c.desk_code else '' end` : sql`''`;
  const res = await tx.execute<{ overdue: string; without_apology: string; drafted: string }>(sql`
    with candidates as (
      select d.id, d.due_at, d.desk_code, d.holder_agency_code, d.authority_agency_code, d.procedure_id, d.current_step,
        ${notFlagged('overdue')} as new_overdue,
        a.status is distinct from 'issued' as without_apology,
        a.dossier_id is null as needs_draft
      from dossiers d left join apologies a on a.dossier_id = d.id
      where ${OPEN} and d.due_at is not null and d.due_at < ${at}
    ), flagged as (
      insert into dossier_events (dossier_id, type, actor, at, data, counted_at)
      select c.id, 'overdue', 'system', ${at}::timestamptz, jsonb_build_object('dueAt', c.due_at, 'withoutApology', c.without_apology), ${at}::timestamptz
      from candidates c
      where c.new_overdue
      returning (data->>'withoutApology')::boolean as without_apology
    ), proposals as (
      select * from unnest(${sql.param(desks)}::text[], ${sql.param(minutes)}::bigint[], ${sql.param(proposals)}::timestamptz[]) as p(desk, remaining, proposed)
    ), by_step as (
      select r.procedure_id, r.step_order, p.desk, p.proposed from (${REMAINING}) r join proposals p on p.remaining = r.remaining
    ), drafted as (
      insert into apologies (dossier_id, agency_code, drafted_at, proposed_due_at, status, late_apology)
      select c.id, ${RESPONSIBLE('c')}, ${at}::timestamptz, coalesce(s.proposed, f.proposed), 'draft', true
      from candidates c
        join proposals f on f.remaining = 0 and f.desk = ${deskKey}
        left join by_step s on s.procedure_id = c.procedure_id and s.step_order = c.current_step and s.desk = ${deskKey}
      where c.needs_draft
      on conflict (dossier_id) do nothing
      returning 1
    )
    select (select count(*) from flagged) as overdue,
      (select count(*) from flagged where without_apology) as without_apology,
      (select count(*) from drafted) as drafted`);
  const r = res.rows[0];
  return { overdue: Number(r?.overdue ?? 0), withoutApology: Number(r?.without_apology ?? 0), drafted: Number(r?.drafted ?? 0) };
}

/**
 * The SLA sweep (DOMAIN.md §6), set-based: a few statements flag every dossier at once, each flag an event
 * written once, so running it twice changes nothing the second time. Sweeps run one at a time (the 5-minute one
 * and the nightly one may meet); the dossiers themselves are only read, so desks acting meanwhile never wait.
 * A dossier ended after the sweep's instant is still flagged: it was open and late then. One ended before that
 * instant, by an act committed while the sweep's statement ran, may be flagged too; views leave such a flag out
 * (flagsStanding), so that no lock is taken on a million rows.
 *  - due soon: SLA_WARNING_WORKING_DAYS working days or less left and not processed (two by default: the apology
 *    is due one working day before the appointment, and the head needs a working day to sign it);
 *  - overdue: past the appointment and not finished;
 *  - overdue without apology: past the appointment with no apology issued;
 *  - late after apology: past the new appointment too.
 * Every open dossier due soon or overdue without an apology gets a draft for the agency that answers for it, with
 * a proposed new appointment (proposal.ts). "N working days left" is a threshold instant computed once per
 * calendar (the province's and each desk override), so the SQL compares instants only.
 */
export async function runSlaSweep(deps: Pick<Deps, 'db' | 'now' | 'calendar' | 'config' | 'metrics'>): Promise<SweepResult> {
  const started = performance.now();
  const now = deps.now();
  const overrides = await deps.calendar.overrideDesks();
  const groups: CalendarGroup[] = [
    { desk: '', where: overrides.length ? sql`d.desk_code not in (${sql.join(overrides.map((d) => sql`${d}`), sql`, `)})` : sql`true`, cal: await deps.calendar.forDesk() },
    ...(await Promise.all(overrides.map(async (d) => ({ desk: d, where: sql`d.desk_code = ${d}`, cal: await deps.calendar.forDesk(d) })))),
  ];
  const leadDays = deps.config.SLA_WARNING_WORKING_DAYS;

  const result = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sla_sweep'))`);
    // Statements writing a row per dossier with cheap expressions: compiling them (JIT) costs seconds, saves nothing.
    await tx.execute(sql`set local jit = off`);
    let dueSoon = 0;
    let drafted = 0;
    for (const g of groups) {
      const limit = new Date(addWorkingMinutes(g.cal, now.getTime(), leadDays * g.cal.hours.dayMinutes));
      const soon = await flagDueSoon(tx, g, now, limit);
      dueSoon += soon.dueSoon;
      drafted += soon.drafted;
    }
    const overdue = await flagOverdue(tx, groups, now);
    drafted += overdue.drafted;
    const lateAfter = await flag(tx, 'late_after_apology', sql`d.new_due_at is not null and d.new_due_at < ${now}`, now);
    const flaggedAny = dueSoon + overdue.overdue + overdue.withoutApology + lateAfter;
    if (flaggedAny > 0) {
      await enqueueInTx(tx, 'sla.flagged', { at: now.toISOString(), dueSoon, overdue: overdue.overdue, overdueWithoutApology: overdue.withoutApology, lateAfterApology: lateAfter });
    }
    return {
      dueSoon,
      overdue: overdue.overdue,
      overdueWithoutApology: overdue.withoutApology,
      lateAfterApology: lateAfter,
      apologiesDrafted: drafted,
      ms: Math.round(performance.now() - started),
    };
  });
  deps.metrics.sweepDuration.observe(result.ms / 1000);
  for (const flagName of ['dueSoon', 'overdue', 'overdueWithoutApology', 'lateAfterApology'] as const) deps.metrics.sweepFlagged.inc({ flag: flagName }, result[flagName]);
  return result;
}
