/**
 * Timeliness of a dossier or a step (DOMAIN.md §5): late if it ended after its appointment; early if it ended
 * on a working day before the appointment's date; otherwise on time. Instants are epoch milliseconds; dates are compared in local time (UTC+7).
 */
export type Timeliness = 'early' | 'on_time' | 'late';

const LOCAL_OFFSET_MS = 7 * 3_600_000;
const localDay = (ms: number) => Math.floor((ms + LOCAL_OFFSET_MS) / 86_400_000);

export function timelinessOf(endedAt: number, dueAt: number, isWorkingDayAt: (ms: number) => boolean = () => true): Timeliness {
  if (endedAt > dueAt) return 'late';
  // Early only when the work ended on a working day before the appointment's date (DOMAIN.md §5).
  if (localDay(endedAt) < localDay(dueAt) && isWorkingDayAt(endedAt)) return 'early';
  return 'on_time';
}
