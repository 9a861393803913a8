import type { z } from 'zod';
import type { Deps } from '../../../deps.js';
import type { Principal } from '../../auth/index.js';
import { applyAct } from './apply-act.js';
import { closeOpenPause, endingChanges } from './timeliness-at-ending.js';
import type { withdrawBody } from '../http/schemas.js';

/** Withdrawn at the applicant's request (Công dân yêu cầu rút hồ sơ), recorded by the desk. */
export async function withdrawDossier(deps: Deps, code: string, body: z.infer<typeof withdrawBody>, who: Principal, requestId?: string) {
  return applyAct(
    deps,
    code,
    'withdraw',
    who,
    async (d, at) => ({
      changes: await endingChanges(deps, d, at),
      eventData: { reason: body.reason },
      write: async (tx, dossier) => {
        await closeOpenPause(tx, dossier.id, at);
        // Whoever submitted it on the applicant's behalf is told (dossier-effects.ts).
        await deps.dossierEffects.cancelled(tx, dossier, body.reason, at);
      },
    }),
    { requestId },
  );
}
