import { and, eq, sql } from 'drizzle-orm';
import type { StaffContext } from '../../context.js';
import { apologies, dossierEvents, dossiers } from '../../db/schema/index.js';
import { addWorkingMinutes, isWorkingDay, localDateOf, workingMinutesBetween } from '../../domain/calendar/index.js';
import { responsibleAgency } from '../../domain/dossier/responsible-agency.js';
import { isOpen } from '../../domain/dossier/state-machine.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { visibleDossier } from '../dossiers/index.js';

/**
 * The agency head issues the apology and new appointment (Mẫu 04; provincial regulations applying Nghị định
 * 61/2018 as amended by 107/2021): once per dossier; the new appointment after the one it replaces; issued later
 * than one working day before the appointment it is accepted but flagged as a late apology. The dossier still
 * counts as late against its original appointment; the applicant is promised the new one.
 */
export async function issueApology(ctx: StaffContext<'db' | 'now' | 'calendar' | 'config' | 'provinceLevel'>, input: { code: string; reason: string; newAppointment: string }) {
  const { code } = input;
  const d = await visibleDossier(ctx, ctx.actor, code);
  // Signed by the head of the agency that answers for the delay now, or of the deciding agency (DOMAIN.md §6).
  const signers = new Set([responsibleAgency(d), d.authorityAgencyCode]);
  if (!ctx.actor.roles.some((r) => r.role === 'agency_head' && r.scopeKind === 'agency' && signers.has(r.scopeCode))) {
    throw new DomainError('FORBIDDEN', `The apology for dossier ${code} is signed by the head of agency ${[...signers].join(' or ')}`);
  }
  if (!isOpen(d.status)) {
    throw new DomainError('TRANSITION_NOT_ALLOWED', `Dossier ${code} is ${d.status}; an apology is for a dossier still being handled`, { currentStatus: d.status });
  }
  const now = ctx.now();
  // While the clock is stopped for a supplement the appointment is not known yet (it moves by the paused time):
  // a new appointment promised now could fall before it.
  if (d.dueAt === null) {
    throw new DomainError('TRANSITION_NOT_ALLOWED', `Dossier ${code} waits for a supplement: its appointment is known again once the supplement is received`, {
      currentStatus: d.status,
    });
  }
  const appointment = d.dueAt;
  const cal = await ctx.calendar.forDesk(d.deskCode);
  // Kept to the minute, rounded up as the deadline engine rounds every instant: Mẫu 04 prints the minute, and the
  // promise stored is the one printed.
  let newDueAt: Date;
  try {
    newDueAt = new Date(addWorkingMinutes(cal, new Date(input.newAppointment).getTime(), 0));
  } catch (e) {
    if (e instanceof RangeError) throw new DomainError('VALIDATION_FAILED', `body.newAppointment: ${e.message}`);
    throw e;
  }
  if (newDueAt.getTime() <= appointment.getTime()) {
    throw new DomainError('VALIDATION_FAILED', `body.newAppointment: must be after the current appointment ${appointment.toISOString()}`);
  }
  if (newDueAt.getTime() <= now.getTime()) {
    throw new DomainError('VALIDATION_FAILED', `body.newAppointment: must be in the future (now ${now.toISOString()})`);
  }
  // The applicant comes to collect the result then: a day the desk is open.
  if (!isWorkingDay(cal, localDateOf(newDueAt.getTime()))) {
    throw new DomainError('VALIDATION_FAILED', `body.newAppointment: ${localDateOf(newDueAt.getTime())} is not a working day at desk ${d.deskCode}`);
  }
  const lateApology = workingMinutesBetween(cal, now.getTime(), appointment.getTime()) < cal.hours.dayMinutes;
  const agencyCode = responsibleAgency(d);

  await ctx.db.transaction(async (tx) => {
    const issued = await tx
      .insert(apologies)
      .values({ dossierId: d.id, agencyCode, draftedAt: now, proposedDueAt: newDueAt, status: 'issued', reason: input.reason, previousDueAt: appointment, newDueAt, issuedAt: now, issuedBy: ctx.actor.username, lateApology })
      .onConflictDoUpdate({
        target: apologies.dossierId,
        set: { status: 'issued', reason: input.reason, previousDueAt: appointment, newDueAt, issuedAt: now, issuedBy: ctx.actor.username, lateApology },
        where: sql`${apologies.status} = 'draft'`,
      })
      .returning({ id: apologies.dossierId });
    // At most one apology per dossier (the appointment is reset only once; DOMAIN.md §6).
    if (issued.length === 0) throw new DomainError('APOLOGY_ALREADY_ISSUED', `An apology was already issued for dossier ${code}`);
    await tx
      .update(dossiers)
      .set({ newDueAt, version: sql`${dossiers.version} + 1`, updatedAt: now })
      .where(and(eq(dossiers.id, d.id)));
    await tx.insert(dossierEvents).values({
      dossierId: d.id,
      type: 'apology_issued',
      actor: ctx.actor.username,
      at: now,
      data: { reason: input.reason, previousDueAt: appointment.toISOString(), newDueAt: newDueAt.toISOString(), lateApology, agencyCode },
    });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code, event: 'apology_issued' });
  });
  const [row] = await ctx.db.select().from(apologies).where(eq(apologies.dossierId, d.id));
  return row!;
}
