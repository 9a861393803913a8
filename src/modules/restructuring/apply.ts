import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { computeDueDate } from '../../domain/calendar/due-date.js';
import { staffAccounts, staffRoles, transitionPlanItems, transitionPlans } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';

export interface ApplyOptions {
  /** Dossiers moved per transaction. */
  batchSize?: number;
  /** Stop after this many batches (resumable: the next application goes on where this one stopped). */
  maxBatches?: number;
}

export interface ApplyResult {
  planId: number;
  transferred: number;
  batches: number;
  remaining: number;
  unplaced: number;
  rolesEnded: number;
  status: 'draft' | 'applying' | 'applied';
}

/** Working minutes in a working day (the catalogue's rule: N working days = N × 480). */
const WORKING_DAY_MINUTES = 480;

/**
 * Applies a transition plan: each placed dossier, in batches of one transaction each, moves to its destination desk,
 * unit, deciding and holding agencies, with a `transferred` event (from, to, basis, who) and a control-slip line; its
 * appointment stands unless the plan extends it (working days, through the calendar). A dossier moves once: the batch
 * takes the plan's placed items, and moves a dossier only while it is still open at the desk it was planned from, so
 * applying again (after a crash, or twice) finishes the rest and changes nothing done. When no placed item remains,
 * the staff roles the plan lists end on the effective date (their accounts stay; tokens issued before are refused).
 */
export async function applyPlan(deps: Deps, planId: number, who: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  const batchSize = options.batchSize ?? 500;
  const [plan] = await deps.db.select().from(transitionPlans).where(eq(transitionPlans.id, planId));
  if (!plan) throw new DomainError('NOT_FOUND', `No transition plan ${planId}`);
  let transferred = 0;
  let batches = 0;
  while (options.maxBatches === undefined || batches < options.maxBatches) {
    const moved = await deps.db.transaction(async (tx) => {
      const items = await tx
        .select()
        .from(transitionPlanItems)
        .where(and(eq(transitionPlanItems.planId, planId), eq(transitionPlanItems.state, 'placed')))
        .orderBy(asc(transitionPlanItems.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (items.length === 0) return -1;
      if (plan.status === 'draft') await tx.update(transitionPlans).set({ status: 'applying' }).where(eq(transitionPlans.id, planId));
      const now = deps.now();
      const ids = items.map((i) => i.id);
      // Move the dossiers still open where the plan found them; an event and a control-slip line for each.
      const rows = await tx.execute<{ id: string; due_at: Date | null; desk_code: string }>(sql`
        with moved as (
          update dossiers d
             set desk_code = i.to_desk_code, unit_code = i.to_unit_code, authority_agency_code = i.to_authority_agency_code, authority_unit_code = i.to_unit_code,
                 holder_agency_code = i.to_holder_agency_code, holder_username = null, version = d.version + 1, updated_at = ${now}
            from transition_plan_items i
           where i.id in ${ids} and d.id = i.dossier_id and d.desk_code = i.from_desk_code
             and d.status in ('received', 'in_processing', 'supplement_requested', 'processed')
          returning d.id, d.status, d.current_step, d.holder_role, d.step_started_at, d.due_at, d.desk_code, i.id as item_id,
                    i.from_desk_code, i.from_unit_code, i.from_authority_agency_code, i.from_holder_agency_code,
                    i.to_desk_code, i.to_unit_code, i.to_authority_agency_code, i.to_holder_agency_code, i.basis
        ), events as (
          insert into dossier_events (dossier_id, type, from_status, to_status, actor, at, data)
          select id, 'transferred', status, status, ${who}, ${now}, jsonb_build_object(
                   'from', jsonb_build_object('deskCode', from_desk_code, 'unitCode', from_unit_code, 'authorityAgencyCode', from_authority_agency_code, 'holderAgencyCode', from_holder_agency_code),
                   'to', jsonb_build_object('deskCode', to_desk_code, 'unitCode', to_unit_code, 'authorityAgencyCode', to_authority_agency_code, 'holderAgencyCode', to_holder_agency_code),
                   'basis', ${plan.basis}::text || '; ' || basis, 'planId', ${planId}::int, 'effectiveFrom', ${plan.effectiveFrom}::text)
            from moved
        ), slip as (
          insert into control_slip_lines (dossier_id, step_order, step_name, giver_agency_code, giver_username, receiver_agency_code,
                                          receiver_role, at, step_started_at, step_due_at, step_minutes_used, step_minutes_allotted, timeliness, note)
          select id, current_step, 'Chuyển giao hồ sơ do sắp xếp đơn vị hành chính', from_holder_agency_code, ${who}, to_holder_agency_code,
                 holder_role, ${now}, step_started_at, coalesce(due_at, ${now}), 0, 0, 'on_time', ${plan.basis}::text || '; ' || basis
            from moved
        )
        select id, due_at, desk_code from moved`);
      if (plan.appointmentExtensionDays > 0) {
        for (const r of rows.rows) {
          if (!r.due_at) continue; // paused: its budget is extended, the appointment follows when the clock resumes
          const calendar = await deps.calendar.forDesk(r.desk_code);
          const due = computeDueDate(calendar, { start: new Date(r.due_at).getTime(), amount: plan.appointmentExtensionDays, unit: 'working_day' }).dueAt;
          await tx.execute(sql`update dossiers set due_at = ${new Date(due)}, budget_minutes = budget_minutes + ${plan.appointmentExtensionDays * WORKING_DAY_MINUTES} where id = ${Number(r.id)}`);
        }
        const paused = rows.rows.filter((r) => !r.due_at).map((r) => Number(r.id));
        if (paused.length > 0) {
          await tx.execute(sql`update dossiers set budget_minutes = budget_minutes + ${plan.appointmentExtensionDays * WORKING_DAY_MINUTES} where id in ${paused}`);
        }
      }
      const movedIds = new Set(rows.rows.map((r) => Number(r.id)));
      const done = items.filter((i) => movedIds.has(i.dossierId)).map((i) => i.id);
      const gone = items.filter((i) => !movedIds.has(i.dossierId)).map((i) => i.id);
      if (done.length > 0) await tx.update(transitionPlanItems).set({ state: 'transferred', transferredAt: now }).where(inArray(transitionPlanItems.id, done));
      if (gone.length > 0) {
        await tx
          .update(transitionPlanItems)
          .set({ state: 'unplaced', basis: sql`'ended or moved before the plan was applied; was: ' || ${transitionPlanItems.basis}` })
          .where(inArray(transitionPlanItems.id, gone));
      }
      return done.length;
    });
    if (moved < 0) break;
    transferred += moved;
    batches++;
  }
  return finish(deps, planId, transferred, batches);
}

async function finish(deps: Deps, planId: number, transferred: number, batches: number): Promise<ApplyResult> {
  return deps.db.transaction(async (tx) => {
    const [plan] = await tx.select().from(transitionPlans).where(eq(transitionPlans.id, planId)).for('update');
    if (!plan) throw new DomainError('NOT_FOUND', `No transition plan ${planId}`);
    const counts = await tx.execute<{ state: string; n: number }>(
      sql`select state, count(*)::int n from transition_plan_items where plan_id = ${planId} group by state`,
    );
    const n = (state: string) => counts.rows.find((r) => r.state === state)?.n ?? 0;
    let rolesEnded = 0;
    let status = plan.status;
    if (n('placed') === 0) {
      const roleIds = plan.roles.map((r) => r.id);
      if (roleIds.length > 0) {
        const ended = await tx
          .update(staffRoles)
          .set({ endsOn: plan.effectiveFrom })
          .where(and(inArray(staffRoles.id, roleIds), isNull(staffRoles.endsOn)))
          .returning({ accountId: staffRoles.accountId });
        rolesEnded = ended.length;
        const accounts = [...new Set(ended.map((e) => e.accountId))];
        if (accounts.length > 0) {
          await tx.update(staffAccounts).set({ tokenVersion: sql`${staffAccounts.tokenVersion} + 1` }).where(inArray(staffAccounts.id, accounts));
        }
      }
      if (status !== 'applied') {
        status = 'applied';
        await tx.update(transitionPlans).set({ status, appliedAt: deps.now() }).where(eq(transitionPlans.id, planId));
      }
    }
    return { planId, transferred, batches, remaining: n('placed'), unplaced: n('unplaced'), rolesEnded, status };
  });
}
