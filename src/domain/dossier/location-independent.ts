/**
 * Intake anywhere in the city (Nghị định 118/2025/NĐ-CP: the provincial centre and every commune centre receive the
 * procedures "không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh" that the province lists). Pure: the
 * list in force on a day and whether it names a procedure.
 */
export interface LocationIndependentList {
  id: number;
  validFrom: string;
  /** The day the next version takes over, or null for the latest. */
  validTo: string | null;
  basis: string;
  /** Every procedure of city (province) level is on the list. */
  allCityLevel: boolean;
  procedureCodes: ReadonlySet<string>;
}

/** The version in force on a local date: the latest that started on or before it. */
export function listInForce<L extends { validFrom: string }>(versions: readonly L[], day: string): L | null {
  let found: L | null = null;
  for (const v of versions) if (v.validFrom <= day && (!found || v.validFrom > found.validFrom)) found = v;
  return found;
}

/** Whether the list takes in a procedure anywhere in the city. */
export const isListed = (list: Pick<LocationIndependentList, 'allCityLevel' | 'procedureCodes'>, procedure: { code: string; level: string }) =>
  (list.allCityLevel && procedure.level === 'province') || list.procedureCodes.has(procedure.code);

/** dd/mm/yyyy, as Vietnamese forms print a date. */
export const vietnameseDate = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
