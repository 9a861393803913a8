/**
 * One-stop desks are coded by level and unit: T (province), H (district), X (commune) + the unit's GSO code
 * (seeds/org: T49, H502, X20335); the centres of the 2025-07-01 organisation by two letters, TT (the city's centre)
 * and TX (a commune's centre) + the GSO code (TT48, TX20242), so that a reused GSO code never makes a new desk code
 * equal to an old one. The unit a desk code belongs to, or null for any other holder (an agency).
 */
/** The desk-code pattern, shared by TypeScript and SQL (PostgreSQL's regular expressions read it the same). */
export const deskCodePattern = '^(?:T[TX]|[THX])([0-9]+)$';
const deskCode = new RegExp(deskCodePattern);

export function unitOfDesk(code: string): string | null {
  return deskCode.exec(code)?.[1] ?? null;
}

/** The desk codes a unit may have: its province centre, district or commune desk, or its centre of the two-level era. */
export const deskCodesOfUnit = (unitCode: string) => [`T${unitCode}`, `H${unitCode}`, `X${unitCode}`, `TT${unitCode}`, `TX${unitCode}`];
