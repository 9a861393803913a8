import type { z } from 'zod';
import { endWithoutResult, type EndWithoutResultContext } from './end-without-result.js';
import type { stopBody } from '../http/schemas.js';

/** Processing stopped or the dossier refused after intake (Dừng xử lý / Từ chối), with the reason. */
export async function stopDossier(ctx: EndWithoutResultContext, input: { code: string } & z.infer<typeof stopBody>) {
  return endWithoutResult(ctx, input, 'stop');
}
