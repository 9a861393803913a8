import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { localDateOf } from '../../../domain/calendar/index.js';
import { stepOfReceiver } from '../access/process-position.js';
import { applyAct } from './apply-act.js';
import { resultDesk, slipLine, writeLine } from './control-slip-line.js';
import { judgeAtEnding } from './timeliness-at-ending.js';
import type { completeBody } from '../http/schemas.js';

/**
 * The result is ready (Đã xử lý xong), with its electronic reference if any; the first ending fixes timeliness.
 * The result goes to the desk where the applicant collects it: a control-slip line (Mẫu 05) for the step just
 * finished, and the dossier moves to the process's step of returning it, whose allotted time starts now.
 * A result to be delivered by post gets its shipment to the postal partner in the same transaction.
 */
export async function completeDossier(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar' | 'dossierEffects'>, input: { code: string } & z.infer<typeof completeBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'complete' },
    async (d, at) => {
      const end = await judgeAtEnding(ctx, d, at);
      const desk = { agencyCode: resultDesk(d), role: 'desk_officer', username: null };
      const line = await slipLine(ctx, d, at, 'completion', desk, body.note ?? null);
      const returnStep = await stepOfReceiver(ctx, d, desk, localDateOf(at.getTime()));
      return {
        changes: { ...end.changes, resultReference: body.resultReference ?? null, currentStep: returnStep, stepStartedAt: at },
        eventData: { resultReference: body.resultReference ?? null, note: body.note ?? null, workingMinutesUsed: end.workingMinutesUsed },
        // Result by post: the shipment and the partner's webhooks, in this transaction (dossier-effects.ts).
        write: async (tx, dossier) => {
          await writeLine(tx, dossier.id, line);
          return ctx.dossierEffects.resultReady(tx, dossier, at);
        },
      };
    },
  );
}
