import { createReadStream } from 'node:fs';

export const mediaTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type MediaType = (typeof mediaTypes)[number];

/** The type of a file from its first bytes (magic numbers): `%PDF-`, JPEG's SOI marker FF D8 FF, PNG's 8-byte signature. */
export function detectMediaType(head: Buffer): MediaType | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export const extensionOf = (t: MediaType) => ({ 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' })[t];

/**
 * The page count of a PDF, read by streaming the file: the page objects (`/Type /Page`, not `/Pages`). A PDF whose
 * page objects are all inside compressed object streams shows none; then the page tree's largest `/Count` is the
 * answer when it is readable, else null (unknown, not zero).
 */
export async function pdfPageCount(path: string): Promise<number | null> {
  let pages = 0;
  let maxCount = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 256 * 1024 })) {
    const text = carry + (chunk as string);
    // Keep a tail so a token split across chunks is seen once: matches are counted only if they end before it.
    const cut = Math.max(0, text.length - 64);
    for (const m of text.matchAll(/\/Type\s*\/Page(?![a-zA-Z])/g)) if (m.index < cut) pages++;
    for (const m of text.matchAll(/\/Count\s+(\d{1,7})/g)) if (m.index < cut) maxCount = Math.max(maxCount, Number(m[1]));
    carry = text.slice(cut);
  }
  for (const _ of carry.matchAll(/\/Type\s*\/Page(?![a-zA-Z])/g)) pages++;
  for (const m of carry.matchAll(/\/Count\s+(\d{1,7})/g)) maxCount = Math.max(maxCount, Number(m[1]));
  if (pages > 0) return pages;
  return maxCount > 0 ? maxCount : null;
}
