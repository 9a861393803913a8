import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { StaffContext } from '../../context.js';
import { postalPartners } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { partnerView } from './queries.js';
import type { updatePartnerBody } from './schemas.js';

/**
 * A province administrator changes a partner: its name, webhook URL, whether it carries results, or disables it
 * (a contract ended, a key leaked beyond rotation). Disabling keeps the partner and its history; its keys are
 * refused at once (verify-signature.ts), it is not chosen as a carrier (create-shipment.ts) and its webhooks wait
 * (deliver-webhook.ts). Disabling twice keeps the first time.
 */
export async function updatePartner(ctx: StaffContext<'db' | 'now' | 'logger'>, input: { code: string } & z.infer<typeof updatePartnerBody>) {
  const { code, ...body } = input;
  const actor = ctx.actor.username;
  const now = ctx.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const [partner] = await tx.select().from(postalPartners).where(eq(postalPartners.code, code)).for('update');
    if (!partner) throw new DomainError('PARTNER_NOT_FOUND', `Partner ${code} not found`);
    const disabledAt = body.disabled === undefined ? partner.disabledAt : body.disabled ? (partner.disabledAt ?? now) : null;
    const [row] = await tx
      .update(postalPartners)
      .set({
        name: body.name ?? partner.name,
        webhookUrl: body.webhookUrl === undefined ? partner.webhookUrl : body.webhookUrl,
        deliversResults: body.deliversResults ?? partner.deliversResults,
        disabledAt,
      })
      .where(eq(postalPartners.id, partner.id))
      .returning();
    return row!;
  });
  ctx.logger.info({ partner: code, changes: Object.keys(body), by: actor }, 'postal partner changed');
  return partnerView(ctx, updated);
}
