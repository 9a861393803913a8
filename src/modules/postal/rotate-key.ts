import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { postalPartnerKeys, postalPartners } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { encryptSecret, newKey } from './secrets.js';

/** Writes a new key for a partner; the secret is returned here and never again. */
export async function issueKey(tx: DbOrTx, deps: Pick<Deps, 'config'>, partnerId: number, now: Date) {
  const key = newKey();
  await tx.insert(postalPartnerKeys).values({
    id: key.id,
    partnerId,
    secretEncrypted: encryptSecret(key.secret, deps.config.PERSONAL_DATA_KEY),
    createdAt: now,
    expiresAt: null,
  });
  return { id: key.id, secret: key.secret, createdAt: now };
}

/**
 * Rotation: a new key, and every key still valid now ends at now + overlap (default POSTAL_KEY_OVERLAP_SECONDS),
 * so the partner can switch without a gap. An overlap of 0 ends the old keys at once (a leaked key).
 */
export async function rotateKey(deps: Deps, partnerCode: string, overlapSeconds: number | undefined) {
  const now = deps.now();
  const overlap = overlapSeconds ?? deps.config.POSTAL_KEY_OVERLAP_SECONDS;
  const oldKeysEnd = new Date(now.getTime() + overlap * 1000);
  return deps.db.transaction(async (tx) => {
    const [partner] = await tx.select().from(postalPartners).where(eq(postalPartners.code, partnerCode)).for('update');
    if (!partner) throw new DomainError('PARTNER_NOT_FOUND', `Partner ${partnerCode} not found`);
    const ended = await tx
      .update(postalPartnerKeys)
      .set({ expiresAt: oldKeysEnd })
      .where(
        and(
          eq(postalPartnerKeys.partnerId, partner.id),
          or(isNull(postalPartnerKeys.expiresAt), gt(postalPartnerKeys.expiresAt, oldKeysEnd)),
        ),
      )
      .returning({ id: postalPartnerKeys.id });
    const key = await issueKey(tx, deps, partner.id, now);
    return { key, previousKeys: ended.map((k) => ({ id: k.id, expiresAt: oldKeysEnd })) };
  });
}
