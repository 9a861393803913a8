/**
 * One-stop desks are coded by level and unit: T (province), H (district), X (commune) + the unit's GSO code
 * (seeds/org: T49, H502, X20335). The unit a desk code belongs to, or null for any other holder (an agency).
 */
export const deskCodePattern = '^[THX]([0-9]+)$';
const deskCode = new RegExp(deskCodePattern);

export function unitOfDesk(code: string): string | null {
  return deskCode.exec(code)?.[1] ?? null;
}

/** The desk codes a unit may have (its province centre, district or commune desk). */
export const deskCodesOfUnit = (unitCode: string) => [`T${unitCode}`, `H${unitCode}`, `X${unitCode}`];
