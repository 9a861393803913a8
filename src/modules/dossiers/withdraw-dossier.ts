import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { Principal } from '../auth/tokens.js';
import { applyAct } from './apply-act.js';
import { closeOpenPause, endingChanges } from './ending.js';
import type { withdrawBody } from './schemas.js';

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
      write: (tx, dossier) => closeOpenPause(tx, dossier.id, at),
    }),
    { requestId },
  );
}
