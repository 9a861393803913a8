/**
 * One-stop desks are coded by level and unit: T (province), H (district), X (commune) + the unit's GSO code
 * (seeds/org: T49, H502, X20335); the centres of the 2025-07-01 organisation by two letters, TT (the city's centre)
 * and TX (a commune's centre) + the GSO code (TT48, TX20242), so that a reused GSO code never makes a new desk code
 * equal to an old one. The unit a desk code belongs to, or null for any other holder (an agency).
 */
export function unitOfDesk(code: string): string | null {
  return /^(?:T[TX]|[THX])(\d+)$/.exec(code)?.[1] ?? null;
}
