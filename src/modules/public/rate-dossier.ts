import { eq } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { dossierEvents, dossiers, ratings } from '../../db/schema/index.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { ratingTokenOf } from '../dossiers/index.js';

export type Score = 'very_satisfied' | 'satisfied' | 'neutral' | 'unsatisfied';

/**
 * The applicant rates the handling after the result is returned, with the token printed on the receipt
 * (QĐ 766/QĐ-TTg group 5). Once per dossier; a wrong token is a 404 like an unknown code.
 */
export async function rateDossier(deps: Deps, code: string, input: { token: string; score: Score; comment?: string }) {
  const [d] = await deps.db.select().from(dossiers).where(eq(dossiers.code, code));
  const expected = Buffer.from(d ? ratingTokenOf(d.code, deps.config.PERSONAL_DATA_KEY) : 'x'.repeat(16));
  const given = Buffer.from(input.token);
  if (!d || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  if (d.status !== 'returned') {
    throw new DomainError('TRANSITION_NOT_ALLOWED', `Dossier ${code} can be rated once its result is returned`, { currentStatus: d.status });
  }
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(ratings)
      .values({ dossierId: d.id, score: input.score, comment: input.comment ?? null, ratedAt: deps.now() })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new DomainError('CONFLICT', `Dossier ${code} has already been rated`);
    // As a dossier event too: the quality-index counters are fed by events (indicator 5.4).
    await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'rated', actor: 'applicant', at: inserted[0]!.ratedAt, data: { score: input.score } });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code, event: 'rated' });
    return { code, score: input.score };
  });
}
