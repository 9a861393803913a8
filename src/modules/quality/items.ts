import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { appointmentInForceSql } from '../../db/appointment-in-force.js';
import { DomainError } from '../../lib/errors.js';
import type { StaffActor } from '../../domain/actor.js';
import { scopeCondition } from '../dossiers/index.js';
import type { Scope } from './compute-index.js';
import { scopesOn, unitMembers } from './facts.js';
import { formulaFor } from './formulas.js';
import { parsePeriod } from './period.js';

const TZ = 'Asia/Ho_Chi_Minh';

/** Whether dossier `d` has an event matching `what` (over `e`) before `before`. */
const eventBy = (what: SQL, before: SQL) => sql`exists (select 1 from dossier_events e where e.dossier_id = d.id and ${what} and e.at < ${before})`;

/**
 * What lies behind an indicator's number (QĐ 766: every number drills down): the dossiers or procedures of its
 * denominator, each marked whether it counts in the numerator. Keyset pagination by id (dossiers) or code.
 * Dossiers are listed only within the caller's scope, by the same rule as the dossier list (DOMAIN.md §11:
 * another unit's dossier is not shown); the number itself stays public, the dossiers behind it do not.
 */
export async function indicatorItems(
  deps: Deps,
  who: StaffActor,
  indicator: string,
  scope: Scope,
  periodLabel: string,
  page: { cursor?: string; limit: number; version?: string },
) {
  const period = parsePeriod(periodLabel);
  const formula = await formulaFor(deps, period.to, page.version);
  const def = formula.definition.indicators.find((i) => i.id === indicator);
  if (!def) throw new DomainError('NOT_FOUND', `No indicator ${indicator} in formula ${formula.version}`);
  const rules = formula.definition.rules;
  const { units, agencies } = await scopesOn(deps, period.to);
  const named = scope.kind === 'unit' ? units.find((u) => u.code === scope.code) : agencies.find((a) => a.code === scope.code);
  if (!named) throw new DomainError(scope.kind === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND', `No ${scope.kind} ${scope.code} in force on ${period.to}`);

  const from = sql`(${period.from}::date)::timestamp at time zone ${TZ}`;
  const to = sql`least(${deps.now()}::timestamptz, (${period.to}::date + 1)::timestamp at time zone ${TZ})`;
  const toDay = sql`(${period.to}::date + 1)::timestamp at time zone ${TZ}`;
  const dossierScope =
    scope.kind === 'unit' ? sql`d.unit_code in ${unitMembers(units, rules.rollUpSubordinateUnits).get(scope.code) ?? [scope.code]}` : sql`d.authority_agency_code = ${scope.code}`;
  // scopeCondition names the unaliased table ("dossiers"."unit_code"), hence the correlated subquery on the key.
  const visible = sql`exists (select 1 from dossiers where dossiers.id = d.id and ${scopeCondition(who, await deps.provinceLevel())})`;
  const inTime = sql`(d.timeliness in ('early', 'on_time') ${rules.multipleSupplementsCountLate ? sql`and d.supplement_requests <= 1` : sql``})`;
  const resolvedIn = sql`d.status in ('processed', 'returned') and d.ended_at >= ${from} and d.ended_at < ${toDay}`;
  const receivedIn = sql`d.received_at >= ${from} and d.received_at < ${toDay}`;

  const dossierQueries: Record<string, { where: SQL; counted: SQL }> = {
    dossiers_in_time: {
      where: rules.judgeOpenDossiersAtPeriodEnd
        ? sql`((${resolvedIn}) or (d.received_at < ${to} and (d.ended_at is null or d.ended_at >= ${to})))`
        : resolvedIn,
      counted: sql`case when d.ended_at is not null and d.ended_at < ${to} then ${inTime} else ((${appointmentInForceSql(sql`d`, to)} is null or ${appointmentInForceSql(sql`d`, to)} >= ${to}) ${
        rules.multipleSupplementsCountLate ? sql`and (select count(*) from dossier_pauses p where p.dossier_id = d.id and p.paused_at < ${to}) <= 1` : sql``
      }) end`,
    },
    average_working_days: { where: resolvedIn, counted: sql`true` },
    dossiers_online: { where: receivedIn, counted: sql`d.channel = 'online'` },
    electronic_results: { where: sql`${resolvedIn} and coalesce(p.paper_result, true)`, counted: sql`d.result_reference is not null` },
    dossiers_digitised: {
      where: receivedIn,
      counted: sql`(jsonb_array_length(d.documents) > 0 and not jsonb_path_exists(d.documents, '$[*] ? (@.digitised == false)'))`,
    },
    // From the file acts' events (count-events.ts), by the period's end.
    electronic_result_files: { where: sql`${resolvedIn} and coalesce(p.paper_result, true)`, counted: eventBy(sql`e.type = 'result_file_attached'`, toDay) },
    dossiers_digitised_files: {
      where: receivedIn,
      counted: sql`(d.channel = 'online' or ${eventBy(sql`e.type = 'digitisation_recorded' and e.data->>'completes' = 'true'`, toDay)})`,
    },
    dossiers_reusing_data: { where: receivedIn, counted: eventBy(sql`e.type = 'file_reused'`, toDay) },
    satisfied_with_handling: {
      where: resolvedIn,
      counted: sql`(${inTime} and not exists (select 1 from ratings r where r.dossier_id = d.id and r.score = 'unsatisfied' and r.rated_at < ${toDay}))`,
    },
  };
  const limit = page.limit;
  const dq = dossierQueries[def.measure];
  if (dq) {
    const after = page.cursor ? Number(page.cursor) : 0;
    if (!Number.isSafeInteger(after) || after < 0) throw new DomainError('VALIDATION_FAILED', 'cursor: not a cursor given by this list');
    const rows = (
      await deps.db.execute<{ id: string; code: string; procedure_code: string; unit_code: string; channel: string; status: string; received_at: Date; due_at: Date | null; ended_at: Date | null; timeliness: string | null; counted: boolean }>(sql`
        select d.id, d.code, d.procedure_code, d.unit_code, d.channel, d.status, d.received_at, d.due_at, d.ended_at, d.timeliness, (${dq.counted}) as counted
        from dossiers d left join procedures p on p.id = d.procedure_id
        where ${dossierScope} and ${visible} and ${dq.where} and d.id > ${after}
        order by d.id limit ${limit + 1}`)
    ).rows;
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map((r) => ({
      kind: 'dossier' as const,
      code: r.code,
      procedureCode: r.procedure_code,
      unitCode: r.unit_code,
      channel: r.channel,
      status: r.status,
      receivedAt: new Date(r.received_at).toISOString(),
      dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
      endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
      timeliness: r.timeliness,
      counted: r.counted,
    }));
    return { indicator, formulaVersion: formula.version, period, items, nextCursor: more ? String(rows[limit - 1]!.id) : null };
  }

  // Procedure indicators: the catalogue in scope (as facts.ts defines it).
  const agency = scope.kind === 'agency' ? agencies.find((a) => a.code === scope.code)! : null;
  const levels = named.level === 'province' && scope.kind === 'unit' ? ['province', 'district', 'commune'] : named.level === 'district' && rules.rollUpSubordinateUnits ? ['district', 'commune'] : [named.level];
  const procScope = agency ? sql`p.agency_code in ${[agency.code, agency.templateCode ?? agency.code]}` : sql`p.level in ${levels}`;
  const usedOnline = sql`exists (select 1 from quality_counters c where c.procedure_id = p.id and c.channel = 'online' and c.received > 0
      and c.day between ${period.from} and ${period.to}
      and ${scope.kind === 'unit' ? sql`c.unit_code in ${unitMembers(units, rules.rollUpSubordinateUnits).get(scope.code) ?? [scope.code]}` : sql`c.agency_code = ${scope.code}`})`;
  const complete = sql`(jsonb_array_length(p.documents) > 0 and exists (select 1 from procedure_steps s where s.procedure_id = p.id))`;
  // The catalogue in force at the period's end (procedure versions: catalog/queries.ts).
  const inForceAtEnd = sql`p.valid_from <= ${period.to} and (p.valid_to is null or p.valid_to > ${period.to})`;
  const procedureQueries: Record<string, { where: SQL; counted: SQL }> = {
    procedures_published_complete: { where: sql`p.published_on_national_portal`, counted: complete },
    procedures_online: { where: sql`true`, counted: sql`p.online_level <> 'none'` },
    online_services_used: { where: sql`p.online_level <> 'none'`, counted: usedOnline },
  };
  const pq = procedureQueries[def.measure];
  if (!pq) throw new DomainError('NOT_FOUND', `Indicator ${indicator} is not measured by motcua (${def.measure}): nothing to list`);
  const rows = (
    await deps.db.execute<{ code: string; name: string; level: string; online_level: string; counted: boolean }>(sql`
      select p.code, p.name, p.level, p.online_level, (${pq.counted}) as counted from procedures p
      where ${procScope} and ${pq.where} and p.code > ${page.cursor ?? ''} and ${inForceAtEnd}
      order by p.code limit ${limit + 1}`)
  ).rows;
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => ({ kind: 'procedure' as const, code: r.code, name: r.name, level: r.level, onlineLevel: r.online_level, counted: r.counted }));
  return { indicator, formulaVersion: formula.version, period, items, nextCursor: more ? rows[limit - 1]!.code : null };
}
