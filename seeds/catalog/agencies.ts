import unitsFile from '../data/quang-nam-units.json' with { type: 'json' };
import type { AgencySeed } from './types.js';

/**
 * The province's agencies (2021-2024). Real names: the 18 departments and boards of the report's footnote 24,
 * plus Sở Du lịch (Quảng Nam has had its own tourism department since 2019), Văn phòng UBND tỉnh and Thanh tra
 * tỉnh: 21 specialised agencies (report 2.4). Codes are ours (short Vietnamese abbreviations).
 */
export const HISTORY_START = '2020-01-01';

export const provincialAgencies: { code: string; name: string; kind: 'department' | 'board'; inFootnote24: boolean }[] = [
  { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', inFootnote24: true },
  { code: 'SNGV', name: 'Sở Ngoại vụ', kind: 'department', inFootnote24: true },
  { code: 'STTTT', name: 'Sở Thông tin và Truyền thông', kind: 'department', inFootnote24: true },
  { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'department', inFootnote24: true },
  { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department', inFootnote24: true },
  { code: 'SCT', name: 'Sở Công Thương', kind: 'department', inFootnote24: true },
  { code: 'BDT', name: 'Ban Dân tộc', kind: 'board', inFootnote24: true },
  { code: 'STC', name: 'Sở Tài chính', kind: 'department', inFootnote24: true },
  { code: 'SLDTBXH', name: 'Sở Lao động - Thương binh và Xã hội', kind: 'department', inFootnote24: true },
  { code: 'SGTVT', name: 'Sở Giao thông vận tải', kind: 'department', inFootnote24: true },
  { code: 'BQLKKT', name: 'Ban Quản lý các Khu kinh tế và Khu công nghiệp', kind: 'board', inFootnote24: true },
  { code: 'SKHDT', name: 'Sở Kế hoạch và Đầu tư', kind: 'department', inFootnote24: true },
  { code: 'STNMT', name: 'Sở Tài nguyên và Môi trường', kind: 'department', inFootnote24: true },
  { code: 'SYT', name: 'Sở Y tế', kind: 'department', inFootnote24: true },
  { code: 'STP', name: 'Sở Tư pháp', kind: 'department', inFootnote24: true },
  { code: 'SNNPTNT', name: 'Sở Nông nghiệp và Phát triển nông thôn', kind: 'department', inFootnote24: true },
  { code: 'SXD', name: 'Sở Xây dựng', kind: 'department', inFootnote24: true },
  { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', kind: 'department', inFootnote24: true },
  { code: 'SDL', name: 'Sở Du lịch', kind: 'department', inFootnote24: false },
  { code: 'VPUBND', name: 'Văn phòng Ủy ban nhân dân tỉnh', kind: 'department', inFootnote24: false },
  { code: 'TTRA', name: 'Thanh tra tỉnh', kind: 'department', inFootnote24: false },
];

/** District offices (phòng chuyên môn) as templates; cities and the town name two of them differently. */
export const districtOfficeTemplates: { template: string; suffix: string; name: string; urbanName?: string }[] = [
  { template: 'DIST-TP', suffix: 'TP', name: 'Phòng Tư pháp' },
  { template: 'DIST-TNMT', suffix: 'TNMT', name: 'Phòng Tài nguyên và Môi trường' },
  { template: 'DIST-LDTBXH', suffix: 'LDTBXH', name: 'Phòng Lao động - Thương binh và Xã hội' },
  { template: 'DIST-VHTT', suffix: 'VHTT', name: 'Phòng Văn hóa và Thông tin' },
  { template: 'DIST-KTHT', suffix: 'KTHT', name: 'Phòng Kinh tế và Hạ tầng', urbanName: 'Phòng Quản lý đô thị' },
  { template: 'DIST-TCKH', suffix: 'TCKH', name: 'Phòng Tài chính - Kế hoạch' },
  { template: 'DIST-NV', suffix: 'NV', name: 'Phòng Nội vụ' },
  { template: 'DIST-GDDT', suffix: 'GDDT', name: 'Phòng Giáo dục và Đào tạo' },
  { template: 'DIST-YT', suffix: 'YT', name: 'Phòng Y tế' },
  { template: 'DIST-NNPTNT', suffix: 'NNPTNT', name: 'Phòng Nông nghiệp và Phát triển nông thôn', urbanName: 'Phòng Kinh tế' },
];

export const POLICE = 'CA-TINH';
export const PROVINCIAL_COMMITTEE = 'UBND-49';
export const PROVINCIAL_CHAIRMAN = 'CT-UBND-49';
export const SERVICE_CENTRE = 'TTPVHCC';

const units = unitsFile.units;
export const districts = units.filter((u) => u.level === 2);
export const communes = units.filter((u) => u.level === 3);

export function buildAgencies(): AgencySeed[] {
  const base = { validFrom: HISTORY_START, validTo: null, templateCode: null };
  const out: AgencySeed[] = [
    { ...base, code: PROVINCIAL_COMMITTEE, name: 'Ủy ban nhân dân tỉnh Quảng Nam', kind: 'people_committee', level: 'province', unitCode: '49', parentCode: null },
    { ...base, code: PROVINCIAL_CHAIRMAN, name: 'Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam', kind: 'chairman', level: 'province', unitCode: '49', parentCode: PROVINCIAL_COMMITTEE },
    { ...base, code: SERVICE_CENTRE, name: 'Trung tâm Phục vụ Hành chính công tỉnh Quảng Nam', kind: 'service_center', level: 'province', unitCode: '49', parentCode: 'VPUBND' },
    { ...base, code: POLICE, name: 'Công an tỉnh Quảng Nam', kind: 'police', level: 'province', unitCode: '49', parentCode: null },
    ...provincialAgencies.map((a) => ({ ...base, code: a.code, name: a.name, kind: a.kind, level: 'province' as const, unitCode: '49', parentCode: PROVINCIAL_COMMITTEE })),
  ];
  for (const d of districts) {
    const urban = d.type !== 'Huyện';
    out.push({ ...base, code: `UBND-${d.code}`, name: `Ủy ban nhân dân ${d.name}`, kind: 'people_committee', level: 'district', unitCode: d.code, parentCode: null, templateCode: 'DIST-UBND' });
    for (const t of districtOfficeTemplates) {
      out.push({
        ...base,
        code: `${d.code}-${t.suffix}`,
        name: `${urban && t.urbanName ? t.urbanName : t.name} ${d.name}`,
        kind: 'district_office',
        level: 'district',
        unitCode: d.code,
        parentCode: `UBND-${d.code}`,
        templateCode: t.template,
      });
    }
  }
  for (const c of communes) {
    out.push({ ...base, code: `UBND-${c.code}`, name: `Ủy ban nhân dân ${c.name}`, kind: 'people_committee', level: 'commune', unitCode: c.code, parentCode: `UBND-${c.parent}`, templateCode: 'COMM-UBND' });
  }
  return out;
}
