import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { closeOpenPause, timelinessColumnsAtEnding } from './timeliness-at-ending.js';

export type EndWithoutResultContext = Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar' | 'dossierEffects'>;

/**
 * The two ways a dossier ends with no result, stopping and withdrawal (DOMAIN.md §4), do the same: the first
 * ending fixes the timeliness, an open supplement pause closes at that instant, and whoever submitted the dossier
 * for the applicant (the postal partner) is told, in the act's transaction.
 */
export async function endWithoutResult(ctx: EndWithoutResultContext, input: { code: string; reason: string }, act: 'stop' | 'withdraw') {
  return applyAct(ctx, { code: input.code, act }, async (d, at) => ({
    changes: await timelinessColumnsAtEnding(ctx, d, at),
    eventData: { reason: input.reason },
    write: async (tx, dossier) => {
      await closeOpenPause(tx, dossier.id, at);
      await ctx.dossierEffects.cancelled(tx, dossier, input.reason, at);
    },
  }));
}
