import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { postalPartners, postalSubmissions } from '../../db/schema/index.js';

/** The partner that submitted a dossier by post, if any (read inside the act's transaction). */
export async function submittingPartner(tx: Tx, dossierId: number) {
  const [row] = await tx
    .select({ partner: postalPartners })
    .from(postalSubmissions)
    .innerJoin(postalPartners, eq(postalPartners.id, postalSubmissions.partnerId))
    .where(eq(postalSubmissions.dossierId, dossierId));
  return row?.partner ?? null;
}
