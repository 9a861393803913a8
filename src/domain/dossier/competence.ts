/**
 * Whether a desk may receive a procedure through a channel (DOMAIN.md §4, §7, §8). Pure; the caller gathers the
 * facts. A "no" is not an input error: the desk records a refusal (Mẫu 03) with the reason given here.
 */
import { vietnameseDate } from './location-independent.js';

export type Level = 'province' | 'district' | 'commune';

export interface CompetenceFacts {
  /** `levels`: every level the national catalogue names for it (a procedure of city and commune level), if known. */
  procedure: { code: string; level: Level; levels?: readonly string[] | null; locationIndependent: boolean; postalEligible: boolean; onlineLevel: 'full' | 'partial' | 'none'; fieldName: string };
  /** For a location-independent procedure: the desks that may receive it (managed as data). */
  locationIndependentDesks: ReadonlySet<string>;
  desk: { code: string; level: Level; unitCode: string; name: string };
  channel: 'desk' | 'online' | 'postal';
  /** Whether the postal operator covers this desk for this procedure's field (postal_coverage). */
  postalCovered: boolean;
  /**
   * The desk is a commune's under two-level local government (from 2025-07-01: Luật Tổ chức chính quyền địa phương
   * 2025 ended the district level): the commune's centre receives the former district procedures too.
   */
  districtLevelAbolished?: boolean;
  /**
   * Under Nghị định 118/2025/NĐ-CP (a list of the city's in force on the intake's day): the desk that takes the
   * procedure in as its own (the city's centre for a city-level procedure; the centre of the commune whose authority
   * decides for a commune-level one; null when the intake names no commune) and whether the city's list takes the
   * procedure in anywhere. It replaces the level rule and the pilot's desk sets.
   */
  anywhere?: { ownDesk: { code: string; name: string } | null; listed: boolean; list: { validFrom: string; basis: string } };
}

/** The rule a refusal applies, named on the refusal form (Mẫu 03). */
export type CompetenceRule = 'level' | 'location_independent_list' | 'online_service' | 'postal';
export type Competence = { ok: true } | { ok: false; reason: string; rule: CompetenceRule };

export function checkCompetence(f: CompetenceFacts): Competence {
  const { procedure: p, desk: d } = f;
  if (f.anywhere) {
    const { ownDesk, listed, list } = f.anywhere;
    if (ownDesk?.code !== d.code && !listed) {
      const where = ownDesk ? ownDesk.name : 'Trung tâm Phục vụ hành chính công cấp xã nơi có thẩm quyền giải quyết';
      return {
        ok: false,
        rule: 'location_independent_list',
        reason:
          `Thủ tục ${p.code} không thuộc Danh mục thủ tục hành chính tiếp nhận không phụ thuộc địa giới hành chính ` +
          `(Nghị định 118/2025/NĐ-CP; danh mục áp dụng từ ngày ${vietnameseDate(list.validFrom)}, ${list.basis}); ` +
          `${d.name} không tiếp nhận thủ tục này, hồ sơ nộp tại ${where}.`,
      };
    }
    return channelRule(f);
  }
  const levelOk =
    p.level === d.level ||
    (p.levels?.includes(d.level) ?? false) ||
    (p.level === 'district' && d.level === 'commune' && f.districtLevelAbolished === true) ||
    // Location-independent pilot (DOMAIN.md §8): the desks listed for it (the centre and the district desks).
    (p.locationIndependent && f.locationIndependentDesks.has(d.code));
  if (!levelOk) {
    const where = { province: 'cấp tỉnh', district: 'cấp huyện', commune: 'cấp xã' }[p.level];
    return {
      ok: false,
      rule: 'level',
      reason: `Thủ tục ${p.code} thuộc thẩm quyền giải quyết ${where}; ${d.name} không tiếp nhận thủ tục này.`,
    };
  }
  return channelRule(f);
}

/** Whether the channel is open for the procedure at the desk (online service, postal coverage). */
function channelRule(f: CompetenceFacts): Competence {
  const { procedure: p, desk: d } = f;
  // Online intake only where the procedure has an online public service (the catalogue's online level): counting
  // such dossiers online would also inflate the index's online indicators (3.2, 3.3).
  if (f.channel === 'online' && p.onlineLevel === 'none') {
    return { ok: false, rule: 'online_service', reason: `Thủ tục ${p.code} chưa cung cấp dịch vụ công trực tuyến; hồ sơ nộp trực tiếp hoặc qua dịch vụ bưu chính công ích.` };
  }
  if (f.channel === 'postal') {
    if (!p.postalEligible) {
      return { ok: false, rule: 'postal', reason: `Thủ tục ${p.code} không tiếp nhận qua dịch vụ bưu chính công ích.` };
    }
    if (!f.postalCovered) {
      return {
        ok: false,
        rule: 'postal',
        reason: `Doanh nghiệp bưu chính công ích chưa được giao tiếp nhận hồ sơ lĩnh vực ${p.fieldName} tại ${d.name}.`,
      };
    }
  }
  return { ok: true };
}

/** Required documents not among those handed in (names compared without case or diacritics). */
export function missingDocuments(
  required: { name: string; required: boolean }[],
  given: { name: string }[],
  fold: (s: string) => string,
): string[] {
  const have = new Set(given.map((g) => fold(g.name)));
  return required.filter((r) => r.required && !have.has(fold(r.name))).map((r) => r.name);
}
