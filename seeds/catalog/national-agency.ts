import { CITY_DESK } from '../org/two-level-2025.js';
import { COMMUNE_POLICE } from './agencies-2025.js';
import type { Authority } from './types.js';

/** Who implements and who decides a procedure of the national catalogue in the 2025 organisation. */
export interface MappedAgency {
  /** A city agency's code, or a commune template (COMM-UBND, COMM-VP, COMM-KT, COMM-CA) made concrete per commune. */
  agencyCode: string;
  authority: Authority;
}

const city = (abbr: string) => `${abbr}-${CITY_DESK}`;

/**
 * The city agencies named in the portal's "Cơ quan thực hiện" text, first match wins (a text naming a ministry's
 * department and the city's names the city's). Vertical-sector agencies (customs, the State Bank, tax, social
 * insurance, treasury, judgment enforcement, courts) are the city's branch of them (catalog/agencies-2025.ts).
 */
const cityRules: [RegExp, string][] = [
  [/Hải quan/iu, 'HQ'],
  [/Ngân hàng Nhà nước/iu, 'NHNN'],
  [/Kho bạc/iu, 'KBNN'],
  [/Bảo hiểm xã hội|BHXH/iu, 'BHXH'],
  [/Thi hành án/iu, 'THADS'],
  [/Tòa án|Toà án/iu, 'TAND'],
  [/Thuế/u, 'THUE'],
  [/Công an|cảnh sát|xuất nhập cảnh/iu, 'CA'],
  [/Sở Tư pháp/iu, 'STP'],
  [/Sở Xây dựng|Sở Giao thông/iu, 'SXD'],
  [/Sở Tài chính|Sở Kế hoạch/iu, 'STC'],
  [/Sở Nông nghiệp|nông nghiệp và môi trường|đăng ký đất đai|quản lý đất đai|Kiểm lâm|thủy sản|thuỷ sản|Chi cục Thú y|Trồng trọt/iu, 'SNNMT'],
  [/Ban quản lý/iu, 'BQL'],
];

/** The ministry that published it, for a text that names no agency matched above: its city department. */
const publisherDepartment: Record<string, string> = {
  'Bộ Tài chính': 'STC',
  'Bộ Nông nghiệp và Môi trường': 'SNNMT',
  'Bộ xây dựng (Giao thông vận tải cũ)': 'SXD',
  'Bộ Xây dựng': 'SXD',
  'Bộ Tư pháp': 'STP',
  'Bộ Công an': 'CA',
  'Ngân hàng Nhà nước Việt Nam': 'NHNN',
  'Tòa án nhân dân': 'TAND',
};

/** The commune office (Nghị định 150/2025/NĐ-CP) that prepares a ministry's procedures, as org/two-level-2025.ts assigns fields. */
const publisherOffice: Record<string, string> = {
  'Bộ Tư pháp': 'COMM-VP',
  'Bộ Tài chính': 'COMM-KT',
  'Bộ Nông nghiệp và Môi trường': 'COMM-KT',
  'Bộ xây dựng (Giao thông vận tải cũ)': 'COMM-KT',
  'Bộ Xây dựng': 'COMM-KT',
  'Bộ Công an': COMMUNE_POLICE,
};

const chairman = (level: 'tỉnh' | 'xã') => new RegExp(`Chủ tịch (UBND|Ủy ban nhân dân|Uỷ ban nhân dân)( cấp)? ${level}`, 'iu');
const committee = (level: 'tỉnh' | 'xã') => new RegExp(`^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)( cấp)? ${level}|, (UBND|Ủy ban nhân dân|Uỷ ban nhân dân)( cấp)? ${level}`, 'iu');

/**
 * Maps a procedure of the national catalogue to the 2025 organisation at its level. City: the agency its text names
 * (else its ministry's department); the city's People's Committee or chairman decides where the text names them
 * (the department prepares), the agency otherwise. Commune: the commune police for police procedures, a
 * vertical-sector agency where the text names one (customs procedures the portal files at commune level), else the
 * commune's People's Committee or chairman decides and the office of the ministry's field prepares (the committee
 * itself where the ministry has no office). Assumptions in seeds/README.md.
 */
export function mapNationalAgency(p: { code: string; agency?: string; authority?: string; publisher?: string }, level: 'province' | 'commune'): MappedAgency {
  const text = `${p.agency ?? ''}, ${p.authority ?? ''}`;
  if (level === 'province') {
    const rule = cityRules.find(([re]) => re.test(text));
    const abbr = rule?.[1] ?? publisherDepartment[p.publisher ?? ''];
    if (!abbr) throw new Error(`catalogue: no city agency for procedure ${p.code} ("${p.agency ?? ''}", ${p.publisher ?? 'no publisher'})`);
    const authority: Authority = chairman('tỉnh').test(text) ? 'chu_tich_ubnd_tinh' : committee('tỉnh').test(text) ? 'ubnd_tinh' : abbr === 'CA' ? 'police' : 'agency';
    return { agencyCode: city(abbr), authority };
  }
  if (/Công an (cấp )?xã/iu.test(text) || (p.publisher === 'Bộ Công an' && !/UBND|Ủy ban|Uỷ ban/iu.test(text))) {
    return { agencyCode: COMMUNE_POLICE, authority: 'police' };
  }
  const vertical = cityRules.slice(0, 7).find(([re]) => re.test(text));
  if (vertical) return { agencyCode: city(vertical[1]), authority: 'agency' };
  const authority: Authority = chairman('xã').test(text) ? 'chu_tich_ubnd_xa' : 'ubnd_xa';
  return { agencyCode: publisherOffice[p.publisher ?? ''] ?? 'COMM-UBND', authority };
}
