/** One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export const csvCell = (v: string | number | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A CSV document: UTF-8 with a BOM, so that spreadsheet programs read Vietnamese right; CRLF line ends. */
export const csvDocument = (header: string[], rows: (string | number | null | undefined)[][]): string =>
  '\ufeff' + [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
