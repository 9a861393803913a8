import { sql, type SQL } from 'drizzle-orm';

/**
 * A dossier's appointment as it stood at instant `at`, from its pause ledger (DOMAIN.md §5: the due date is derived
 * from the budget and the pauses, and the ledger keeps the history; `due_before` is the appointment in force when a
 * pause began):
 *  - a pause covering `at`: null, the clock was stopped, unless the pause began after the appointment had passed
 *    under policy `pause`, which keeps it (request-supplement.ts): then that appointment;
 *  - else the appointment in force when the first pause after `at` began, since that pause and any later one may
 *    have moved or cleared it;
 *  - else today's `due_at`.
 * A past period is judged by this, so that a pause opened after it does not change its score. `dossier` is the
 * alias (or table name) of the dossiers row in the caller's query.
 */
export function appointmentInForceSql(dossier: SQL, at: SQL): SQL {
  return sql`(coalesce(
    (select array[case when ${dossier}.supplement_policy = 'pause' and lp.due_before <= lp.paused_at then lp.due_before end]
      from dossier_pauses lp where lp.dossier_id = ${dossier}.id and lp.paused_at <= ${at} and (lp.resumed_at is null or lp.resumed_at > ${at})
      order by lp.paused_at desc limit 1),
    (select array[lp.due_before] from dossier_pauses lp where lp.dossier_id = ${dossier}.id and lp.paused_at > ${at} and lp.due_before is not null
      order by lp.paused_at limit 1),
    array[${dossier}.due_at]
  ))[1]`;
}
