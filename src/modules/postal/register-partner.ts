import type { StaffContext } from '../../context.js';
import { postalPartners } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { issueKey } from './rotate-key.js';
import type { createPartnerBody } from './schemas.js';
import type { z } from 'zod';

/** A province administrator registers a postal partner; its first API key is returned, once. */
export async function registerPartner(ctx: StaffContext<'db' | 'now' | 'config'>, body: z.infer<typeof createPartnerBody>) {
  const actor = ctx.actor.username;
  const now = ctx.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [partner] = await tx
        .insert(postalPartners)
        .values({ code: body.code, name: body.name, webhookUrl: body.webhookUrl ?? null, deliversResults: body.deliversResults, createdAt: now, createdBy: actor })
        .returning();
      const key = await issueKey(tx, ctx, partner!.id, now);
      return { partner: partner!, key };
    });
  } catch (err) {
    const c = (err as { cause?: { code?: string }; code?: string }).cause ?? (err as { code?: string });
    if (c.code === '23505') throw new DomainError('PARTNER_EXISTS', `A partner with code ${body.code} already exists`);
    throw err;
  }
}
