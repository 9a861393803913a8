import type { z } from 'zod';
import type { Deps } from '../../../deps.js';
import type { Principal } from '../../auth/index.js';
import { applyAct } from './apply-act.js';
import { endingChanges } from './timeliness-at-ending.js';
import type { returnBody } from '../http/schemas.js';

/** The result is handed to the applicant (Đã trả kết quả): how and when. */
export async function returnResult(deps: Deps, code: string, body: z.infer<typeof returnBody>, who: Principal, requestId?: string) {
  return applyAct(
    deps,
    code,
    'return_result',
    who,
    async (d, at) => ({
      changes: { ...(await endingChanges(deps, d, at)), returnedAt: at },
      eventData: { method: body.method, note: body.note ?? null },
    }),
    { requestId },
  );
}
