/** Today's local date (Asia/Ho_Chi_Minh, UTC+7 without daylight saving) as 'YYYY-MM-DD'. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
