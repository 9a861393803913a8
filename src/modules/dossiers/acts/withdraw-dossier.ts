import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { closeOpenPause, timelinessColumnsAtEnding } from './timeliness-at-ending.js';
import type { withdrawBody } from '../http/schemas.js';

/** Withdrawn at the applicant's request (Công dân yêu cầu rút hồ sơ), recorded by the desk. */
export async function withdrawDossier(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar' | 'dossierEffects'>, input: { code: string } & z.infer<typeof withdrawBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'withdraw' },
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
