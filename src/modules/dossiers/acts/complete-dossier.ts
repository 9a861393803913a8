import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { judgeAtEnding } from './timeliness-at-ending.js';
import type { completeBody } from '../http/schemas.js';

/**
 * The result is ready (Đã xử lý xong), with its electronic reference if any; the first ending fixes timeliness.
 * A result to be delivered by post gets its shipment to the postal partner in the same transaction.
 */
export async function completeDossier(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar' | 'dossierEffects'>, input: { code: string } & z.infer<typeof completeBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'complete' },
    async (d, at) => {
      const end = await judgeAtEnding(ctx, d, at);
      return {
        changes: { ...end.changes, resultReference: body.resultReference ?? null },
        eventData: { resultReference: body.resultReference ?? null, note: body.note ?? null, workingMinutesUsed: end.workingMinutesUsed },
        // Result by post: the shipment and the partner's webhooks, in this transaction (dossier-effects.ts).
        write: (tx, dossier) => ctx.dossierEffects.resultReady(tx, dossier, at),
      };
    },
  );
}
