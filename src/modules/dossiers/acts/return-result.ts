import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { resultDesk, slipLine, writeLine } from './control-slip-line.js';
import { timelinessColumnsAtEnding } from './timeliness-at-ending.js';
import type { returnBody } from '../http/schemas.js';

/**
 * The result is handed to the applicant (Đã trả kết quả): how and when. The last line of the control slip
 * (Mẫu 05: the desk gives the result to the organisation or person), judged against the returning step's own time.
 */
export async function returnResult(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof returnBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'return_result' },
    async (d, at) => {
      const line = await slipLine(ctx, d, at, 'return', { agencyCode: resultDesk(d), role: 'applicant', username: null }, body.note ?? body.method);
      return {
        changes: { ...(await timelinessColumnsAtEnding(ctx, d, at)), returnedAt: at },
        eventData: { method: body.method, note: body.note ?? null },
        write: (tx, dossier) => writeLine(tx, dossier.id, { ...line, giverAgencyCode: resultDesk(dossier) }),
      };
    },
  );
}
