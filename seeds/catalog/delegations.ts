import figures from '../data/report-figures.json' with { type: 'json' };
import type { Prng } from './prng.js';
import type { Draft } from './procedures.js';
import type { DelegationDecisionSeed } from './types.js';

type Take = (rng: Prng, pool: Draft[], n: number, what: string) => Draft[];

/** The nine departments of the 2022 delegation decision (2.3.1: 191 procedures of 9 departments). */
export const DELEGATED_2022_DEPARTMENTS = ['SKHDT', 'STNMT', 'SXD', 'SCT', 'SNNPTNT', 'SGTVT', 'SYT', 'SLDTBXH', 'SVHTTDL'];

/**
 * Authority of the provincial People's Committee (UBND tỉnh) and its Chairman over 390 provincial procedures
 * (229 + 161), and the dated decisions that delegate 201 of them (132 + 69; fn 30):
 *  - 2021 (fn 29): 144 procedures delegated, in force until the 2022 decisions replaced them;
 *  - 2022 (2.3.1): 191 procedures of nine departments;
 *  - 2022 (fn 29): associations, social and charity funds delegated to Sở Nội vụ (10 procedures);
 * plus the six decentralisation regulations of fn 31 (permanent; recorded as the rule relied on).
 * Decision numbers and dates are generated (seeds/README.md); one row per decision and delegate.
 */
export function buildDelegations(rng: Prng, provincial: Draft[], take: Take): DelegationDecisionSeed[] {
  const d = figures.delegation;
  const eligible = provincial.filter((p) => !p.locationIndependent);
  const in2022 = take(rng, eligible.filter((p) => DELEGATED_2022_DEPARTMENTS.includes(p.agencyCode)), d.in_2022_decision.procedures, '2022 delegation');
  const funds = take(rng, eligible.filter((p) => p.fieldCode === 'NV-HOI'), d.delegated_of_authority_of_provincial_committee.delegated - in2022.length, 'fund delegation');
  const delegated = [...in2022, ...funds];
  // 132 of the delegated procedures are the committee's, 69 its chairman's.
  rng.shuffle(delegated).forEach((p, i) => (p.authority = i < d.ubnd_tinh.delegated ? 'ubnd_tinh' : 'chu_tich_ubnd_tinh'));
  const taken = new Set(delegated.map((p) => p.code));
  const kept = take(rng, eligible.filter((p) => !taken.has(p.code) && p.fieldCode !== 'TTR'), d.delegated_of_authority_of_provincial_committee.total - delegated.length, 'committee authority');
  const keptUbnd = d.ubnd_tinh.total - d.ubnd_tinh.delegated;
  kept.forEach((p, i) => (p.authority = i < keptUbnd ? 'ubnd_tinh' : 'chu_tich_ubnd_tinh'));

  const decisions: DelegationDecisionSeed[] = [];
  const add = (number: string, signedOn: string, effectiveFrom: string, effectiveTo: string | null, list: Draft[]) => {
    for (const delegator of ['ubnd_tinh', 'chu_tich_ubnd_tinh'] as const) {
      const mine = list.filter((p) => p.authority === delegator);
      const byAgency = new Map<string, string[]>();
      for (const p of mine) byAgency.set(p.agencyCode, [...(byAgency.get(p.agencyCode) ?? []), p.code]);
      const suffix = delegator === 'ubnd_tinh' ? 'QĐ-UBND' : 'QĐ-CT';
      for (const [agency, codes] of byAgency) {
        decisions.push({
          number: `${number}/${suffix}`,
          signedOn,
          effectiveFrom,
          effectiveTo,
          delegator,
          delegatorUnitCode: '49',
          issuer: delegator === 'ubnd_tinh' ? 'Ủy ban nhân dân tỉnh Quảng Nam' : 'Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam',
          delegateAgencyCode: agency,
          kind: 'delegation',
          procedureCodes: codes,
        });
      }
    }
  };
  const in2021 = rng.shuffle(delegated).slice(0, d.in_2021.delegated);
  add('1520', '2021-06-10', '2021-06-15', '2022-09-01', in2021);
  add('2445', '2022-08-25', '2022-09-01', null, in2022);
  add('3012', '2022-11-10', '2022-11-15', null, funds);
  return decisions;
}

/** The six decentralisation regulations of fn 31, over the whole catalogue. */
export function buildDecentralisations(rng: Prng, all: Draft[], take: Take): DelegationDecisionSeed[] {
  const pick = (pred: (p: Draft) => boolean, n: number, what: string) => take(rng, all.filter(pred), n, what).map((p) => p.code);
  const agencyOnly = (agency: string) => (p: Draft) => p.agencyCode === agency && p.authority === 'agency' && !p.locationIndependent;
  const reg = (number: string, signedOn: string, delegate: string, codes: string[]): DelegationDecisionSeed => ({
    number,
    signedOn,
    effectiveFrom: signedOn.replace(/-\d\d$/, '-28'),
    effectiveTo: null,
    delegator: 'ubnd_tinh',
    delegatorUnitCode: '49',
    issuer: 'Ủy ban nhân dân tỉnh Quảng Nam',
    delegateAgencyCode: delegate,
    kind: 'decentralisation',
    procedureCodes: codes,
  });
  const ex = figures.delegation.decentralisation_regulations.examples;
  return [
    reg('12/2022/QĐ-UBND', '2022-05-16', 'DIST-NNPTNT', pick((p) => p.fieldCode === 'TAUCA', ex['UBND cấp huyện (tàu cá)'], 'fishing boats')),
    reg('05/2023/QĐ-UBND', '2023-03-06', 'STP', pick(agencyOnly('STP'), ex['Sở Tư pháp'], 'justice')),
    reg('21/2022/QĐ-UBND', '2022-09-12', 'DIST-TCKH', pick((p) => p.fieldCode === 'LUUTHONG', ex['UBND cấp huyện (lưu thông hàng hóa)'], 'goods circulation')),
    reg('08/2023/QĐ-UBND', '2023-04-10', 'SVHTTDL', pick(agencyOnly('SVHTTDL'), ex['Sở Văn hóa, Thể thao và Du lịch'], 'culture')),
    reg('15/2021/QĐ-UBND', '2021-08-09', 'DIST-TNMT', pick((p) => p.fieldCode === 'DATDAI' && p.level === 'district', 1, 'land-use fee exemption')),
    reg('30/2022/QĐ-UBND', '2022-12-05', 'DIST-NNPTNT', pick((p) => p.fieldCode === 'THUYLOI', 3, 'irrigation')),
  ];
}

/**
 * Sub-delegation by district committees to their specialised offices (fn 32: Tam Kỳ 25, Hội An 31, Điện Bàn 9
 * procedures): a decision of the district committee or its chairman, held in that district only.
 */
export function buildSubDelegations(rng: Prng, district: Draft[], take: Take, districtCodeOf: (name: string) => string): DelegationDecisionSeed[] {
  const counts = figures.delegation.sub_delegation_by_localities as unknown as Record<string, number | string>;
  const out: DelegationDecisionSeed[] = [];
  let n = 0;
  for (const [locality, count] of Object.entries(counts)) {
    if (locality === 'ref' || typeof count !== 'number') continue;
    const unitName = locality.replace(/^UBND /, '');
    const unit = districtCodeOf(unitName);
    const pool = district.filter((p) => p.authority === 'ubnd_huyen' || p.authority === 'chu_tich_ubnd_huyen');
    const chosen = take(rng, pool, count, `sub-delegation of ${locality}`);
    for (const delegator of ['ubnd_huyen', 'chu_tich_ubnd_huyen'] as const) {
      const byOffice = new Map<string, string[]>();
      for (const p of chosen.filter((x) => x.authority === delegator)) {
        const office = `${unit}-${p.agencyCode.slice(5)}`;
        byOffice.set(office, [...(byOffice.get(office) ?? []), p.code]);
      }
      n++;
      for (const [office, codes] of byOffice) {
        out.push({
          number: `${100 + n * 7}/QĐ-${delegator === 'ubnd_huyen' ? 'UBND' : 'CT'}`,
          signedOn: '2023-02-15',
          effectiveFrom: '2023-03-01',
          effectiveTo: null,
          delegator,
          delegatorUnitCode: unit,
          issuer: `${delegator === 'ubnd_huyen' ? 'Ủy ban nhân dân' : 'Chủ tịch Ủy ban nhân dân'} ${unitName}`,
          delegateAgencyCode: office,
          kind: 'delegation',
          procedureCodes: codes,
        });
      }
    }
  }
  return out;
}
