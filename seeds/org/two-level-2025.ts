import daNangFile from '../data/da-nang-2025-units.json' with { type: 'json' };

/**
 * The organisation of thành phố Đà Nẵng from 2025-07-01 (two-level local government): the city (code 48, formed from
 * old Đà Nẵng and Quảng Nam by Nghị quyết 202/2025/QH15) and its 94 commune-level units with their predecessors
 * (Nghị quyết 1659/NQ-UBTVQH15; codes from Công văn 1027/CTK-CSCL), from seeds/data/da-nang-2025-units.json.
 *
 * Desks (Nghị định 118/2025/NĐ-CP Art. 7: a provincial Public Administration Service Centre and one centre per
 * commune-level unit): the city centre and 94 commune centres. Codes of this organisation carry a two-letter prefix
 * so that they are never mistaken for the earlier one-letter codes (T49, H502, X20242) even where the GSO code is
 * reused: `TT48` the city centre, `TX` + GSO code a commune centre (`TX20242` = Phường Hải Châu from 2025-07-01, while
 * `X20242` was Phường Phước Ninh). Dossier codes start with the desk code, so they differ the same way.
 *
 * Agencies are GENERATED (no machine-readable list of Đà Nẵng's 2025 agencies was available): the city's People's
 * Committee, its chairman, its centre, its police and departments, and in each commune the People's Committee and
 * its offices as Nghị định 150/2025/NĐ-CP sets them out (Văn phòng HĐND và UBND; Phòng Kinh tế, in a phường Phòng
 * Kinh tế, Hạ tầng và Đô thị; Phòng Văn hóa - Xã hội). Their codes are `<office>-<desk code>` (`UBND-TX20242`,
 * `SNV-TT48`). `serves` names the Quảng Nam agencies and district templates each answers for, which is how the
 * catalogue's procedures find who decides them after the change (assumptions in seeds/README.md).
 */
export const TWO_LEVEL_2025 = daNangFile.effective; // '2025-07-01'
export const TWO_LEVEL_BASIS = 'Nghị quyết 202/2025/QH15; Nghị quyết 1659/NQ-UBTVQH15; Nghị định 118/2025/NĐ-CP';
export const TWO_LEVEL_SOURCE = 'NQ 1659/NQ-UBTVQH15 and CV 1027/CTK-CSCL via seeds/data/da-nang-2025-units.json';
export const CITY_CODE = daNangFile.province.code; // '48'
export const CITY_DESK = `TT${CITY_CODE}`;

type Level = 'province' | 'district' | 'commune';
export interface NewUnit {
  code: string;
  name: string;
  type: string;
  level: Level;
  parentCode: string | null;
}
export interface NewDesk {
  code: string;
  name: string;
  unitCode: string;
  level: Level;
}
export interface NewAgency {
  code: string;
  name: string;
  kind: string;
  level: Level;
  unitCode: string;
  parentCode: string | null;
  templateCode: string | null;
  serves: string[];
}
export interface Predecessor {
  unitCode: string;
  predecessorCode: string;
  predecessorName: string;
  predecessorLevel: Level;
  predecessorDistrictCode: string | null;
  predecessorDistrictName: string | null;
  predecessorProvinceCode: string;
  partial: string | null;
  basis: string;
}

export const communeDeskCode = (unitCode: string) => `TX${unitCode}`;

export const cityUnit: NewUnit = { code: CITY_CODE, name: daNangFile.province.name, type: 'Thành phố', level: 'province', parentCode: null };

export const communeUnits: NewUnit[] = daNangFile.units.map((u) => ({ code: u.code, name: u.name, type: u.type, level: 'commune', parentCode: CITY_CODE }));

export const newDesks: NewDesk[] = [
  { code: CITY_DESK, name: 'Trung tâm Phục vụ hành chính công thành phố Đà Nẵng', unitCode: CITY_CODE, level: 'province' },
  ...communeUnits.map((u) => ({ code: communeDeskCode(u.code), name: `Trung tâm Phục vụ hành chính công ${u.name}`, unitCode: u.code, level: 'commune' as const })),
];

export const predecessors: Predecessor[] = daNangFile.units.flatMap((u) =>
  u.formedFrom.map((f) => ({
    unitCode: u.code,
    predecessorCode: f.oldCode,
    predecessorName: f.name,
    predecessorLevel: 'oldLevel' in f && f.oldLevel === 'district' ? ('district' as const) : ('commune' as const),
    predecessorDistrictCode: 'oldDistrictCode' in f ? (f.oldDistrictCode ?? null) : null,
    predecessorDistrictName: 'oldDistrict' in f ? (f.oldDistrict ?? null) : null,
    predecessorProvinceCode: f.oldProvinceCode,
    partial: 'partial' in f ? (f.partial ?? null) : null,
    basis: 'unchanged' in u && u.unchanged ? 'Nghị quyết 1659/NQ-UBTVQH15, khoản 93 (not rearranged)' : `Nghị quyết 1659/NQ-UBTVQH15, Điều 1 khoản ${'nq1659Clause' in u ? u.nq1659Clause : '?'}`,
  })),
);

/** The city's departments (generated; the 2025 merged structure), each with the Quảng Nam agencies it absorbed. */
const cityDepartments: { abbr: string; name: string; serves: string[] }[] = [
  { abbr: 'SNV', name: 'Sở Nội vụ', serves: ['SNV', 'SLDTBXH'] },
  { abbr: 'STC', name: 'Sở Tài chính', serves: ['STC', 'SKHDT'] },
  { abbr: 'SXD', name: 'Sở Xây dựng', serves: ['SXD', 'SGTVT'] },
  { abbr: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', serves: ['SNNPTNT', 'STNMT'] },
  { abbr: 'SKHCN', name: 'Sở Khoa học và Công nghệ', serves: ['SKHCN', 'STTTT'] },
  { abbr: 'SDTTG', name: 'Sở Dân tộc và Tôn giáo', serves: ['BDT'] },
  { abbr: 'SVHTT', name: 'Sở Văn hóa và Thể thao', serves: ['SVHTTDL'] },
  { abbr: 'SDL', name: 'Sở Du lịch', serves: ['SDL'] },
  { abbr: 'SCT', name: 'Sở Công Thương', serves: ['SCT'] },
  { abbr: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', serves: ['SGDDT'] },
  { abbr: 'SYT', name: 'Sở Y tế', serves: ['SYT'] },
  { abbr: 'STP', name: 'Sở Tư pháp', serves: ['STP'] },
  { abbr: 'SNGV', name: 'Sở Ngoại vụ', serves: ['SNGV'] },
  { abbr: 'TTRA', name: 'Thanh tra thành phố', serves: ['TTRA'] },
  { abbr: 'VP', name: 'Văn phòng Ủy ban nhân dân thành phố', serves: ['VPUBND'] },
  { abbr: 'BQL', name: 'Ban Quản lý Khu công nghệ cao và các khu công nghiệp Đà Nẵng', serves: ['BQLKKT'] },
];

/** Commune offices (Nghị định 150/2025/NĐ-CP) and the district offices' templates each takes over (assumed). */
export const communeOffices: { abbr: string; template: string; name: (type: string) => string; serves: string[] }[] = [
  { abbr: 'VP', template: 'COMM-VP', name: () => 'Văn phòng Hội đồng nhân dân và Ủy ban nhân dân', serves: ['DIST-TP'] },
  {
    abbr: 'KT',
    template: 'COMM-KT',
    name: (type) => (type === 'Phường' ? 'Phòng Kinh tế, Hạ tầng và Đô thị' : 'Phòng Kinh tế'),
    serves: ['DIST-TNMT', 'DIST-KTHT', 'DIST-TCKH', 'DIST-NNPTNT'],
  },
  { abbr: 'VHXH', template: 'COMM-VHXH', name: () => 'Phòng Văn hóa - Xã hội', serves: ['DIST-NV', 'DIST-LDTBXH', 'DIST-VHTT', 'DIST-GDDT', 'DIST-YT'] },
];

const cityCommittee = `UBND-${CITY_DESK}`;
export const newAgencies: NewAgency[] = [
  { code: cityCommittee, name: 'Ủy ban nhân dân thành phố Đà Nẵng', kind: 'people_committee', level: 'province', unitCode: CITY_CODE, parentCode: null, templateCode: null, serves: ['UBND-49'] },
  { code: `CT-${CITY_DESK}`, name: 'Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng', kind: 'chairman', level: 'province', unitCode: CITY_CODE, parentCode: cityCommittee, templateCode: null, serves: ['CT-UBND-49'] },
  { code: `TTPVHCC-${CITY_DESK}`, name: 'Trung tâm Phục vụ hành chính công thành phố Đà Nẵng', kind: 'service_center', level: 'province', unitCode: CITY_CODE, parentCode: `VP-${CITY_DESK}`, templateCode: null, serves: ['TTPVHCC'] },
  { code: `CA-${CITY_DESK}`, name: 'Công an thành phố Đà Nẵng', kind: 'police', level: 'province', unitCode: CITY_CODE, parentCode: null, templateCode: null, serves: ['CA-TINH'] },
  ...cityDepartments.map((d) => ({
    code: `${d.abbr}-${CITY_DESK}`,
    name: d.abbr === 'VP' || d.abbr === 'TTRA' || d.abbr === 'BQL' ? d.name : `${d.name} thành phố Đà Nẵng`,
    kind: d.abbr === 'BQL' ? 'board' : 'department',
    level: 'province' as const,
    unitCode: CITY_CODE,
    parentCode: cityCommittee,
    templateCode: null,
    serves: d.serves,
  })),
  ...communeUnits.flatMap((u) => {
    const desk = communeDeskCode(u.code);
    const committee = `UBND-${desk}`;
    return [
      { code: committee, name: `Ủy ban nhân dân ${u.name}`, kind: 'people_committee', level: 'commune' as const, unitCode: u.code, parentCode: cityCommittee, templateCode: 'COMM-UBND', serves: ['DIST-UBND'] },
      ...communeOffices.map((o) => ({
        code: `${o.abbr}-${desk}`,
        name: `${o.name(u.type)} ${u.name}`,
        kind: 'commune_office',
        level: 'commune' as const,
        unitCode: u.code,
        parentCode: committee,
        templateCode: o.template,
        serves: o.serves,
      })),
    ];
  }),
];
