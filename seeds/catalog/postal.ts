import figures from '../data/report-figures.json' with { type: 'json' };
import { communes, districts, POLICE } from './agencies.js';
import type { FieldDef } from './fields.js';
import type { PostalCoverageSeed } from './types.js';

/** The five provincial agencies whose procedures were not handed to the postal operator (16 of 21 were). */
export const NOT_HANDED_TO_POSTAL = ['BDT', 'SNGV', 'VPUBND', 'TTRA', 'SDL'];
const FROM = '2023-01-01';

const districtCode = (name: string) => {
  const d = districts.find((u) => u.name.endsWith(` ${name}`));
  if (!d) throw new Error(`no district named ${name}`);
  return d.code;
};

/**
 * Where the public postal operator takes dossiers (2.3.7, fn 35): at the provincial centre the fields of the
 * 16 departments handed over; at all 18 district desks every field, except land at the four districts not yet
 * handed over and at Phú Ninh (in progress); at 19 commune desks (Duy Xuyên 14/14, Thăng Bình 3/22, Phú Ninh
 * 1/11, Nông Sơn 1/6; the first by GSO code). A desk or field without a covering row is not covered.
 */
export function buildPostalCoverage(provincial: FieldDef[], local: FieldDef[]): PostalCoverageSeed[] {
  const p = figures.postal_handoff;
  const rows: PostalCoverageSeed[] = [];
  for (const f of provincial) {
    const handed = !NOT_HANDED_TO_POSTAL.includes(f.agency) && f.agency !== POLICE;
    rows.push({
      deskUnitCode: '49',
      fieldCode: f.code,
      covered: handed,
      status: handed ? 'covered' : 'not_covered',
      validFrom: FROM,
      note: handed ? 'Sở, ngành đã chuyển giao cho bưu điện' : 'Chưa chuyển giao cho bưu điện',
    });
  }
  const landField = local.find((f) => f.name === 'Đất đai')!.code;
  for (const d of districts) {
    rows.push({ deskUnitCode: d.code, fieldCode: null, covered: true, status: 'covered', validFrom: FROM, note: 'Bộ phận Một cửa cấp huyện đã chuyển giao' });
  }
  for (const name of p.districts_land_not_transferred) {
    rows.push({ deskUnitCode: districtCode(name), fieldCode: landField, covered: false, status: 'not_covered', validFrom: FROM, note: 'Chưa chuyển giao thủ tục đất đai' });
  }
  for (const name of p.district_land_transfer_in_progress) {
    rows.push({ deskUnitCode: districtCode(name), fieldCode: landField, covered: false, status: 'in_progress', validFrom: FROM, note: 'Đang chuyển giao thủ tục đất đai' });
  }
  for (const [name, share] of Object.entries(p.commune_desks_transferred)) {
    if (name === 'total') continue;
    const n = Number(String(share).split('/')[0]);
    const parent = districtCode(name);
    const chosen = communes.filter((c) => c.parent === parent).sort((a, b) => a.code.localeCompare(b.code)).slice(0, n);
    for (const c of chosen) {
      rows.push({ deskUnitCode: c.code, fieldCode: null, covered: true, status: 'covered', validFrom: FROM, note: `Bộ phận Một cửa xã đã chuyển giao (${name} ${share})` });
    }
  }
  return rows;
}
