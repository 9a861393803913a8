import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { dossierPauses } from '../../../db/schema/index.js';
import { actorName } from '../../../domain/actor.js';
import { applyAct } from './apply-act.js';
import type { supplementRequestBody } from '../http/schemas.js';

/**
 * A supplement request during processing (Nghị định 61/2018 as amended; DOMAIN.md §5): the clock pauses from now
 * (a pause opens in the ledger, the due instant is unknown until the supplement arrives). A second request is
 * recorded as such: the national index counts the dossier late (QĐ 766/QĐ-TTg, indicator 2.1).
 */
export async function requestSupplement(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof supplementRequestBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'request_supplement' },
    (d, at) => ({
      // A pause that begins after the appointment has passed does not move it (pause-ledger.ts): the dossier stays
      // overdue while it waits, for the sweep, the lists and the index alike. Under policy `restart` the whole
      // time starts again on receipt, so the appointment is unknown until then.
      changes: { dueAt: d.supplementPolicy === 'pause' && d.dueAt && d.dueAt.getTime() <= at.getTime() ? d.dueAt : null, supplementRequests: d.supplementRequests + 1 },
      eventData: { reason: body.reason, items: body.items, requestNumber: d.supplementRequests + 1, repeated: d.supplementRequests >= 1 },
      write: async (tx, dossier) => {
        await tx.insert(dossierPauses).values({ dossierId: dossier.id, from: at, reason: body.reason, items: body.items, requestedBy: actorName(ctx.actor), dueBefore: d.dueAt });
      },
    }),
  );
}
