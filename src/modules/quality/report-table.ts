import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { scopesOn, unitMembers } from './facts.js';
import { acrossOf, attributedUnit, boundaryWithin, membersAcross, type Boundary } from '../restructuring/index.js';

export type GroupBy = 'year' | 'unit' | 'level' | 'field';

export interface ReportRow {
  key: string;
  label: string;
  received: number;
  receivedOnline: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Late ÷ resolved, in percent with two decimals; null when nothing was resolved. */
  lateRatePercent: number | null;
}

const GROUP_KEY: Record<GroupBy, string> = {
  year: `extract(year from c.day)::text`,
  unit: `c.unit_code`,
  level: `p.level`,
  field: `c.field_code`,
};

/**
 * The province's report table (DOMAIN.md §10; report 2.3.2): dossiers received (online), resolved, resolved on
 * time (early or on time) and the late rate, for any period, grouped by year, unit, level or field, optionally
 * within one unit (with its communes). From the counters, so it reads the same as the index.
 */
export async function reportTable(deps: Deps, q: { from: string; to: string; groupBy: GroupBy; unit?: string }) {
  // A period spanning an organisation version (2025 across 2025-07-01): one history, old units under the new ones.
  const boundary = q.groupBy === 'unit' || q.unit ? await boundaryWithin(deps.db, q.from, q.to) : null;
  if (boundary) return reportAcross(deps, q, boundary);
  const { units } = await scopesOn(deps, q.to);
  const members = q.unit ? (unitMembers(units, true).get(q.unit) ?? [q.unit]) : null;
  const rows = (
    await deps.db.execute<{ key: string | null; received: string; online: string; resolved: string; on_time: string; late: string }>(sql`
      select ${sql.raw(GROUP_KEY[q.groupBy])} as key, sum(c.received) as received,
        sum(case when c.channel = 'online' then c.received else 0 end) as online, sum(c.resolved) as resolved,
        sum(c.resolved_early + c.resolved_on_time) as on_time, sum(c.resolved_late) as late
      from quality_counters c ${q.groupBy === 'level' ? sql`join procedures p on p.id = c.procedure_id` : sql``}
      where c.day between ${q.from} and ${q.to} ${members ? sql`and c.unit_code in ${members}` : sql``}
      group by 1 order by 1`)
  ).rows;
  const names = new Map<string, string>();
  if (q.groupBy === 'unit') for (const u of units) names.set(u.code, u.name);
  if (q.groupBy === 'field') for (const f of (await deps.db.execute<{ code: string; name: string }>(sql`select code, name from fields`)).rows) names.set(f.code, f.name);
  if (q.groupBy === 'level') for (const [k, v] of Object.entries({ province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã' })) names.set(k, v);
  const out: ReportRow[] = rows.map((r) => row(r.key ?? '', names.get(r.key ?? '') ?? r.key ?? '', r));
  const total = out.reduce(
    (t, r) => ({ received: t.received + r.received, online: t.online + r.receivedOnline, resolved: t.resolved + r.resolved, on_time: t.on_time + r.resolvedOnTime, late: t.late + r.resolvedLate }),
    { received: 0, online: 0, resolved: 0, on_time: 0, late: 0 },
  );
  return { from: q.from, to: q.to, groupBy: q.groupBy, unit: q.unit ?? null, rows: out, total: row('total', 'Tổng cộng', total), acrossRestructuring: null };
}

type Sums = { received: number; online: number; resolved: number; on_time: number; late: number };
const addTo = (t: Sums, r: Pick<Record<keyof Sums, string | number>, keyof Sums>) => {
  for (const k of ['received', 'online', 'resolved', 'on_time', 'late'] as const) t[k] += Number(r[k]);
};

/**
 * The table for a period spanning a restructuring: before the date an old unit's dossiers count for the unit it
 * became (the first, flagged, when it was split); `unit=` a new unit gathers its predecessors before the date, `unit=`
 * an old district (no longer in force) is its area view (its communes before, the units formed from them after).
 */
async function reportAcross(deps: Deps, q: { from: string; to: string; groupBy: GroupBy; unit?: string }, b: Boundary) {
  const scope = q.unit ? membersAcross(b, q.unit) : null;
  const filter = scope
    ? sql`and ((c.day < ${b.effectiveFrom} and c.unit_code in ${[...scope.before, '']}) or (c.day >= ${b.effectiveFrom} and c.unit_code in ${[...scope.after, '']}))`
    : sql``;
  const rows = (
    await deps.db.execute<{ key: string | null; unit_code: string; before: boolean; received: string; online: string; resolved: string; on_time: string; late: string }>(sql`
      select ${sql.raw(GROUP_KEY[q.groupBy])} as key, c.unit_code, c.day < ${b.effectiveFrom} as before, sum(c.received) as received,
        sum(case when c.channel = 'online' then c.received else 0 end) as online, sum(c.resolved) as resolved,
        sum(c.resolved_early + c.resolved_on_time) as on_time, sum(c.resolved_late) as late
      from quality_counters c ${q.groupBy === 'level' ? sql`join procedures p on p.id = c.procedure_id` : sql``}
      where c.day between ${q.from} and ${q.to} ${filter}
      group by 1, 2, 3 order by 1`)
  ).rows;
  if (scope && q.unit && b.after.has(q.unit)) {
    // Dossiers received before the date under a unit that is not a predecessor (a district's desk or office) and
    // moved to this unit by the transition: their intake belongs to this unit's history too.
    const key = { year: `extract(year from (e.at at time zone 'Asia/Ho_Chi_Minh'))::text`, unit: `t.data->'to'->>'unitCode'`, level: `p.level`, field: `d.field_code` }[q.groupBy];
    const moved = await deps.db.execute<{ key: string; received: string; online: string }>(sql`
      select ${sql.raw(key)} as key, count(*) as received, count(*) filter (where d.channel = 'online') as online
      from dossier_events t join dossiers d on d.id = t.dossier_id join procedures p on p.id = d.procedure_id
        join dossier_events e on e.dossier_id = t.dossier_id and e.type = 'received'
      where t.type = 'transferred' and t.data->>'effectiveFrom' = ${b.effectiveFrom} and t.data->'to'->>'unitCode' in ${[...scope.after, '']}
        and not (t.data->'from'->>'unitCode' in ${[...scope.before, '']})
        and (e.at at time zone 'Asia/Ho_Chi_Minh')::date between ${q.from} and ${q.to}
        and (e.at at time zone 'Asia/Ho_Chi_Minh')::date < ${b.effectiveFrom}
      group by 1`);
    for (const m of moved.rows) rows.push({ key: m.key, unit_code: q.unit, before: false, received: m.received, online: m.online, resolved: '0', on_time: '0', late: '0' });
  }
  const flagged = new Map<string, { code: string; name: string; note: string }>();
  for (const f of scope?.flagged ?? []) flagged.set(f.code, f);
  const sums = new Map<string, Sums>();
  for (const r of rows) {
    let key = r.key ?? '';
    if (q.groupBy === 'unit' && r.before) {
      const to = attributedUnit(b, r.unit_code);
      if (to.split) flagged.set(r.unit_code, { code: r.unit_code, name: b.before.get(r.unit_code)?.name ?? r.unit_code, note: `split: counted once, under ${to.code}` });
      key = to.code;
    }
    const t = sums.get(key) ?? { received: 0, online: 0, resolved: 0, on_time: 0, late: 0 };
    addTo(t, r);
    sums.set(key, t);
  }
  // By unit: every split predecessor of the new units, held here or not (Xã Hòa Liên was old Đà Nẵng's), once.
  if (q.groupBy === 'unit' && !scope) for (const code of b.after.keys()) for (const f of acrossOf(b, code).flagged) flagged.set(f.code, f);
  const names = new Map<string, string>();
  for (const [code, u] of b.before) names.set(code, `${u.name} (đến ${b.effectiveFrom})`);
  for (const [code, name] of b.after) names.set(code, name);
  if (q.groupBy === 'field') for (const f of (await deps.db.execute<{ code: string; name: string }>(sql`select code, name from fields`)).rows) names.set(f.code, f.name);
  if (q.groupBy === 'level') for (const [k, v] of Object.entries({ province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã' })) names.set(k, v);
  const out = [...sums].sort(([a], [b2]) => a.localeCompare(b2)).map(([key, t]) => row(key, names.get(key) ?? key, t));
  const total = { received: 0, online: 0, resolved: 0, on_time: 0, late: 0 };
  for (const t of sums.values()) addTo(total, t);
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    unit: q.unit ?? null,
    rows: out,
    total: row('total', 'Tổng cộng', total),
    acrossRestructuring: { effectiveFrom: b.effectiveFrom, areaView: scope !== null && !b.after.has(q.unit ?? ''), flagged: [...flagged.values()] },
  };
}

function row(key: string, label: string, r: { received: string | number; online: string | number; resolved: string | number; on_time: string | number; late: string | number }): ReportRow {
  const resolved = Number(r.resolved);
  const late = Number(r.late);
  return {
    key,
    label,
    received: Number(r.received),
    receivedOnline: Number(r.online),
    resolved,
    resolvedOnTime: Number(r.on_time),
    resolvedLate: late,
    lateRatePercent: resolved ? Math.round((10000 * late) / resolved) / 100 : null,
  };
}

/** The same table as CSV (RFC 4180, UTF-8 with BOM so that spreadsheet programs read the Vietnamese right). */
export function reportCsv(t: Awaited<ReturnType<typeof reportTable>>): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['key', 'label', 'received', 'received_online', 'resolved', 'resolved_on_time', 'resolved_late', 'late_rate_percent'];
  const lines = [...t.rows, t.total].map((r) => [r.key, r.label, r.received, r.receivedOnline, r.resolved, r.resolvedOnTime, r.resolvedLate, r.lateRatePercent].map(cell).join(','));
  return '\ufeff' + [header.join(','), ...lines].join('\r\n') + '\r\n';
}
