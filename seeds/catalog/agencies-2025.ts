import { CITY_CODE, CITY_DESK, communeDeskCode, communeUnits, TWO_LEVEL_2025 } from '../org/two-level-2025.js';
import type { AgencySeed } from './types.js';

/**
 * Agencies the national catalogue's city and commune procedures name and the generated 2025 organisation
 * (org/two-level-2025.ts) lacks, GENERATED like it (no list of Đà Nẵng's agencies was available): the vertical-sector
 * agencies that decide procedures received at the city's centres (Nghị định 118/2025/NĐ-CP Art. 14(2)(c): they second
 * staff to the centres) and each commune-level unit's police (Công an cấp xã, which registers residence). Codes follow
 * the organisation's `<abbr>-<desk code>`; valid from 2025-07-01.
 */
export const verticalAgencies: { abbr: string; name: string }[] = [
  { abbr: 'HQ', name: 'Chi cục Hải quan khu vực (tại thành phố Đà Nẵng)' },
  { abbr: 'NHNN', name: 'Ngân hàng Nhà nước Khu vực (tại thành phố Đà Nẵng)' },
  { abbr: 'THUE', name: 'Thuế thành phố Đà Nẵng' },
  { abbr: 'BHXH', name: 'Bảo hiểm xã hội thành phố Đà Nẵng' },
  { abbr: 'KBNN', name: 'Kho bạc Nhà nước khu vực (tại thành phố Đà Nẵng)' },
  { abbr: 'THADS', name: 'Thi hành án dân sự thành phố Đà Nẵng' },
  { abbr: 'TAND', name: 'Tòa án nhân dân thành phố Đà Nẵng' },
];

/** The template commune police are found by (as COMM-UBND finds a commune's committee). */
export const COMMUNE_POLICE = 'COMM-CA';

export function buildAgencies2025(): (AgencySeed & { serves: string[] })[] {
  const base = { validFrom: TWO_LEVEL_2025, validTo: null, serves: [] as string[] };
  return [
    ...verticalAgencies.map((a) => ({
      ...base,
      code: `${a.abbr}-${CITY_DESK}`,
      name: a.name,
      kind: 'vertical_sector' as const,
      level: 'province' as const,
      unitCode: CITY_CODE,
      parentCode: null,
      templateCode: null,
    })),
    ...communeUnits.map((u) => ({
      ...base,
      code: `CA-${communeDeskCode(u.code)}`,
      name: `Công an ${u.name}`,
      kind: 'police' as const,
      level: 'commune' as const,
      unitCode: u.code,
      parentCode: null,
      templateCode: COMMUNE_POLICE,
    })),
  ];
}
