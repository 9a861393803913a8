/**
 * The years motcua holds dates in: those its working calendar is compiled for (the loaded official calendar,
 * 2021-2027, with a wide margin either side; years beyond the loaded ones are answered provisionally, their holidays
 * computed). Every date or
 * instant taken from a request, and every calendar day the calendar compiles, lies within them: a date outside
 * (`0001-01-01`, `9999-12-31`, an administrator's `0050-06-15` for `2050-06-15`) can be neither computed with nor
 * stored, and is a 400 naming the field.
 */
export const SUPPORTED_YEARS = { from: 2000, to: 2060 } as const;
export const SUPPORTED_FROM = `${SUPPORTED_YEARS.from}-01-01`;
export const SUPPORTED_TO = `${SUPPORTED_YEARS.to}-12-31`;
export const SUPPORTED_RANGE_TEXT = `${SUPPORTED_FROM} .. ${SUPPORTED_TO}`;

/** Whether a 'YYYY-MM-DD' date (or the date part of an ISO text) lies in the supported years. */
export function inSupportedYears(isoText: string): boolean {
  const year = Number(isoText.slice(0, 4));
  return Number.isInteger(year) && year >= SUPPORTED_YEARS.from && year <= SUPPORTED_YEARS.to;
}
