import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { applyAct } from './apply-act.js';
import { timelinessColumnsAtEnding } from './timeliness-at-ending.js';
import type { returnBody } from '../http/schemas.js';

/** The result is handed to the applicant (Đã trả kết quả): how and when. */
export async function returnResult(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof returnBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'return_result' },
    async (d, at) => ({
      changes: { ...(await timelinessColumnsAtEnding(ctx, d, at)), returnedAt: at },
      eventData: { method: body.method, note: body.note ?? null },
    }),
  );
}
