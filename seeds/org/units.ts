import unitsFile from '../data/quang-nam-units.json' with { type: 'json' };

/**
 * The province's 260 units (GSO codes, data date 2024-11-01; seeds/data/quang-nam-units.json, copied from
 * shared/data) and one one-stop desk per unit. The structure is valid from HISTORY_START, the start of the
 * history this system holds (the same 18/241 counts hold in every GSO snapshot 2022-04..2024-12).
 */
export const HISTORY_START = '2020-01-01';
export const RESTRUCTURING_2025 = '2025-01-01';
export const UNITS_SOURCE = 'GSO via daohoangson/dvhcvn (2024-11-01)';

type Level = 'province' | 'district' | 'commune';
export interface UnitSeed {
  code: string;
  name: string;
  type: string;
  level: Level;
  parentCode: string | null;
}

const levelOf = (gsoLevel: number): Level => (gsoLevel === 1 ? 'province' : gsoLevel === 2 ? 'district' : 'commune');
const levelOfType = (type: string): Level =>
  type === 'Tỉnh' ? 'province' : ['Huyện', 'Thành phố', 'Thị xã'].includes(type) ? 'district' : 'commune';

export const unitSeeds: UnitSeed[] = unitsFile.units.map((u) => ({
  code: u.code,
  name: u.name,
  type: u.type,
  level: levelOf(u.level),
  parentCode: u.parent,
}));

/** Desk code: level letter + GSO code (T = tỉnh, H = huyện, X = xã), e.g. H502; it prefixes dossier codes. */
export function deskCodeOf(unit: { code: string; level: Level }): string {
  return `${unit.level === 'province' ? 'T' : unit.level === 'district' ? 'H' : 'X'}${unit.code}`;
}

export function deskNameOf(unit: { name: string; level: Level }): string {
  return unit.level === 'province'
    ? 'Trung tâm Phục vụ Hành chính công tỉnh Quảng Nam'
    : `Bộ phận Một cửa ${unit.name}`;
}

export interface RestructuringSeed {
  effectiveFrom: string;
  removed: UnitSeed[];
  added: UnitSeed[];
  changed: { code: string; after: UnitSeed }[];
  /** Each removed unit's receiving unit (recorded as a predecessor link), with the basis. */
  mergedInto?: { code: string; into: string; basis: string }[];
}

const NQ_1241 = 'Nghị quyết 1241/NQ-UBTVQH15';
const NQ_1241_PLAN = `${NQ_1241} (pair from Quảng Nam's plan of August 2024; UNCONFIRMED against the resolution text)`;
/**
 * Where the communes removed on 2025-01-01 went: four pairs confirmed by press reports of Nghị quyết 1241/NQ-UBTVQH15,
 * four from the province's plan of August 2024 only (docs in the project's shared design notes, TWO-LEVEL-2025 §2).
 * Huyện Nông Sơn (519) is not listed: its communes moved to Quế Sơn as new versions of themselves.
 */
const MERGED_2025_01_01 = [
  { code: '20672', into: '20671', basis: `${NQ_1241}: Xã Sơn Viên into Xã Quế Lộc` },
  { code: '20761', into: '20758', basis: `${NQ_1241}: Xã Hiệp Thuận and Xã Hiệp Hòa into Xã Quế Tân` },
  { code: '20822', into: '20821', basis: `${NQ_1241}: Xã Bình Định Bắc and Xã Bình Định Nam into Xã Bình Định` },
  { code: '20383', into: '20364', basis: `${NQ_1241}: Xã Tam Vinh into Thị trấn Phú Thịnh` },
  { code: '20338', into: '20347', basis: `${NQ_1241_PLAN}: Phường Phước Hòa into Phường An Xuân` },
  { code: '20602', into: '20608', basis: `${NQ_1241_PLAN}: Xã Duy Thu into Xã Duy Tân` },
  { code: '20830', into: '20827', basis: `${NQ_1241_PLAN}: Xã Bình Chánh into Xã Bình Phú` },
  { code: '20863', into: '20857', basis: `${NQ_1241_PLAN}: Xã Tiên Cẩm into Xã Tiên Sơn` },
];

/** The real 2025-01-01 restructuring (Nông Sơn merged into Quế Sơn, communes merged or renamed). */
export const restructuring2025: RestructuringSeed = (() => {
  const c = unitsFile.changes_effective_2025_01_01;
  const toSeed = (u: { code: string; name: string; type: string; parent: string | null }): UnitSeed => ({
    code: u.code,
    name: u.name,
    type: u.type,
    level: levelOfType(u.type),
    parentCode: u.parent,
  });
  return {
    effectiveFrom: RESTRUCTURING_2025,
    mergedInto: MERGED_2025_01_01,
    removed: c.removed.map(toSeed),
    added: c.added.map(toSeed),
    changed: c.changed.map((x) => {
      const [name, type, parent] = x.after as [string, string, string];
      return { code: x.code, after: toSeed({ code: x.code, name, type, parent }) };
    }),
  };
})();
