import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { dossiers } from '../../db/schema/index.js';

/**
 * Locks a dossier's row for the file acts on it (an upload, a digitisation record, a re-use), so that two of them
 * at once count the dossier's files one after the other. No key update, the weakest lock that serialises them: it
 * does not wait for the key-share locks that the SLA sweep's flag events take on a million dossiers while it runs.
 */
export async function lockDossierForFiles(tx: Tx, dossierId: number): Promise<void> {
  await tx.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.id, dossierId)).for('no key update');
}
