import figures from '../data/report-figures.json' with { type: 'json' };
import { buildAgencies, districts, POLICE } from './agencies.js';
import { buildDecentralisations, buildDelegations, buildSubDelegations } from './delegations.js';
import { communeFields, districtFields, provincialFields } from './fields.js';
import { buildPostalCoverage } from './postal.js';
import { mulberry32, type Prng } from './prng.js';
import { buildSteps, cutPercent, draftProcedures, minutesOf, statutoryBeforeCut, type Draft } from './procedures.js';
import type { Catalogue, Level, ProcedureSeed } from './types.js';

export type * from './types.js';

/** The fixed seed of the generated parts (seeds/README.md). Changing it changes every generated choice. */
export const CATALOGUE_SEED = 20_241_101;

const c = figures.catalogue;
const LEVELS: Level[] = ['province', 'district', 'commune'];

/** The commune-level time-cut figure (204) cannot hold with 162 commune procedures: every one is cut. */
export const COMMUNE_PROCEDURES = c.by_level_as_written.commune;
export const DISTRICT_PROCEDURES = c.by_level_as_written.district;
export const POLICE_PROCEDURES = c.by_level_as_written.provincial_police_at_center;
export const PROVINCIAL_PROCEDURES = c.procedures_total.value - DISTRICT_PROCEDURES - COMMUNE_PROCEDURES - POLICE_PROCEDURES;

const take = (rng: Prng, pool: Draft[], n: number, what: string) => {
  if (pool.length < n) throw new Error(`catalogue: need ${n} ${what}, only ${pool.length} candidates`);
  return rng.shuffle(pool).slice(0, n);
};

/**
 * Builds the province's catalogue deterministically: same output on every call and machine (no clock, no
 * Math.random). Every catalogue figure of report-figures.json holds, except the ones seeds/README.md names.
 */
export function buildCatalogue(): Catalogue {
  const rng = mulberry32(CATALOGUE_SEED);
  const all = draftProcedures(rng, PROVINCIAL_PROCEDURES);
  const byLevel = (l: Level) => all.filter((p) => p.level === l);
  const provincialNonPolice = byLevel('province').filter((p) => p.agencyCode !== POLICE);

  // Level-4 online services of 2021 (fn 24, 2.3.1): each footnote-24 agency's count, then district and commune.
  const footnote24 = c.online_level4_2021_by_department as unknown as Record<string, number>;
  const agencyName = new Map(buildAgencies().map((a) => [a.code, a.name]));
  const perAgency = new Map<string, Draft[]>();
  for (const p of provincialNonPolice) perAgency.set(p.agencyCode, [...(perAgency.get(p.agencyCode) ?? []), p]);
  for (const [agency, list] of perAgency) {
    const n = footnote24[agencyName.get(agency) ?? ''] ?? 0;
    for (const p of take(rng, list, n, `level-4 procedures of ${agency}`)) p.onlineLevel4In2021 = true;
  }
  for (const p of take(rng, byLevel('district'), c.online_level4_2021_district.value, 'district level-4')) p.onlineLevel4In2021 = true;
  for (const p of take(rng, byLevel('commune'), c.online_level4_2021_commune.value, 'commune level-4')) p.onlineLevel4In2021 = true;

  // Online services of 2024 (2.6, fn 45): full online among the 2021 level-4 ones, partial among the rest.
  const level4 = all.filter((p) => p.onlineLevel4In2021);
  const full = take(rng, level4, c.online_services_2024.full_online, 'full-online');
  for (const p of full) p.onlineLevel = 'full';
  const notFull = all.filter((p) => p.onlineLevel === 'none');
  const partialFirst = [...notFull.filter((p) => p.onlineLevel4In2021), ...rng.shuffle(notFull.filter((p) => !p.onlineLevel4In2021))];
  for (const p of partialFirst.slice(0, c.online_services_2024.partial_online)) p.onlineLevel = 'partial';
  // Published on the national portal (fn 44): every full-online service and enough partial ones to reach 1,262.
  for (const p of full) p.publishedOnNationalPortal = true;
  const published = c.published_on_national_portal.value - full.length;
  for (const p of take(rng, all.filter((x) => x.onlineLevel === 'partial'), published, 'published partial')) p.publishedOnNationalPortal = true;

  // Same-day results (2.3.1): among procedures of quick fields (statutory time from a day up to five).
  const sameDay = { province: c.same_day_result.provincial, district: c.same_day_result.district, commune: c.same_day_result.commune };
  for (const level of LEVELS) {
    const quick = byLevel(level).filter((p) => p.agencyCode !== POLICE && p.field.days[0] <= 5 && p.field.code !== 'TTR');
    for (const p of take(rng, quick, sameDay[level], `${level} same-day`)) {
      p.sameDay = true;
      p.processingTime = { amount: 1, unit: 'same_day' };
      p.statutoryTime = { amount: 1, unit: 'same_day' };
    }
  }
  // Other units of time: certification in working hours; complaints and religion registrations in calendar
  // days (Luật Khiếu nại 2011, Luật Tín ngưỡng, tôn giáo 2016 count days, not working days).
  for (const p of all) {
    if (p.sameDay) continue;
    if (p.field.code === 'CHUNGTHUC') p.processingTime = { amount: p.baseDays * 4, unit: 'working_hour' };
    if (p.field.code === 'TTR' || p.field.code === 'TONGIAO' || p.field.code === 'NV-TONGIAO') {
      p.processingTime = { amount: p.baseDays, unit: 'calendar_day' };
    }
    p.statutoryTime = { ...p.processingTime };
  }

  // Location-independent pilot (2.3.3, fn 28): 9 procedures of the five named departments.
  const departments = c.location_independent_pilot.departments;
  const perDepartment = [2, 2, 2, 2, 1];
  departments.forEach((name, i) => {
    const pool = provincialNonPolice.filter((p) => agencyName.get(p.agencyCode) === name && !p.sameDay && p.processingTime.unit === 'working_day');
    for (const p of take(rng, pool, perDepartment[i]!, `location-independent of ${name}`)) p.locationIndependent = true;
  });

  // Authority of the provincial committee and its chairman (fn 30) and the decisions that delegate it.
  const districtCodeOf = (name: string) => {
    const d = districts.find((u) => u.name === name || u.name.endsWith(` ${name.replace(/^(thành phố|thị xã|huyện) /i, '')}`));
    if (!d) throw new Error(`no district ${name}`);
    return d.code;
  };
  const delegations = [
    ...buildDelegations(rng, provincialNonPolice, take),
    ...buildDecentralisations(rng, all, take),
    ...buildSubDelegations(rng, byLevel('district'), take, districtCodeOf),
  ];

  // Time cut by at least 10 % (2.3.1): statutory time above the time in force.
  const cuts = { province: c.time_cut_at_least_10_percent.provincial, district: c.time_cut_at_least_10_percent.district, commune: COMMUNE_PROCEDURES };
  for (const level of LEVELS) {
    for (const p of take(rng, byLevel(level).filter((x) => x.agencyCode !== POLICE), cuts[level], `${level} time cut`)) {
      p.statutoryTime = p.sameDay
        ? { amount: rng.int(2, 3), unit: 'working_day' }
        : { amount: statutoryBeforeCut(rng, p.processingTime.amount), unit: p.processingTime.unit };
    }
  }
  // A few long procedures were cut by less than 10 % (one day): they do not count in the figure.
  for (const p of all) {
    const uncut = p.statutoryTime.amount === p.processingTime.amount && p.statutoryTime.unit === p.processingTime.unit;
    if (uncut && p.processingTime.unit === 'working_day' && p.processingTime.amount >= 20 && rng.next() < 0.1) {
      p.statutoryTime = { amount: p.processingTime.amount + 1, unit: 'working_day' };
    }
  }
  for (const p of all) p.timeCutPercent = cutPercent(p.statutoryTime, p.processingTime);

  // Internal process: steps that add up to the time in force.
  // Province-wide delegations take the committee's signing step out of the process.
  const delegated = new Set(delegations.filter((d) => d.kind === 'delegation' && d.delegatorUnitCode === '49').flatMap((d) => d.procedureCodes));
  for (const p of all) {
    const committeeSigns = p.authority !== 'agency' && p.authority !== 'police' && !delegated.has(p.code);
    p.steps = buildSteps(p.level, p.agencyCode, p.authority, committeeSigns, minutesOf(p.processingTime));
  }

  const fields = [...provincialFields, ...districtFields, ...communeFields].filter(
    (f, i, xs) => xs.findIndex((x) => x.code === f.code) === i,
  );
  // Location-independent procedures may be received at the provincial centre or any district desk (2.3.3).
  const liDesks = ['T49', ...districts.map((d) => `H${d.code}`)];
  const locationIndependentDesks = all.filter((p) => p.locationIndependent).flatMap((p) => liDesks.map((deskCode) => ({ procedureCode: p.code, deskCode })));
  return {
    locationIndependentDesks,
    fields: fields.map((f) => ({ code: f.code, name: f.name })),
    agencies: buildAgencies(),
    procedures: all.map(({ field: _f, baseDays: _b, ...p }): ProcedureSeed => p),
    delegations,
    postalCoverage: buildPostalCoverage(provincialFields, [...districtFields, ...communeFields]),
  };
}
