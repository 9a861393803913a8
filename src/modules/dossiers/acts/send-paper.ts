import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { actorName } from '../../../domain/actor.js';
import { auditLog, dossiers, paperTransfers } from '../../../db/schema/index.js';
import { allowedActs } from '../../../domain/dossier/state-machine.js';
import { paperEnds, paperSendableIn, worksAt } from '../../../domain/dossier/paper-transfer.js';
import { DomainError } from '../../../lib/errors.js';
import { canSee } from '../access/visibility.js';
import type { paperSentBody } from '../http/schemas.js';
import { paperTransferView } from '../reads/paper-transfers.js';

/**
 * Records the paper dossier (or the paper result) sent to the other end, by post or by hand (domain/dossier/
 * paper-transfer.ts), with its own time; the electronic copy moves by the dossier's handoffs. Sent by someone at
 * the start: the receiving desk's officers for the papers, the deciding agency's staff for the result.
 */
export async function sendPaper(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel'>, input: { code: string } & z.infer<typeof paperSentBody>) {
  const [d] = await ctx.db.select().from(dossiers).where(eq(dossiers.code, input.code));
  if (!d || !canSee(ctx.actor, d, await ctx.provinceLevel())) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${input.code} not found`);
  const { from, to } = paperEnds(input.kind, d);
  if (!worksAt(ctx.actor, from)) throw new DomainError('FORBIDDEN', `The ${input.kind === 'dossier' ? 'paper dossier' : 'paper result'} of ${d.code} is sent by the staff of ${from}`);
  if (!paperSendableIn[input.kind].includes(d.status)) {
    throw new DomainError('TRANSITION_NOT_ALLOWED', `Dossier ${d.code} is ${d.status}; its ${input.kind === 'dossier' ? 'papers go while it is handled' : 'paper result goes once it is processed'}`, {
      currentStatus: d.status,
      allowedActs: allowedActs(d.status),
    });
  }
  const at = ctx.now();
  const who = actorName(ctx.actor);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(paperTransfers)
      .values({ dossierId: d.id, kind: input.kind, fromCode: from, toCode: to, method: input.method, reference: input.reference ?? null, sentAt: at, sentBy: who, note: input.note ?? null })
      .returning({ id: paperTransfers.id });
    await tx.insert(auditLog).values({ actor: who, action: 'paper_sent', dossierCode: d.code, requestId: ctx.requestId ?? null, detail: { id: row!.id, kind: input.kind, from, to, method: input.method } });
    return row!.id;
  });
  return paperTransferView(ctx, d.id, id);
}
