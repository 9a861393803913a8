import type { z } from 'zod';
import { endWithoutResult, type EndWithoutResultContext } from './end-without-result.js';
import type { withdrawBody } from '../http/schemas.js';

/** Withdrawn at the applicant's request (Công dân yêu cầu rút hồ sơ), recorded by the desk. */
export async function withdrawDossier(ctx: EndWithoutResultContext, input: { code: string } & z.infer<typeof withdrawBody>) {
  return endWithoutResult(ctx, input, 'withdraw');
}
