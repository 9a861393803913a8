/**
 * Dossier code `{desk or agency code}-{yymmdd}-{sequence}` (DOMAIN.md §4): unique, the sequence per desk per
 * local day, 4 digits and growing past 9999 when needed. A supplement never changes it (Nghị định 45/2020 Art. 12).
 */
export function formatDossierCode(deskCode: string, localDate: string, sequence: number): string {
  const yymmdd = localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
  return `${deskCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export const dossierCodePattern = /^[A-Z]{1,4}[0-9A-Z.]{1,20}-\d{6}-\d{4,}$/;
