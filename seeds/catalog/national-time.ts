import type { TimeUnit } from './types.js';

/** A statutory time read from the national catalogue's text, and why it is not the literal reading (if so). */
export interface ReadTime {
  amount: number;
  unit: TimeUnit;
  text: string | null;
  note: 'bare_number' | 'months' | 'missing' | null;
}

/** A number as the portal prints it: "7", "120,000" (= 120, three decimals), "1.5" is not a whole time. */
function numberOf(s: string): number | null {
  const m = /^(\d+)(?:[.,](\d{3}))?$/.exec(s.trim());
  if (!m) return null;
  if (m[2] !== undefined && m[2] !== '000') return null;
  return Number(m[1]);
}

/**
 * Reads the time of a procedure from the portal's "Thời hạn giải quyết" text: "N Ngày làm việc" (working days),
 * "N Ngày" (calendar days: Bộ luật Dân sự 2015 Art. 146-148 count days, not working days, unless the text says so),
 * "N Giờ" (working hours), "N Tháng" (months, kept as N × 30 calendar days and flagged: the deadline engine counts
 * days), a bare "N" (no unit: kept as N working days and flagged `bare_number`, the unit is not guessed silently;
 * 0 in any unit is the same working day). Anything else is an error naming the procedure: the seed stops rather than
 * load a time it cannot read.
 */
export function readNationalTime(code: string, text: string): ReadTime {
  const m = /^\s*([\d.,]+)\s*(Ngày làm việc|Ngày|Giờ|Tháng)?\s*$/iu.exec(text);
  const amount = m ? numberOf(m[1]!) : null;
  if (!m || amount === null) throw new Error(`catalogue: the time of procedure ${code} cannot be read: "${text}"`);
  const unit = m[2]?.toLowerCase();
  if (amount === 0) return { amount: 1, unit: 'same_day', text, note: unit ? null : 'bare_number' };
  if (unit === 'ngày làm việc') return { amount, unit: 'working_day', text, note: null };
  if (unit === 'ngày') return { amount, unit: 'calendar_day', text, note: null };
  if (unit === 'giờ') return { amount, unit: 'working_hour', text, note: null };
  if (unit === 'tháng') return { amount: amount * 30, unit: 'calendar_day', text, note: 'months' };
  return { amount, unit: 'working_day', text, note: 'bare_number' };
}
