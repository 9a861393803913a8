import figures from '../data/report-figures.json' with { type: 'json' };

/**
 * The yearly targets of the 2021-2023 history (report 2.3.2, fn 27). The report gives the three-year totals
 * (received 1,273,706, online 441,909, resolved 1,151,470, on time 1,017,300) and the late rate of each year
 * (20.78 %, 11.44 %, 6.74 % of resolved dossiers), not the yearly volumes. The resolved dossiers of 2022 are fixed
 * at 384,000 (about the 425,000 a year of the brief, less the unresolved); the two other years then follow from
 * the totals and the rates, exactly in whole dossiers. Unresolved dossiers (stopped or withdrawn) and online ones
 * are spread over the years in proportion. `scale` shrinks everything for tests (rounding year by year).
 */
export interface YearPlan {
  year: number;
  received: number;
  online: number;
  resolved: number;
  late: number;
  unresolved: number;
}

const RESOLVED_2022 = 384_000;

export function historyPlan(scale = 1): YearPlan[] {
  const d = figures.dossiers_2021_2023;
  const rate = d.late_rate_by_year as Record<string, number>;
  const r1 = rate['2021']!;
  const r2 = rate['2022']!;
  const r3 = rate['2023']!;
  const lateTotal = d.resolved - d.resolved_on_time;
  // r1·R1 + r2·R2 + r3·R3 = late, R1 + R2 + R3 = resolved, R2 fixed.
  const R1 = Math.round((lateTotal - r2 * RESOLVED_2022 - r3 * (d.resolved - RESOLVED_2022)) / (r1 - r3));
  const resolved = [R1, RESOLVED_2022, d.resolved - R1 - RESOLVED_2022];
  const late = [Math.round(r1 * resolved[0]!), Math.round(r2 * resolved[1]!), 0];
  late[2] = lateTotal - late[0]! - late[1]!;
  const unresolvedTotal = d.received - d.resolved;
  const unresolved = resolved.map((r) => Math.round((unresolvedTotal * r) / d.resolved));
  unresolved[2] = unresolvedTotal - unresolved[0]! - unresolved[1]!;
  const received = resolved.map((r, i) => r + unresolved[i]!);
  const online = received.map((r) => Math.round((d.received_online * r) / d.received));
  online[2] = d.received_online - online[0]! - online[1]!;
  return [2021, 2022, 2023].map((year, i) => {
    const s = (n: number) => Math.round(n * scale);
    const res = s(resolved[i]!);
    const un = s(unresolved[i]!);
    return { year, received: res + un, online: Math.min(res + un, s(online[i]!)), resolved: res, late: s(late[i]!), unresolved: un };
  });
}

/**
 * The volumes of a stretch after 2023, for which the province published no figures: 2023's (the last year the
 * report gives) at the same rates (online share, resolved share, late rate), in proportion to the stretch's working
 * days (`share` of 2023's) and to the area it covers (`area`: 1 for Quảng Nam, more when the city's units formed from
 * old Đà Nẵng are added, seeds/README.md). Rounded in whole dossiers.
 */
export function laterPlan(year: number, share: number, area: number, scale = 1): YearPlan {
  const base = historyPlan(scale).find((y) => y.year === 2023)!;
  const f = share * area;
  const received = Math.round(base.received * f);
  const resolved = Math.round((base.resolved / base.received) * received);
  return {
    year,
    received,
    online: Math.round((base.online / base.received) * received),
    resolved,
    late: Math.round((base.late / base.resolved) * resolved),
    unresolved: received - resolved,
  };
}
