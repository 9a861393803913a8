import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { closeOpenPause, timelinessColumnsAtEnding } from './timeliness-at-ending.js';
import type { stopBody } from '../http/schemas.js';

/** Processing stopped or the dossier refused after intake (Dừng xử lý / Từ chối), with the reason. */
export async function stopDossier(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar' | 'dossierEffects'>, input: { code: string } & z.infer<typeof stopBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'stop' },
    async (d, at) => ({
      changes: await timelinessColumnsAtEnding(ctx, d, at),
      eventData: { reason: body.reason },
      write: async (tx, dossier) => {
        await closeOpenPause(tx, dossier.id, at);
        // Whoever submitted it on the applicant's behalf is told (dossier-effects.ts).
        await ctx.dossierEffects.cancelled(tx, dossier, body.reason, at);
      },
    }),
  );
}
