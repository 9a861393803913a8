/**
 * Timeliness of a dossier or a step (DOMAIN.md §5): late if it ended after its appointment; early if it ended
 * on a local date before the appointment's date (a working day, since work ends only on working days);
 * otherwise on time. Instants are epoch milliseconds; dates are compared in local time (UTC+7).
 */
export type Timeliness = 'early' | 'on_time' | 'late';

const LOCAL_OFFSET_MS = 7 * 3_600_000;
const localDay = (ms: number) => Math.floor((ms + LOCAL_OFFSET_MS) / 86_400_000);

export function timelinessOf(endedAt: number, dueAt: number): Timeliness {
  if (endedAt > dueAt) return 'late';
  if (localDay(endedAt) < localDay(dueAt)) return 'early';
  return 'on_time';
}
