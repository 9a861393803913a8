import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import type { Deps } from '../../src/deps.js';
import { CATALOGUE_SEED } from '../catalog/index.js';
import type { PoolClient } from 'pg';
import { isWorkingDay, localDateOf } from '../../src/domain/calendar/index.js';
import { columns, generateSegment, pendingColumns, placeInProvince, type Place, type Segment, type SimProcedure, type SimUnit } from './generate.js';
import { historyPlan, laterPlan } from './plan.js';
import { crossRestructuring } from './transition.js';
import { rebuildCounters } from '../../src/modules/quality/index.js';

export interface YearFigures {
  year: number;
  received: number;
  online: number;
  resolved: number;
  onTime: number;
  lateRate: number;
}

/**
 * The events of the simulated dossiers, as the acts would have written them: received; then complete (result
 * ready, with the working minutes used) and return_result, or stop / withdraw (none while still open). The
 * quality-index counters are built from them by rebuildCounters right after the load, so they are written as counted
 * already (marking millions of rows afterwards would rewrite every index of the table). `which` chooses the dossiers
 * (a condition on `d`); `endingsOnly` leaves out the received event (of a dossier received before an organisation
 * change and ended after it: its intake was written before the transfer, so that it counts where it happened).
 */
const simulatedEvents = (which: string, endingsOnly = false) => `
  insert into dossier_events (dossier_id, type, from_status, to_status, actor, at, data, counted_at)
  select d.id, e.type, e.from_status, e.to_status, 'simulator', e.at, e.data, now()
  from dossiers d
  left join sim_minutes m on m.code = d.code
  cross join lateral (values
    (case when not ${endingsOnly} then 'received' end, null, 'received', d.received_at, '{}'::jsonb),
    (case d.status when 'returned' then 'complete' when 'stopped' then 'stop' when 'withdrawn' then 'withdraw' end,
     'in_processing', case d.status when 'returned' then 'processed' else d.status end, d.ended_at,
     case when d.status = 'returned' then jsonb_build_object('resultReference', null, 'workingMinutesUsed', m.minutes) else '{}'::jsonb end),
    (case when d.status = 'returned' then 'return_result' end, 'processed', 'returned', d.returned_at, '{}'::jsonb)
  ) as e(type, from_status, to_status, at, data)
  where d.created_by = 'simulator' and (${which}) and e.type is not null`;

/** Rows in chunks of about a thousand: COPY is fed large writes, not one per row. */
async function* chunks(lines: Iterable<string>, size = 1000) {
  let buf: string[] = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length >= size) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

/** The report's table for the simulated years, as the stored (engine-judged) dossiers say. */
export async function yearFigures(deps: Deps): Promise<YearFigures[]> {
  const res = await deps.db.execute<{ year: number; received: string; online: string; resolved: string; on_time: string }>(sql`
    select extract(year from received_at at time zone 'Asia/Ho_Chi_Minh')::int as year,
      count(*) as received,
      count(*) filter (where channel = 'online') as online,
      count(*) filter (where status = 'returned') as resolved,
      count(*) filter (where status = 'returned' and timeliness in ('early', 'on_time')) as on_time
    from dossiers where created_by = 'simulator' group by 1 order by 1`);
  return res.rows.map((r) => {
    const resolved = Number(r.resolved);
    const onTime = Number(r.on_time);
    return { year: r.year, received: Number(r.received), online: Number(r.online), resolved, onTime, lateRate: resolved ? (resolved - onTime) / resolved : 0 };
  });
}

/** The organisation change the history crosses (Nghị quyết 1659/NQ-UBTVQH15): Quảng Nam before, Đà Nẵng from it. */
export const TWO_LEVEL_FROM = '2025-07-01';
/** Marks the dossiers of the city's units formed from old Đà Nẵng: their volume is generated, not from data. */
export const GENERATED_VOLUME_MARK = 'simulated volume: a unit formed from old Đà Nẵng (no data)';

export interface SimulateOptions {
  scale: number;
  replace: boolean;
  /** The last local day dossiers are received (default: yesterday by the deps' clock); at least 2023-12-31. */
  until?: string;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * The procedure versions in force on every day from `from` to `to` (local dates), by code: what the simulator draws
 * from for dossiers received in that stretch, each written with its version's id.
 */
async function proceduresThrough(deps: Deps, from: string, to: string): Promise<SimProcedure[]> {
  return (
    await deps.db.execute<SimProcedure & Record<string, unknown>>(sql`
      select p.id, p.code, p.level, p.field_code as "fieldCode", p.agency_code as "agencyCode", p.authority,
        p.time_amount as "timeAmount", p.time_unit as "timeUnit", p.cutoff_hour as "cutoffHour",
        p.supplement_policy as "supplementPolicy", (select count(*)::int from procedure_steps s where s.procedure_id = p.id) as steps
      from procedures p where p.valid_from <= ${from} and (p.valid_to is null or p.valid_to > ${to}) order by p.code`)
  ).rows;
}

/**
 * The city's placement from 2025-07-01, for the catalogue of that day: city-level versions at its centre (TT48),
 * decided by the agency the version names; commune-level versions at a commune centre (TX<code>), decided by the
 * commune's agency of the template the version names (or the city agency it names) (Nghị định 118/2025/NĐ-CP;
 * docs/domain.md §2a). A
 * unit is drawn in proportion to the old commune-level units it was formed from; those formed from old Đà Nẵng are
 * marked (their volume is generated).
 */
async function placeInCity(deps: Deps, on: string): Promise<{ place: Place; area: number }> {
  const units = (
    await deps.db.execute<{ code: string; level: string; weight: number; old_da_nang: boolean }>(sql`
      select u.code, u.level, (select count(*)::int from unit_predecessors p where p.unit_code = u.code and p.unit_valid_from = u.valid_from and p.predecessor_district_code is not null) as weight,
        coalesce((select bool_and(p.predecessor_province_code <> '49') from unit_predecessors p where p.unit_code = u.code and p.unit_valid_from = u.valid_from), false) as old_da_nang
      from units u where u.valid_from <= ${on} and (u.valid_to is null or u.valid_to > ${on}) order by u.code`)
  ).rows;
  const city = units.find((u) => u.level === 'province');
  if (!city) throw new Error(`no organisation in force on ${on}: start the service once (npm start) to load it`);
  const agencies = (
    await deps.db.execute<{ code: string; unit_code: string; template_code: string | null; serves: string[] }>(sql`
      select code, unit_code, template_code, serves from agencies where valid_from <= ${on} and (valid_to is null or valid_to > ${on})`)
  ).rows;
  const answering = new Map<string, string>();
  for (const a of agencies) for (const k of [a.template_code, ...a.serves]) if (k && !answering.has(`${a.unit_code}|${k}`)) answering.set(`${a.unit_code}|${k}`, a.code);
  const inForce = new Set(agencies.map((a) => a.code));
  // An agency the version names (a city department, a vertical-sector agency), else the agency of the dossier's unit
  // that the version's template names (COMM-KT…), else the city's (resolveAuthority's order, with no delegation:
  // none carries over to the catalogue of 2025-07-01).
  const agencyFor = (code: string, unit: string) => {
    const found = (inForce.has(code) ? code : undefined) ?? answering.get(`${unit}|${code}`) ?? answering.get(`${city.code}|${code}`);
    if (!found) throw new Error(`no agency of unit ${unit} or of the city answers for ${code} on ${on}`);
    return found;
  };
  const drawn: { code: string; marked?: string }[] = [];
  let quangNam = 0;
  for (const u of units) {
    if (u.level === 'province') continue;
    for (let i = 0; i < u.weight; i++) drawn.push({ code: u.code, ...(u.old_da_nang ? { marked: GENERATED_VOLUME_MARK } : {}) });
    if (!u.old_da_nang) quangNam += u.weight;
  }
  const place: Place = (level, p, rng) => {
    if (level === 'province') return { deskCode: `TT${city.code}`, unitCode: city.code, agency: agencyFor(p.agencyCode, city.code) };
    const u = rng.pick(drawn);
    return { deskCode: `TX${u.code}`, unitCode: u.code, agency: agencyFor(p.agencyCode, u.code), ...(u.marked ? { marked: u.marked } : {}) };
  };
  return { place, area: drawn.length / quangNam };
}

/**
 * Loads the simulated history: 2021-2023 as the report gives it (seeds/simulate/plan.ts), then, up to `until`,
 * 2024 and 2025 at 2023's volumes and rates in Quảng Nam, crossing the 2025-07-01 organisation change as a real
 * run would (the dossiers open on 2025-06-30 are written open, the transition plan is made and applied, then they
 * end at their new desk), and the city's units after it. Dossiers still open at the end of `until` stay open.
 * Up to 2025-06-30 in one transaction with COPY, the rest in a second one after the transition: a failure leaves
 * nothing of the failed step (`replace` loads again). Refuses to load twice unless `replace`, which first removes
 * the earlier simulated dossiers and the simulator's transition plan.
 */
export async function simulateHistory(deps: Deps, opts: SimulateOptions) {
  const started = performance.now();
  const today = localDateOf(deps.now().getTime());
  const until = opts.until ?? new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || until < '2023-12-31') throw new Error('--until must be a date (YYYY-MM-DD) on or after 2023-12-31');
  if (until >= today) throw new Error(`--until must be before today (${today})`);
  const [{ n } = { n: 0 }] = (await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from dossiers where created_by = 'simulator'`)).rows;
  if (n > 0 && !opts.replace) throw new Error(`${n} simulated dossiers are already loaded; run with --replace to load again`);
  // The generated catalogue up to 2025-06-30 (the 2021-2023 dossiers drawn from the same list, row for row, whatever
  // `until` is), the catalogue of 2025-07-01 after it.
  const procedures = await proceduresThrough(deps, '2021-01-01', minDate(until, '2025-06-30'));
  if (procedures.length === 0) throw new Error('no catalogue: start the service once (npm start) to load the reference data');
  const unitsOn = async (day: string) =>
    (
      await deps.db.execute<SimUnit & Record<string, unknown>>(
        sql`select code, level, parent_code as "parentCode" from units where valid_from <= ${day} and (valid_to is null or valid_to > ${day}) and level in ('province', 'district', 'commune') order by code`,
      )
    ).rows;
  const cal = await deps.calendar.forDesk();
  const workingDays = (from: string, to: string) => {
    let k = 0;
    for (let d = from; d <= to; d = nextDay(d)) if (isWorkingDay(cal, d)) k++;
    return k;
  };
  const days2023 = workingDays('2023-01-01', '2023-12-31');
  // Dossiers received by `until` and not ended by its end are open (as they would be, seen on the day after).
  const cut = Date.parse(`${nextDay(until)}T00:00:00+07:00`);
  const boundary = Date.parse(`${TWO_LEVEL_FROM}T00:00:00+07:00`);
  const crosses = until >= TWO_LEVEL_FROM;

  // Quảng Nam (units as in force during each stretch: the 2025-01-01 restructuring merged communes).
  const before: Segment[] = [];
  const units2022 = await unitsOn('2022-01-01');
  for (const year of historyPlan(opts.scale)) {
    before.push({ plan: year, seed: CATALOGUE_SEED + year.year, from: `${year.year}-01-01`, to: `${year.year}-12-31`, endBefore: `${year.year + 1}-01-01`, openFrom: Infinity, place: placeInProvince(units2022), procedures });
  }
  const later = (year: number, from: string, to: string, area: number, place: Place, openFrom: number, drawn: SimProcedure[], seed = CATALOGUE_SEED + year): Segment => ({
    plan: laterPlan(year, workingDays(from, to) / days2023, area, opts.scale),
    seed,
    from,
    to,
    endBefore: `${year + 1}-01-01`,
    openFrom,
    place,
    procedures: drawn,
  });
  if (until >= '2024-01-01') before.push(later(2024, '2024-01-01', minDate(until, '2024-12-31'), 1, placeInProvince(await unitsOn('2024-06-01')), cut, procedures));
  if (until >= '2025-01-01') before.push(later(2025, '2025-01-01', minDate(until, '2025-06-30'), 1, placeInProvince(await unitsOn('2025-01-01')), Math.min(cut, boundary), procedures));
  const after: Segment[] = [];
  if (crosses) {
    const city = await placeInCity(deps, TWO_LEVEL_FROM);
    const cityProcedures = await proceduresThrough(deps, TWO_LEVEL_FROM, until);
    if (!cityProcedures.some((p) => p.level === 'province') || !cityProcedures.some((p) => p.level === 'commune')) {
      throw new Error(`no catalogue of ${TWO_LEVEL_FROM} in force through ${until}: start the service once (npm start) to load it`);
    }
    // A seed of its own: the second half of 2025 is another draw than the first.
    after.push(later(2025, TWO_LEVEL_FROM, minDate(until, '2025-12-31'), city.area, city.place, cut, cityProcedures, CATALOGUE_SEED + 2025 * 2));
    for (let year = 2026; `${year}-01-01` <= until; year++) after.push(later(year, `${year}-01-01`, minDate(until, `${year}-12-31`), city.area, city.place, cut, cityProcedures));
  }

  const pending: string[] = [];
  const copySegments = async (client: PoolClient, segments: Segment[], pendingOut?: string[]) => {
    for (const segment of segments) {
      const minutes: string[] = [];
      const stream = client.query(copyFrom(`copy dossiers (${columns.join(', ')}) from stdin with (format csv)`));
      await pipeline(Readable.from(chunks(generateSegment(segment, cal, minutes, pendingOut))), stream);
      await pipeline(Readable.from(chunks(minutes)), client.query(copyFrom('copy sim_minutes (code, minutes) from stdin with (format csv)')));
    }
  };
  let copyMs = 0;
  let lastBefore = 0;
  await inTransaction(deps, async (client) => {
    if (n > 0) {
      await client.query(`delete from transition_plan_items where plan_id in (select id from transition_plans where created_by = 'simulator')`);
      await client.query(`delete from transition_plans where created_by = 'simulator'`);
      // Every row that refers to a simulated dossier (its events, control slip, and what a benchmark added: flags'
      // apologies, notices…), found from the foreign keys so that a table added later is not forgotten.
      const referring = await client.query<{ table: string; column: string }>(`
        select c.conrelid::regclass::text as table, a.attname as column from pg_constraint c
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
         where c.contype = 'f' and c.confrelid = 'dossiers'::regclass and c.conrelid <> 'dossiers'::regclass`);
      await client.query(`create temp table sim_gone on commit drop as select id from dossiers where created_by = 'simulator'`);
      for (const r of referring.rows) await client.query(`delete from ${r.table} where ${r.column} in (select id from sim_gone)`);
      await client.query(`delete from dossiers where id in (select id from sim_gone)`);
    }
    const copyStarted = performance.now();
    await copySegments(client, before, crosses ? pending : undefined);
    copyMs += performance.now() - copyStarted;
    await client.query(simulatedEvents('true'));
    lastBefore = Number((await client.query(`select coalesce(max(id), 0) as id from dossiers`)).rows[0].id);
  });

  let transition: Awaited<ReturnType<typeof crossRestructuring>> | null = null;
  if (crosses) {
    await deps.db.execute(sql`analyze dossiers`);
    transition = await crossRestructuring(deps, TWO_LEVEL_FROM);
    await inTransaction(deps, async (client) => {
      // The dossiers open on the change end as they were drawn to, at the desk they were moved to.
      await client.query(`create temp table sim_pending (${pendingColumns.map((c) => `${c} ${c.endsWith('_at') ? 'timestamptz' : c === 'minutes' ? 'int' : 'text'}`).join(', ')}) on commit drop`);
      await pipeline(Readable.from(chunks(pending)), client.query(copyFrom(`copy sim_pending (${pendingColumns.join(', ')}) from stdin with (format csv)`)));
      await client.query(`insert into sim_minutes (code, minutes) select code, minutes from sim_pending where minutes is not null`);
      await client.query(`update dossiers d set status = p.status, ended_at = p.ended_at, timeliness = p.timeliness, returned_at = p.returned_at,
          step_started_at = p.ended_at, holder_agency_code = d.desk_code, holder_role = null, holder_username = null
        from sim_pending p where d.code = p.code and d.created_by = 'simulator'`);
      const copyStarted = performance.now();
      await copySegments(client, after);
      copyMs += performance.now() - copyStarted;
      await client.query(simulatedEvents(`d.id <= ${lastBefore} and d.code in (select code from sim_pending)`, true));
      await client.query(simulatedEvents(`d.id > ${lastBefore}`));
    });
  }
  await deps.db.execute(sql`analyze dossiers`);
  await deps.db.execute(sql`analyze dossier_events`);
  // The quality-index counters, from all events (the simulated ones with the live ones).
  const counters = await rebuildCounters(deps);
  const [marked] = (await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from dossiers where created_by = 'simulator' and applicant->>'address' = ${GENERATED_VOLUME_MARK}`)).rows;
  const [open] = (await deps.db.execute<{ n: number }>(sql`select count(*)::int as n from dossiers where created_by = 'simulator' and ended_at is null`)).rows;
  return {
    rows: [...before, ...after].reduce((s, y) => s + y.plan.received, 0),
    until,
    ms: performance.now() - started,
    copyMs,
    counters,
    years: await yearFigures(deps),
    transition,
    generatedVolume: marked?.n ?? 0,
    openAtEnd: open?.n ?? 0,
  };
}

/** One transaction on one client, with the temporary table of the working minutes used. */
async function inTransaction(deps: Deps, work: (client: PoolClient) => Promise<void>) {
  const client = await deps.pool.connect();
  try {
    await client.query('begin');
    await client.query('create temp table sim_minutes (code text primary key, minutes int not null) on commit drop');
    await work(client);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
