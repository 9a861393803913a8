import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { actorName } from '../../../domain/actor.js';
import { auditLog, dossiers, paperTransfers } from '../../../db/schema/index.js';
import { worksAt } from '../../../domain/dossier/paper-transfer.js';
import { DomainError } from '../../../lib/errors.js';
import { canSee } from '../access/visibility.js';
import type { paperReceivedBody } from '../http/schemas.js';
import { paperTransferView } from '../reads/paper-transfers.js';

/** Records a paper transfer received at its end, once, by someone working there (sent → received). */
export async function receivePaper(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel'>, input: { code: string; id: number } & z.infer<typeof paperReceivedBody>) {
  const [d] = await ctx.db.select().from(dossiers).where(eq(dossiers.code, input.code));
  if (!d || !canSee(ctx.actor, d, await ctx.provinceLevel())) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${input.code} not found`);
  const [t] = await ctx.db.select().from(paperTransfers).where(and(eq(paperTransfers.id, input.id), eq(paperTransfers.dossierId, d.id)));
  if (!t) throw new DomainError('NOT_FOUND', `Dossier ${d.code} has no paper transfer ${input.id}`);
  if (!worksAt(ctx.actor, t.toCode)) throw new DomainError('FORBIDDEN', `Paper transfer ${t.id} of ${d.code} is received by the staff of ${t.toCode}`);
  const at = ctx.now();
  const who = actorName(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    // Received once: of two receipts at the same time, one records it and the other is told.
    const done = await tx
      .update(paperTransfers)
      .set({ receivedAt: at, receivedBy: who, ...(input.note ? { note: t.note ? `${t.note}\n${input.note}` : input.note } : {}) })
      .where(and(eq(paperTransfers.id, t.id), isNull(paperTransfers.receivedAt)))
      .returning({ id: paperTransfers.id });
    if (done.length === 0) throw new DomainError('CONFLICT', `Paper transfer ${t.id} of ${d.code} was received already`);
    await tx.insert(auditLog).values({ actor: who, action: 'paper_received', dossierCode: d.code, requestId: ctx.requestId ?? null, detail: { id: t.id, kind: t.kind } });
  });
  return paperTransferView(ctx, d.id, t.id);
}
