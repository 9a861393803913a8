import type { AgencyRow, DeskRow, UnitRow } from '../../db/schema/index.js';
import { unitOfDesk } from '../../domain/dossier/desk-code.js';

/**
 * Where an open dossier goes when the organisation changes on `on` (pure; the caller loads the organisation):
 * - a provincial procedure: to the new province-level unit's centre, decided by the department that answers for the
 *   old one (`agencies.serves`);
 * - a dossier of a commune: to the centre of the unit the commune became (Nghị quyết 1659/NQ-UBTVQH15); a commune
 *   split between several units cannot be placed from the data;
 * - a dossier of a district (its desk or its offices): the district level no longer exists and its procedures are
 *   decided in a commune, which the data does not determine: the plan's rule for that district, else the new unit
 *   named after the district (Thành phố Tam Kỳ → Phường Tam Kỳ), else it cannot be placed.
 * The deciding and holding agencies follow: the agency of the new unit (or province) answering for the old one's
 * template or code; the desk holding it becomes the new centre.
 */
export interface OrgSnapshot {
  on: string;
  /** Unit versions that ended on `on`, by code. */
  closingUnits: Map<string, UnitRow>;
  /** Units valid on `on`, by code. */
  openUnits: Map<string, UnitRow>;
  /** Successors (new unit codes) of each closing unit, with the partial flag. */
  successors: Map<string, { code: string; partial: string | null; basis: string }[]>;
  /** Desks valid on `on`, by unit code. */
  desksByUnit: Map<string, DeskRow>;
  /** Agencies that ended on `on`, by code. */
  closingAgencies: Map<string, AgencyRow>;
  /** Agencies valid on `on`. */
  openAgencies: AgencyRow[];
  /** The province-level unit valid on `on`. */
  province: UnitRow;
}

export interface OpenDossier {
  id: number;
  code: string;
  procedureLevel: string;
  deskCode: string;
  unitCode: string;
  authorityAgencyCode: string;
  holderAgencyCode: string;
}

export type Destination =
  | { placed: true; unitCode: string; deskCode: string; authorityAgencyCode: string; holderAgencyCode: string; basis: string }
  | { placed: false; basis: string };

const bareName = (name: string) => name.replace(/^(Thành phố|Thị xã|Huyện|Quận|Phường|Xã|Thị trấn|Đặc khu)\s+/u, '').trim();

/** The new unit a closing district's own dossiers go to, by rule or by the district's name; undefined if neither. */
export function districtDestination(org: OrgSnapshot, districtCode: string, rules: Record<string, string>): { unit: string; basis: string } | undefined {
  const ruled = rules[districtCode];
  if (ruled) return { unit: ruled, basis: `the plan's rule for district ${districtCode}` };
  const m = memoOf(org);
  if (!m.districts.has(districtCode)) m.districts.set(districtCode, namedAfter(org, districtCode));
  return m.districts.get(districtCode);
}

function namedAfter(org: OrgSnapshot, districtCode: string): { unit: string; basis: string } | undefined {
  const district = org.closingUnits.get(districtCode);
  if (!district) return undefined;
  const formedFromIt = new Set<string>();
  for (const u of org.closingUnits.values()) {
    if (u.level === 'commune' && u.parentCode === districtCode) for (const s of org.successors.get(u.code) ?? []) formedFromIt.add(s.code);
  }
  const named = [...formedFromIt].filter((c) => bareName(org.openUnits.get(c)?.name ?? '') === bareName(district.name));
  if (named.length === 1) return { unit: named[0]!, basis: `default rule: the unit named after ${district.name}` };
  return undefined;
}

/** Per snapshot: open agencies by unit, and the answers already found (a plan asks the same few thousand questions). */
const memo = new WeakMap<OrgSnapshot, { byUnit: Map<string, AgencyRow[]>; found: Map<string, AgencyRow | undefined>; districts: Map<string, { unit: string; basis: string } | undefined> }>();
function memoOf(org: OrgSnapshot) {
  let m = memo.get(org);
  if (!m) {
    const byUnit = new Map<string, AgencyRow[]>();
    for (const a of org.openAgencies) byUnit.set(a.unitCode, [...(byUnit.get(a.unitCode) ?? []), a]);
    m = { byUnit, found: new Map(), districts: new Map() };
    memo.set(org, m);
  }
  return m;
}

/** The agency of `unit` (or of the province) answering for an old agency: same template, or `serves` it. */
export function successorAgency(org: OrgSnapshot, oldCode: string, unit: string): AgencyRow | undefined {
  const m = memoOf(org);
  const key = `${oldCode}|${unit}`;
  if (m.found.has(key)) return m.found.get(key);
  const old = org.closingAgencies.get(oldCode);
  const keys = [old?.templateCode, oldCode].filter((k): k is string => !!k);
  let result: AgencyRow | undefined;
  search: for (const u of [unit, org.province.code]) {
    const here = m.byUnit.get(u) ?? [];
    for (const k of keys) {
      result = here.find((a) => a.templateCode === k) ?? here.find((a) => a.serves.includes(k));
      if (result) break search;
    }
  }
  m.found.set(key, result);
  return result;
}

export function destinationOf(org: OrgSnapshot, d: OpenDossier, rules: Record<string, string>): Destination {
  const unit = org.closingUnits.get(d.unitCode);
  let target: { unit: string; basis: string } | undefined;
  if (d.procedureLevel === 'province') {
    target = { unit: org.province.code, basis: `provincial procedure: ${org.province.name}` };
  } else if (!unit) {
    return { placed: false, basis: `unit ${d.unitCode} of the dossier did not end on ${org.on}` };
  } else if (unit.level === 'commune') {
    const next = org.successors.get(unit.code) ?? [];
    if (next.length === 0) return { placed: false, basis: `${unit.name} (${unit.code}) has no successor in the data` };
    if (next.length > 1) {
      return { placed: false, basis: `${unit.name} (${unit.code}) was split between ${next.map((n) => n.code).join(' and ')}: choose one` };
    }
    target = { unit: next[0]!.code, basis: `${unit.name} → ${org.openUnits.get(next[0]!.code)?.name ?? next[0]!.code} (${next[0]!.basis})` };
  } else if (unit.level === 'district') {
    target = districtDestination(org, unit.code, rules);
    if (!target) return { placed: false, basis: `${unit.name} (${unit.code}): no rule says which commune takes its dossiers (districtRules)` };
  } else {
    return { placed: false, basis: `a ${d.procedureLevel} procedure received at the provincial centre: no commune is determined` };
  }
  const desk = org.desksByUnit.get(target.unit);
  if (!desk) return { placed: false, basis: `no desk of unit ${target.unit} is open on ${org.on}` };
  const authority = successorAgency(org, d.authorityAgencyCode, target.unit);
  if (!authority) return { placed: false, basis: `no agency of unit ${target.unit} answers for ${d.authorityAgencyCode}` };
  let holder: string;
  if (unitOfDesk(d.holderAgencyCode) !== null) holder = desk.code;
  else if (d.holderAgencyCode === d.authorityAgencyCode) holder = authority.code;
  else {
    const h = successorAgency(org, d.holderAgencyCode, target.unit);
    if (!h) return { placed: false, basis: `no agency of unit ${target.unit} answers for the holder ${d.holderAgencyCode}` };
    holder = h.code;
  }
  return { placed: true, unitCode: target.unit, deskCode: desk.code, authorityAgencyCode: authority.code, holderAgencyCode: holder, basis: target.basis };
}
