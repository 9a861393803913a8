import { desc, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { apologies, dossierPauses, dossiers, notifications } from '../../db/schema/index.js';
import { nextWorkingInstant } from '../../domain/calendar/index.js';
import { smsText, templates, type NoticeKind } from './templates.js';

const kindOf: Record<string, NoticeKind> = {
  received: 'receipt',
  request_supplement: 'supplement_request',
  apology_issued: 'apology',
  complete: 'result_ready',
};

/**
 * Turns a dossier event into messages to the applicant, by the channels they gave (SMS to the phone, e-mail if
 * any). One row per dossier, kind and channel: a job delivered twice writes nothing the second time. A
 * non-urgent message created outside working hours is held until the next working period of the dossier's desk.
 * Returns the rows to send.
 */
export async function createNotices(deps: Deps, dossierId: number, event: string) {
  const kind = kindOf[event];
  if (!kind) return [];
  const [d] = await deps.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
  if (!d) return [];
  let reason: string | undefined;
  let dueAt = d.dueAt ?? d.originalDueAt;
  if (kind === 'supplement_request') {
    const [p] = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id)).orderBy(desc(dossierPauses.id)).limit(1);
    reason = p ? `${p.reason}: ${p.items.join(', ')}` : undefined;
  }
  if (kind === 'apology') {
    const [a] = await deps.db.select().from(apologies).where(eq(apologies.dossierId, d.id));
    reason = a?.reason ?? undefined;
    dueAt = a?.newDueAt ?? dueAt;
  }
  const t = templates[kind];
  const text = t.text({ code: d.code, dueAt, reason });
  const now = deps.now();
  const cal = await deps.calendar.forDesk(d.deskCode);
  const notBefore = t.urgent ? now : new Date(Math.max(now.getTime(), nextWorkingInstant(cal, now.getTime())));
  const rows = [
    d.applicant.phone ? { channel: 'sms' as const, recipient: d.applicant.phone, body: smsText(text) } : null,
    d.applicant.email ? { channel: 'email' as const, recipient: d.applicant.email, body: text } : null,
  ].filter((r) => r !== null);
  if (rows.length === 0) return [];
  await deps.db
    .insert(notifications)
    .values(rows.map((r) => ({ ...r, dossierId: d.id, kind, urgent: t.urgent, status: 'pending' as const, notBefore })))
    .onConflictDoNothing();
  return deps.db.select().from(notifications).where(eq(notifications.dossierId, d.id)).then((all) => all.filter((n) => n.kind === kind && n.status === 'pending'));
}
