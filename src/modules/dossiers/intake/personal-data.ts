import { createHmac } from 'node:crypto';
import type { StoredApplicant } from '../../../db/schema/dossiers.js';
import type { z } from 'zod';
import type { applicantInput } from '../http/schemas.js';

/**
 * Personal data handling (Law 91/2025/QH15 on personal data protection; DOMAIN.md §11): the citizen ID number
 * is stored only as a keyed hash (matchable, never readable back in bulk) and shown masked.
 */
export const hashCitizenId = (citizenId: string, key: string) => createHmac('sha256', key).update(citizenId).digest('hex');

export const maskCitizenId = (citizenId: string) => `${'*'.repeat(citizenId.length - 3)}${citizenId.slice(-3)}`;

/** "Nguyễn Văn An" → "N*** V** A*": what a public page may show. */
export const maskName = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0] ?? ''}${'*'.repeat(Math.max(1, [...w].length - 1))}`)
    .join(' ');

export function storedApplicant(a: z.infer<typeof applicantInput>): StoredApplicant {
  return a.kind === 'person'
    ? {
        kind: 'person',
        name: a.name,
        phone: a.phone,
        email: a.email ?? null,
        address: a.address,
        citizenIdMasked: maskCitizenId(a.citizenId),
        taxCode: null,
        representative: null,
      }
    : {
        kind: 'organisation',
        name: a.name,
        phone: a.phone,
        email: a.email ?? null,
        address: a.address,
        citizenIdMasked: null,
        taxCode: a.taxCode,
        representative: a.representative,
      };
}
