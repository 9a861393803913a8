import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { scopesOn, unitMembers } from './facts.js';

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
  const { units } = await scopesOn(deps, q.to);
  const members = q.unit ? (unitMembers(units, true).get(q.unit) ?? [q.unit]) : null;
  const rows = (
    await deps.db.execute<{ key: string | null; received: string; online: string; resolved: string; on_time: string; late: string }>(sql`
      select ${sql.raw(GROUP_KEY[q.groupBy])} as key, sum(c.received) as received,
        sum(case when c.channel = 'online' then c.received else 0 end) as online, sum(c.resolved) as resolved,
        sum(c.resolved_early + c.resolved_on_time) as on_time, sum(c.resolved_late) as late
      from quality_counters c ${q.groupBy === 'level' ? sql`join procedures p on p.code = c.procedure_code` : sql``}
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
  return { from: q.from, to: q.to, groupBy: q.groupBy, unit: q.unit ?? null, rows: out, total: row('total', 'Tổng cộng', total) };
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
