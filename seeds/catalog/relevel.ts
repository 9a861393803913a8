import { CITY_DESK, communeOffices, newAgencies, TWO_LEVEL_2025 } from '../org/two-level-2025.js';
import { buildSteps, minutesOf } from './procedures.js';
import type { Authority, ProcedureSeed } from './types.js';

/**
 * Fields of the generated catalogue whose ministry the national catalogue's detailed set lacks (it holds Công an,
 * Tài chính, Tư pháp, Xây dựng, Ngân hàng Nhà nước, Nông nghiệp và Môi trường): Nội vụ (organisation, associations,
 * emulation, religion, labour and people with merit), Ngoại giao, Khoa học và Công nghệ (with the former
 * Thông tin và Truyền thông), Văn hóa, Thể thao và Du lịch, Giáo dục và Đào tạo, Công Thương, Dân tộc và Tôn giáo,
 * Y tế (with social protection), Văn phòng Chính phủ and Thanh tra Chính phủ. Their generated procedures go on in the
 * new era, re-levelled.
 */
export const FIELDS_WITHOUT_REAL_DATA: Record<'province' | 'district' | 'commune', string[]> = {
  province: ['NV-TCBM', 'NV-HOI', 'NV-TDKT', 'NV-TONGIAO', 'NGV', 'TTTT-BC', 'TTTT-VT', 'VHTTDL-VH', 'VHTTDL-TDTT', 'DL', 'GDDT', 'CT-TM', 'CT-CN', 'DANTOC', 'LDTBXH-LD', 'LDTBXH-NCC', 'YT-KCB', 'YT-DUOC', 'KHCN', 'VP-HCTC', 'TTR'],
  district: ['NGUOICOCONG', 'BAOTROXAHOI', 'VANHOA', 'LUUTHONG', 'TDKT', 'TONGIAO', 'QUYXAHOI', 'GIAODUC', 'YTE'],
  commune: ['NGUOICOCONG', 'BAOTROXAHOI', 'VANHOA', 'TDKT', 'TONGIAO', 'GIAODUC', 'YTE'],
};

const districtToCommune: Partial<Record<Authority, Authority>> = { ubnd_huyen: 'ubnd_xa', chu_tich_ubnd_huyen: 'chu_tich_ubnd_xa' };

/** The 2025 agency that answers for a generated procedure's agency (the `serves` of org/two-level-2025.ts). */
function agencyAfter(p: ProcedureSeed): string {
  if (p.level === 'commune') return p.agencyCode;
  if (p.level === 'district') {
    const office = communeOffices.find((o) => o.serves.includes(p.agencyCode));
    if (!office) throw new Error(`catalogue: no commune office serves ${p.agencyCode}`);
    return office.template;
  }
  const agency = newAgencies.find((a) => a.level === 'province' && a.serves.includes(p.agencyCode));
  if (!agency) throw new Error(`catalogue: no city agency serves ${p.agencyCode}`);
  return agency.code;
}

/**
 * The generated procedures of those fields as versions from 2025-07-01 (source `generated`): a provincial one at
 * city level, decided by the city department that answers for its agency; a district one at commune level (the
 * district level ended), by the commune office that answers for its district office, its committee's authority
 * becoming the commune committee's; a commune one unchanged. Same code, name, time, fees and documents; no
 * delegation carries over (Quảng Nam's decisions ended with it), so the process is built again in the city's
 * organisation. A code that the national catalogue gives a real procedure is left out (`takenCodes`): the real
 * procedure holds it.
 */
export function relevelGenerated(old: ProcedureSeed[], takenCodes: ReadonlySet<string>): { procedures: ProcedureSeed[]; collisions: ProcedureSeed[] } {
  const candidates = old.filter((p) => FIELDS_WITHOUT_REAL_DATA[p.level].includes(p.fieldCode));
  const collisions = candidates.filter((p) => takenCodes.has(p.code));
  const procedures = candidates
    .filter((p) => !takenCodes.has(p.code))
    .map((p): ProcedureSeed => {
      const level = p.level === 'province' ? 'province' : 'commune';
      const authority = districtToCommune[p.authority] ?? p.authority;
      const agencyCode = agencyAfter(p);
      const committeeSigns = authority !== 'agency' && authority !== 'police';
      return {
        ...p,
        validFrom: TWO_LEVEL_2025,
        validTo: null,
        level,
        authority,
        agencyCode,
        locationIndependent: false,
        steps: buildSteps(level, agencyCode, authority, committeeSigns, minutesOf(p.processingTime), {
          centre: `TTPVHCC-${CITY_DESK}`,
          provinceCommittee: `UBND-${CITY_DESK}`,
        }),
      };
    });
  return { procedures, collisions };
}
