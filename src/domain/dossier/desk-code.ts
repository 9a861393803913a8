/**
 * One-stop desks are coded by level and unit: T (province), H (district), X (commune) + the unit's GSO code
 * (seeds/org: T49, H502, X20335). The unit a desk code belongs to, or null for any other holder (an agency).
 */
export function unitOfDesk(code: string): string | null {
  return /^[THX](\d+)$/.exec(code)?.[1] ?? null;
}
