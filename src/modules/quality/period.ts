import { DomainError } from '../../lib/errors.js';

/** A reporting period as local dates, inclusive: a year, a quarter or a month (DOMAIN.md §9). */
export interface Period {
  label: string;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Days in a month of the proleptic Gregorian calendar (a calendar fact, not deadline arithmetic). */
const daysIn = (y: number, m: number) => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

export const PERIOD_PATTERN = /^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$/;

/** `2023`, `2023-Q2` or `2023-05` → its first and last local dates. */
export function parsePeriod(label: string): Period {
  const m = PERIOD_PATTERN.exec(label);
  if (!m) throw new DomainError('VALIDATION_FAILED', `period must be YYYY, YYYY-Qn or YYYY-MM, not ${label}`);
  const y = Number(m[1]);
  const part = m[2];
  if (!part) return { label, from: `${y}-01-01`, to: `${y}-12-31` };
  if (part.startsWith('Q')) {
    const q = Number(part.slice(1));
    const first = 3 * q - 2;
    const last = 3 * q;
    return { label, from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${daysIn(y, last)}` };
  }
  const mo = Number(part);
  return { label, from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${daysIn(y, mo)}` };
}

/** The months of a period, for charts over time. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  let [y, m] = p.from.split('-').map(Number) as [number, number];
  const [ty, tm] = p.to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${pad(m)}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
