import { sql } from 'drizzle-orm';
import { boundaryWithin, membersAcross, withPredecessors, type Boundary } from '../restructuring/index.js';
import type { Deps } from '../../deps.js';
import { appointmentInForceSql } from '../../db/appointment-in-force.js';
import { COUNTED_EVENT_TYPES, MEASURES } from './count-events.js';
import type { Period } from './period.js';
import { localDateOf } from '../../lib/local-date.js';

/** What the index is computed from, for one unit or agency in one period (sums of counters, plus snapshots). */
// A type alias (not an interface) so that it reads as a plain record of numbers in the response schema.
export type Facts = {
  received: number;
  receivedOnline: number;
  receivedDigitised: number;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  resolvedInTimeMultiSupplement: number;
  resolvedElectronic: number;
  resolvedPaperResult: number;
  resolvedWorkingMinutes: number;
  supplementRequests: number;
  stopped: number;
  withdrawn: number;
  rated: number;
  ratedNegative: number;
  /** From the file acts' events (formula versions measuring 4.1, 4.2 and 4.3 from files): see count-events.ts. */
  digitisedRecorded: number;
  resultFileAttached: number;
  reusedData: number;
  /** Dossiers received by the period's end and not ended then; and of them, those not yet past their appointment. */
  openAtEnd: number;
  openInTimeAtEnd: number;
  /** Of those in time, the ones asked for a supplement more than once by then (late by the formula's rule). */
  openInTimeMultiSupplementAtEnd: number;
  /** Procedures in scope: all, with an online service, published on the national portal (and with all parts). */
  procedures: number;
  proceduresOnline: number;
  proceduresPublished: number;
  proceduresPublishedComplete: number;
  /** Online services in scope that received at least one online dossier in the period. */
  onlineServicesUsed: number;
};

const COUNTER_SUMS = {
  received: 'received',
  receivedOnline: `case when channel = 'online' then received else 0 end`,
  receivedDigitised: 'received_digitised',
  resolved: 'resolved',
  resolvedEarly: 'resolved_early',
  resolvedOnTime: 'resolved_on_time',
  resolvedLate: 'resolved_late',
  resolvedInTimeMultiSupplement: 'resolved_in_time_multi_supplement',
  resolvedElectronic: 'resolved_electronic',
  resolvedPaperResult: 'resolved_paper_result',
  resolvedWorkingMinutes: 'resolved_working_minutes',
  supplementRequests: 'supplement_requests',
  stopped: 'stopped',
  withdrawn: 'withdrawn',
  rated: 'rated',
  ratedNegative: 'rated_negative',
  digitisedRecorded: 'digitised_recorded',
  resultFileAttached: 'result_file_attached',
  reusedData: 'reused_data',
} as const;
type CounterFact = keyof typeof COUNTER_SUMS;

export const emptyFacts = (): Facts => ({
  received: 0, receivedOnline: 0, receivedDigitised: 0, resolved: 0, resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0,
  resolvedInTimeMultiSupplement: 0, resolvedElectronic: 0, resolvedPaperResult: 0, resolvedWorkingMinutes: 0, supplementRequests: 0,
  stopped: 0, withdrawn: 0, rated: 0, ratedNegative: 0, digitisedRecorded: 0, resultFileAttached: 0, reusedData: 0, openAtEnd: 0, openInTimeAtEnd: 0, openInTimeMultiSupplementAtEnd: 0, procedures: 0, proceduresOnline: 0,
  proceduresPublished: 0, proceduresPublishedComplete: 0, onlineServicesUsed: 0,
});

export interface ScopeUnit {
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  parentCode: string | null;
}
export interface ScopeAgency {
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  unitCode: string;
  templateCode: string | null;
}

/** Units and agencies in force on a day (the period's last day: a restructured unit is scored under its new shape). */
export async function scopesOn(deps: Deps, day: string) {
  const units = (
    await deps.db.execute<ScopeUnit & Record<string, unknown>>(sql`
      select code, name, level, parent_code as "parentCode" from units
      where valid_from <= ${day} and (valid_to is null or valid_to > ${day}) order by code`)
  ).rows;
  const agencies = (
    await deps.db.execute<ScopeAgency & Record<string, unknown>>(sql`
      select code, name, level, unit_code as "unitCode", template_code as "templateCode" from agencies
      where valid_from <= ${day} and (valid_to is null or valid_to > ${day}) order by code`)
  ).rows;
  return { units, agencies };
}

/**
 * The dossier units whose dossiers count for each unit: itself, and (roll-up) a district's communes; the
 * province counts every unit's dossiers.
 */
export function unitMembers(units: ScopeUnit[], rollUp: boolean): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parentCode) children.set(u.parentCode, [...(children.get(u.parentCode) ?? []), u.code]);
  const members = new Map<string, string[]>();
  for (const u of units) {
    if (!rollUp) members.set(u.code, [u.code]);
    else if (u.level === 'province') members.set(u.code, units.map((x) => x.code));
    else members.set(u.code, [u.code, ...(children.get(u.code) ?? [])]);
  }
  return members;
}

/**
 * The old districts that ended inside a period, as scopes of their own ("area views", DOMAIN.md §2b): before the date
 * the district and (roll-up) its communes, from it the units formed from those communes. No unit formed from its
 * communes took a commune of another district (Nghị quyết 1659/NQ-UBTVQH15), so a reused code among them was one of
 * this district's communes and the union over the whole period counts nothing twice.
 */
function areaViews(b: Boundary, rollUp: boolean): { unit: ScopeUnit & Record<string, unknown>; members: string[] }[] {
  const out: { unit: ScopeUnit & Record<string, unknown>; members: string[] }[] = [];
  for (const [code, old] of b.before) {
    if (old.level !== 'district') continue;
    const area = membersAcross(b, code);
    if (!area) continue;
    const before = rollUp ? area.before : [code];
    out.push({ unit: { code, name: `${old.name} (địa bàn, đến ${b.effectiveFrom})`, level: 'district', parentCode: null }, members: [...new Set([...before, ...area.after])] });
  }
  return out;
}

/**
 * The facts of many scopes at once, set-based: the monthly counters of the period grouped by dossier unit and
 * by agency (one scan), the procedures used online likewise, the dossiers open at the period's end (judged then, or now for a period not yet over),
 * and the catalogue by level and agency. Scopes are then assembled in memory (roll-ups are sums).
 */
/**
 * A unit scored for a period before it was formed, as its predecessors together (one history, DOMAIN.md §2b): the
 * months of a series before the restructuring that formed the unit the series is of.
 */
export interface PredecessorView {
  unit: ScopeUnit;
  /** The organisation version that formed it. */
  boundary: Boundary;
}

export async function gatherFacts(deps: Deps, period: Period, rollUp: boolean, only?: { kind: 'unit' | 'agency'; codes: string[] }, view?: PredecessorView) {
  // Without PostgreSQL's JIT compilation: the planner prices the appointment probes of every dossier open at the
  // period's end above jit_above_cost, and compiling them took 0.25-0.5 s for a query that runs in 5-15 ms without
  // (1.1 s instead of 1.5-2 s for a mid-2023 end with 700 scopes open; EXPLAIN ANALYZE on the simulated history).
  // In a transaction (a savepoint when deps.db is one already) so that the setting ends with it.
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return gatherFactsWith({ ...deps, db: tx as unknown as Deps['db'] }, period, rollUp, only, view);
  });
}

async function gatherFactsWith(deps: Deps, period: Period, rollUp: boolean, only?: { kind: 'unit' | 'agency'; codes: string[] }, view?: PredecessorView) {
  const { units, agencies } = await scopesOn(deps, period.to);
  const members = unitMembers(units, rollUp);
  // A period spanning an organisation version (2025): a new unit's figures gather its predecessors' (DOMAIN.md §2b).
  const boundary = await boundaryWithin(deps.db, period.from, period.to);
  if (boundary) {
    for (const [code, list] of members) members.set(code, withPredecessors(boundary, code, list));
    for (const area of areaViews(boundary, rollUp)) {
      units.push(area.unit);
      members.set(area.unit.code, area.members);
    }
  }
  // A period before the unit was formed: its predecessors as they were then (a reused code, the old unit of that
  // code, is one of them and gives way to the new unit's name), with what they counted of the dossiers moved to it.
  if (view) {
    const gathered = new Set([view.unit.code]);
    for (const p of membersAcross(view.boundary, view.unit.code)?.before ?? []) for (const m of members.get(p) ?? [p]) gathered.add(m);
    const at = units.findIndex((u) => u.code === view.unit.code);
    if (at >= 0) units.splice(at, 1);
    units.push({ ...view.unit });
    members.set(view.unit.code, [...gathered]);
  }
  const wantedUnits = only?.kind === 'unit' ? new Set(only.codes.flatMap((c) => members.get(c) ?? [c])) : null;
  const wantedAgencies = only?.kind === 'agency' ? new Set(only.codes) : null;
  const unitFilter = wantedUnits ? sql`and unit_code in ${[...wantedUnits]}` : sql``;
  const agencyFilter = wantedAgencies ? sql`and agency_code in ${[...wantedAgencies]}` : sql``;
  const scopeFilter = only?.kind === 'unit' ? unitFilter : only?.kind === 'agency' ? agencyFilter : sql``;
  const sums = Object.entries(COUNTER_SUMS).map(([k, e]) => sql.raw(`sum(${e})::float8 as "${k}"`));

  // Periods are whole months: the monthly counters hold them (tens of thousands of rows a year, not a million).
  const byScope = await deps.db.execute<Record<string, unknown>>(sql`
    select grouping(unit_code) as by_agency, unit_code, agency_code, ${sql.join(sums, sql`, `)}
    from quality_counters_monthly
    where month between ${period.from} and ${period.to} ${scopeFilter}
    group by grouping sets ((unit_code), (agency_code))`);
  const onlineUse = await deps.db.execute<{ unit_code: string; agency_code: string; procedure_id: number }>(sql`
    select distinct unit_code, agency_code, procedure_id from quality_online_use
    where month between ${period.from} and ${period.to} and received > 0 ${scopeFilter}`);

  // Open at the period's end: received by then, not ended by then (the dossier's life, as a range, contains
  // that instant: a GiST index finds them without reading every dossier ended since); in time when the
  // appointment is not past (a paused clock is not running late).
  // The appointment in force at the period's end, not today's: a pause opened later does not rejudge a past period.
  // Likewise the unit and deciding agency then: a dossier a restructuring moved after the period's end was open at
  // the unit it was moved from (its first later transfer says which), not at today's.
  const DUE_THEN = appointmentInForceSql(sql`dossiers`, sql`bound.at`);
  // A period not yet over ends now, and no transfer is later than now: its open dossiers are not probed for one (the
  // open period is refreshed every few seconds).
  const ended = period.to < localDateOf(deps.now()) ? sql`true` : sql`false`;
  const open = await deps.db.execute<{ by_agency: number; unit_code: string; agency_code: string; open: string; in_time: string; in_time_multi: string }>(sql`
    with bound as (select least(${deps.now()}::timestamptz, (${period.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') as at),
    open_then as (
      select dossiers.*, coalesce(later.moved->>'unitCode', dossiers.unit_code) as unit_then,
        coalesce(later.moved->>'authorityAgencyCode', dossiers.authority_agency_code) as agency_then
      from dossiers cross join bound
        left join lateral (
          select t.data->'from' as moved from dossier_events t
          where ${ended} and t.dossier_id = dossiers.id and t.type = 'transferred' and t.at >= bound.at order by t.id limit 1
        ) later on true
      where tstzrange(dossiers.received_at, dossiers.ended_at, '[)') @> bound.at
    )
    select grouping(unit_then) as by_agency, unit_then as unit_code, agency_then as agency_code, count(*) as open,
      count(*) filter (where ${DUE_THEN} is null or ${DUE_THEN} >= bound.at) as in_time,
      count(*) filter (where (${DUE_THEN} is null or ${DUE_THEN} >= bound.at) and supplement_requests > 1
        and (select count(*) from dossier_pauses p where p.dossier_id = dossiers.id and p.paused_at < bound.at) > 1) as in_time_multi
    from open_then dossiers, bound
    where true
      ${only?.kind === 'unit' ? sql`and unit_then in ${[...wantedUnits!]}` : sql``}
      ${only?.kind === 'agency' ? sql`and agency_then in ${[...wantedAgencies!]}` : sql``}
    group by grouping sets ((unit_then), (agency_then))`);

  const movedAt = boundary ?? view?.boundary;
  const moved = movedAt ? await movedBefore(deps, movedAt, period, wantedUnits) : [];

  // The catalogue in force at the period's end (procedure versions); procedures used online are counted by version.
  const catalogue = await deps.db.execute<{ id: number; code: string; level: string; agency_code: string; online: boolean; published: boolean; complete: boolean }>(sql`
    select p.id, p.code, p.level, p.agency_code, p.online_level <> 'none' as online, p.published_on_national_portal as published,
      (jsonb_array_length(p.documents) > 0 and p.time_amount >= 0 and exists (select 1 from procedure_steps s where s.procedure_id = p.id)) as complete
    from procedures p where p.valid_from <= ${period.to} and (p.valid_to is null or p.valid_to > ${period.to})`);

  const dossierUnitFacts = new Map<string, { facts: Facts; online: Set<number> }>();
  const dossierAgencyFacts = new Map<string, { facts: Facts; online: Set<number> }>();
  const slot = (m: typeof dossierUnitFacts, code: string) => {
    let s = m.get(code);
    if (!s) m.set(code, (s = { facts: emptyFacts(), online: new Set() }));
    return s;
  };
  for (const r of byScope.rows) {
    const target = Number(r.by_agency) === 1 ? slot(dossierAgencyFacts, String(r.agency_code)) : slot(dossierUnitFacts, String(r.unit_code));
    for (const k of Object.keys(COUNTER_SUMS) as CounterFact[]) target.facts[k] += Number(r[k] ?? 0);
  }
  for (const r of onlineUse.rows) {
    slot(dossierUnitFacts, r.unit_code).online.add(Number(r.procedure_id));
    slot(dossierAgencyFacts, r.agency_code).online.add(Number(r.procedure_id));
  }
  for (const r of open.rows) {
    const target = Number(r.by_agency) === 1 ? slot(dossierAgencyFacts, r.agency_code) : slot(dossierUnitFacts, r.unit_code);
    target.facts.openAtEnd += Number(r.open);
    target.facts.openInTimeAtEnd += Number(r.in_time);
    target.facts.openInTimeMultiSupplementAtEnd += Number(r.in_time_multi);
  }

  // The catalogue's counts per set of levels and per agency, once per call rather than once per scope (a scan of
  // 1,817 procedures for each of 700-odd scopes held the event loop for a tenth of a second), and the procedures
  // by code, so that 3.2 looks up the procedures used online instead of filtering the catalogue again.
  type Proc = (typeof catalogue.rows)[number];
  const byId = new Map<number, Proc>(catalogue.rows.map((p) => [Number(p.id), p]));
  const byAgency = new Map<string, Proc[]>();
  for (const p of catalogue.rows) {
    const list = byAgency.get(p.agency_code);
    if (list) list.push(p);
    else byAgency.set(p.agency_code, [p]);
  }
  const counts = (procs: Proc[]) => ({
    procedures: procs.length,
    proceduresOnline: procs.filter((p) => p.online).length,
    proceduresPublished: procs.filter((p) => p.published).length,
    proceduresPublishedComplete: procs.filter((p) => p.published && p.complete).length,
  });
  const byLevels = new Map<string, ReturnType<typeof counts>>();
  const withCatalogue = (f: Facts, c: ReturnType<typeof counts>, online: Set<number>, inScope: (p: Proc) => boolean) => {
    Object.assign(f, c);
    let used = 0;
    for (const id of online) {
      const p = byId.get(id);
      if (p && p.online && inScope(p)) used++;
    }
    f.onlineServicesUsed = used;
    return f;
  };

  const unitFacts = new Map<string, Facts>();
  for (const u of units) {
    if (only?.kind === 'agency' || (only && !only.codes.includes(u.code))) continue;
    const f = emptyFacts();
    const online = new Set<number>();
    const own = members.get(u.code) ?? [u.code];
    for (const m of own) {
      const s = dossierUnitFacts.get(m);
      if (!s) continue;
      for (const k of Object.keys(f) as (keyof Facts)[]) f[k] += s.facts[k];
      for (const p of s.online) online.add(p);
    }
    // Dossiers moved in by the transition from a unit this scope does not gather (a district's desk or office): their
    // events before the move count here too; those moved from a unit it gathers are counted already, once.
    for (const m of moved) {
      if (!own.includes(m.toUnit) || own.includes(m.fromUnit)) continue;
      for (const k of Object.keys(COUNTER_SUMS) as CounterFact[]) f[k] += m.facts[k];
    }
    const levels = u.level === 'province' ? ['province', 'district', 'commune'] : u.level === 'district' && rollUp ? ['district', 'commune'] : [u.level];
    const key = levels.join();
    if (!byLevels.has(key)) byLevels.set(key, counts(catalogue.rows.filter((p) => levels.includes(p.level))));
    unitFacts.set(u.code, withCatalogue(f, byLevels.get(key)!, online, (p) => levels.includes(p.level)));
  }
  const agencyFacts = new Map<string, Facts>();
  for (const a of agencies) {
    if (only?.kind === 'unit' || (only && !only.codes.includes(a.code))) continue;
    const s = dossierAgencyFacts.get(a.code);
    const f = s ? { ...s.facts } : emptyFacts();
    const procs = [...(byAgency.get(a.code) ?? []), ...(a.templateCode && a.templateCode !== a.code ? (byAgency.get(a.templateCode) ?? []) : [])];
    agencyFacts.set(a.code, withCatalogue(f, counts(procs), s?.online ?? new Set(), (p) => p.agency_code === a.code || p.agency_code === a.templateCode));
  }
  return { units, agencies, unitFacts, agencyFacts, boundary };
}

/**
 * The counted events, inside the period, of the dossiers the transition of `b` moved, from before their move (counted
 * under the unit they were moved from: count-events.ts), summed per unit moved from and to. One history (DOMAIN.md
 * §2b): a dossier received at a district's desk in June 2025 and moved to a new commune-level unit belongs to that
 * unit's 2025 figures from its intake on.
 */
async function movedBefore(deps: Deps, b: Boundary, period: Period, wantedUnits: Set<string> | null) {
  const measures = Object.entries(MEASURES).map(([k, e]) => sql.raw(`${e} as ${k}`));
  const sums = Object.entries(COUNTER_SUMS).map(([k, e]) => sql.raw(`sum(${e})::float8 as "${k}"`));
  const rows = await deps.db.execute<Record<string, unknown> & { to_unit: string; from_unit: string }>(sql`
    select to_unit, from_unit, ${sql.join(sums, sql`, `)} from (
      select t.data->'to'->>'unitCode' as to_unit, t.data->'from'->>'unitCode' as from_unit, d.channel, ${sql.join(measures, sql`, `)}
      from dossier_events t join dossiers d on d.id = t.dossier_id
        join dossier_events b on b.dossier_id = t.dossier_id and b.id < t.id and b.counted_at is not null
          and b.type in ${COUNTED_EVENT_TYPES}
        left join procedures p on p.id = d.procedure_id
      where t.type = 'transferred' and t.data->>'effectiveFrom' = ${b.effectiveFrom}
        ${wantedUnits ? sql`and t.data->'to'->>'unitCode' in ${[...wantedUnits]}` : sql``}
        and (b.at at time zone 'Asia/Ho_Chi_Minh')::date between ${period.from} and ${period.to}
    ) c group by 1, 2`);
  return rows.rows.map((r) => {
    const facts = emptyFacts();
    for (const k of Object.keys(COUNTER_SUMS) as CounterFact[]) facts[k] = Number(r[k] ?? 0);
    return { toUnit: r.to_unit, fromUnit: r.from_unit, facts };
  });
}
