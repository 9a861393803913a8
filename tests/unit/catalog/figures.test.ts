import { describe, expect, it } from 'vitest';
import figures from '../../../seeds/data/report-figures.json' with { type: 'json' };
import { buildCatalogue } from '../../../seeds/catalog/index.js';
import { minutesOf } from '../../../seeds/catalog/procedures.js';

const catalogue = buildCatalogue();
const p = catalogue.procedures;
const c = figures.catalogue;
const d = figures.delegation;
const count = (f: (x: (typeof p)[number]) => boolean) => p.filter(f).length;
const agencyName = new Map(catalogue.agencies.map((a) => [a.code, a.name]));
const inForce = (on: string) =>
  catalogue.delegations.filter((x) => x.kind === 'delegation' && x.delegatorUnitCode === '49' && x.effectiveFrom <= on && (x.effectiveTo === null || x.effectiveTo > on));

describe('the catalogue reproduces the report figures', () => {
  it('1,817 procedures', () => expect(p.length).toBe(c.procedures_total.value));

  it('levels: district and commune as written; police 21; provincial the remainder (exception 1)', () => {
    expect(count((x) => x.level === 'district')).toBe(c.by_level_as_written.district);
    expect(count((x) => x.level === 'commune')).toBe(c.by_level_as_written.commune);
    expect(count((x) => x.agencyCode === 'CA-TINH')).toBe(c.by_level_as_written.provincial_police_at_center);
    // Exception 1 (seeds/README.md): 1,453 + 303 + 162 + 21 = 1,939 ≠ 1,817; the provincial figure gives way.
    expect(c.by_level_as_written.provincial + c.by_level_as_written.district + c.by_level_as_written.commune + 21).toBe(1939);
    expect(count((x) => x.level === 'province' && x.agencyCode !== 'CA-TINH')).toBe(1331);
  });

  it('21 provincial specialised agencies', () => {
    expect(catalogue.agencies.filter((a) => a.level === 'province' && (a.kind === 'department' || a.kind === 'board'))).toHaveLength(
      figures.organisation.provincial_specialised_agencies.value,
    );
  });

  it('2021 level-4 online services per department (fn 24), district and commune', () => {
    for (const [name, n] of Object.entries(c.online_level4_2021_by_department)) {
      if (name === 'ref' || name === 'total') continue;
      expect(count((x) => x.onlineLevel4In2021 && agencyName.get(x.agencyCode) === name), name).toBe(n);
    }
    expect(count((x) => x.onlineLevel4In2021 && x.level === 'province')).toBe(c.online_level4_2021_by_department.total);
    expect(count((x) => x.onlineLevel4In2021 && x.level === 'district')).toBe(c.online_level4_2021_district.value);
    expect(count((x) => x.onlineLevel4In2021 && x.level === 'commune')).toBe(c.online_level4_2021_commune.value);
  });

  it('online services 2024 and publication on the national portal (exception 3: 1,245 full published)', () => {
    expect(count((x) => x.onlineLevel === 'full')).toBe(c.online_services_2024.full_online);
    expect(count((x) => x.onlineLevel === 'partial')).toBe(c.online_services_2024.partial_online);
    expect(count((x) => x.publishedOnNationalPortal)).toBe(c.published_on_national_portal.value);
    // Exception 3: 1,245 full-online published exceeds the 1,219 full-online services; all 1,219 are published.
    expect(count((x) => x.publishedOnNationalPortal && x.onlineLevel === 'full')).toBe(c.online_services_2024.full_online);
  });

  it('time cut ≥ 10 % by level (exception 2: commune 204 > 162, all commune procedures cut)', () => {
    expect(count((x) => x.level === 'province' && x.timeCutPercent >= 10)).toBe(c.time_cut_at_least_10_percent.provincial);
    expect(count((x) => x.level === 'district' && x.timeCutPercent >= 10)).toBe(c.time_cut_at_least_10_percent.district);
    expect(c.time_cut_at_least_10_percent.commune).toBeGreaterThan(c.by_level_as_written.commune);
    expect(count((x) => x.level === 'commune' && x.timeCutPercent >= 10)).toBe(c.by_level_as_written.commune);
    // Some procedures are cut by less than 10 %: they exist and are not counted.
    expect(count((x) => x.timeCutPercent > 0 && x.timeCutPercent < 10)).toBeGreaterThan(0);
  });

  it('same-day results by level', () => {
    expect(count((x) => x.level === 'province' && x.sameDay)).toBe(c.same_day_result.provincial);
    expect(count((x) => x.level === 'district' && x.sameDay)).toBe(c.same_day_result.district);
    expect(count((x) => x.level === 'commune' && x.sameDay)).toBe(c.same_day_result.commune);
  });

  it('9 location-independent procedures, all of the five named departments', () => {
    const li = p.filter((x) => x.locationIndependent);
    expect(li).toHaveLength(c.location_independent_pilot.value);
    for (const x of li) expect(c.location_independent_pilot.departments).toContain(agencyName.get(x.agencyCode));
  });

  it('delegation: 201 of 390 (132/229 committee, 69/161 chairman) in force in 2024; 144 in 2021; 191 of 9 departments in 2022', () => {
    expect(count((x) => x.authority === 'ubnd_tinh')).toBe(d.ubnd_tinh.total);
    expect(count((x) => x.authority === 'chu_tich_ubnd_tinh')).toBe(d.chu_tich_ubnd_tinh.total);
    const codes2024 = new Set(inForce('2024-06-01').flatMap((x) => x.procedureCodes));
    expect(codes2024.size).toBe(d.delegated_of_authority_of_provincial_committee.delegated);
    expect(count((x) => codes2024.has(x.code) && x.authority === 'ubnd_tinh')).toBe(d.ubnd_tinh.delegated);
    expect(count((x) => codes2024.has(x.code) && x.authority === 'chu_tich_ubnd_tinh')).toBe(d.chu_tich_ubnd_tinh.delegated);
    expect(new Set(inForce('2021-12-31').flatMap((x) => x.procedureCodes)).size).toBe(d.in_2021.delegated);
    const of2022 = catalogue.delegations.filter((x) => x.number.startsWith('2445/'));
    expect(of2022.flatMap((x) => x.procedureCodes)).toHaveLength(d.in_2022_decision.procedures);
    expect(new Set(of2022.map((x) => x.delegateAgencyCode)).size).toBe(d.in_2022_decision.departments);
  });

  it('sub-delegations by Tam Kỳ (25), Hội An (31) and Điện Bàn (9) to their offices (fn 32)', () => {
    const sub = catalogue.delegations.filter((x) => x.delegatorUnitCode !== '49');
    const per = (unit: string) => sub.filter((x) => x.delegatorUnitCode === unit).flatMap((x) => x.procedureCodes).length;
    expect(per('502')).toBe(d.sub_delegation_by_localities['UBND thành phố Tam Kỳ']);
    expect(per('503')).toBe(d.sub_delegation_by_localities['UBND thành phố Hội An']);
    const dienBan = catalogue.agencies.find((a) => a.name.endsWith('Thị xã Điện Bàn') && a.kind === 'people_committee')!.unitCode;
    expect(per(dienBan)).toBe(d.sub_delegation_by_localities['UBND thị xã Điện Bàn']);
  });

  it('six decentralisation regulations with the examples of fn 31', () => {
    const regs = catalogue.delegations.filter((x) => x.kind === 'decentralisation');
    expect(regs).toHaveLength(d.decentralisation_regulations.count);
    expect(regs.find((r) => r.delegateAgencyCode === 'STP')?.procedureCodes).toHaveLength(d.decentralisation_regulations.examples['Sở Tư pháp']);
    expect(regs.find((r) => r.delegateAgencyCode === 'SVHTTDL')?.procedureCodes).toHaveLength(12);
  });

  it('postal coverage: 16 provincial agencies, 18 districts (land not at 4, in progress at Phú Ninh), 19 communes', () => {
    const rows = catalogue.postalCoverage;
    const provincialAgencies = new Set(
      rows.filter((r) => r.deskUnitCode === '49' && r.covered).map((r) => p.find((x) => x.fieldCode === r.fieldCode)!.agencyCode),
    );
    expect(provincialAgencies.size).toBe(figures.postal_handoff.provincial_departments_transferred.done);
    expect(rows.filter((r) => r.fieldCode === null && r.deskUnitCode.length === 3 && r.covered)).toHaveLength(18);
    expect(rows.filter((r) => r.fieldCode === 'DATDAI' && r.status === 'not_covered')).toHaveLength(4);
    expect(rows.filter((r) => r.fieldCode === 'DATDAI' && r.status === 'in_progress')).toHaveLength(1);
    expect(rows.filter((r) => r.deskUnitCode.length === 5 && r.covered)).toHaveLength(figures.postal_handoff.commune_desks_transferred.total);
  });
});

describe('catalogue invariants', () => {
  it('is the same on every build', () => expect(buildCatalogue()).toEqual(catalogue));

  it('has unique codes, known agencies and fields, and steps adding up to the time', () => {
    expect(new Set(p.map((x) => x.code)).size).toBe(p.length);
    const agencies = new Set(catalogue.agencies.map((a) => a.code));
    const templates = new Set(catalogue.agencies.map((a) => a.templateCode).filter(Boolean));
    const fields = new Set(catalogue.fields.map((f) => f.code));
    for (const x of p) {
      expect(agencies.has(x.agencyCode) || templates.has(x.agencyCode), x.agencyCode).toBe(true);
      expect(fields.has(x.fieldCode)).toBe(true);
      expect(x.steps.reduce((s, st) => s + st.minutes, 0), x.code).toBe(minutesOf(x.processingTime));
      expect(x.steps.every((st) => st.minutes > 0)).toBe(true);
      expect(x.documents.some((doc) => doc.required)).toBe(true);
    }
    for (const dec of catalogue.delegations) expect(agencies.has(dec.delegateAgencyCode) || templates.has(dec.delegateAgencyCode)).toBe(true);
  });

  it('civil status and certification have the 15:00 cut-off', () => {
    for (const x of p.filter((y) => y.fieldCode === 'HOTICH' || y.fieldCode === 'CHUNGTHUC')) expect(x.cutoffHour).toBe('15:00');
  });
});
