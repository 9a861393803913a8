import { BoundedMap } from './bounded-map.js';

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

const folded = new BoundedMap<string, string>(20_000);

/**
 * foldVietnamese, remembered: the names folded at every intake (the catalogue's document names, and the same
 * names as handed in) recur, and folding them again was a twentieth of an intake's CPU (bench/intake). Bounded.
 */
export function foldVietnameseKept(text: string): string {
  let f = folded.get(text);
  if (f === undefined) {
    f = foldVietnamese(text);
    folded.set(text, f);
  }
  return f;
}

/** Escapes LIKE wildcards so user text matches literally. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&');
