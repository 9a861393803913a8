/**
 * Folds Vietnamese text for search: lower case, diacritics removed, đ → d, spaces collapsed, so that
 * "dang ky khai sinh" finds "Đăng ký khai sinh".
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes LIKE wildcards so user text matches literally. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&');
