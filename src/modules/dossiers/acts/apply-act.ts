import { and, eq } from 'drizzle-orm';
import type { Context } from '../../../context.js';
import { actorName } from '../../../domain/actor.js';
import type { Tx } from '../../../db/client.js';
import { auditLog, dossierEvents, dossiers } from '../../../db/schema/index.js';
import { allowedActs, nextStatus, type DossierAct, type DossierStatus } from '../../../domain/dossier/state-machine.js';
import { actGrants, mayAct } from '../../../domain/dossier/who-may-act.js';
import { enqueueInTx } from '../../../jobs/enqueue.js';
import { DomainError } from '../../../lib/errors.js';
import { canAct, canSee } from '../access/visibility.js';
import { positionOf } from '../access/process-position.js';

export type DossierRow = typeof dossiers.$inferSelect;
type DossierChanges = Partial<Omit<typeof dossiers.$inferInsert, 'id' | 'code' | 'status' | 'version'>>;

export interface ActPlan<R> {
  /** Column changes besides status and version. */
  changes: DossierChanges;
  /** Data recorded on the dossier event. */
  eventData: Record<string, unknown>;
  /** Extra writes in the same transaction (control-slip line, pause ledger), given the dossier's id. */
  write?: (tx: Tx, dossier: DossierRow) => Promise<R>;
}

/**
 * Applies one act of the state machine to a dossier, all or nothing: the check against the state machine, the
 * dossier's new state (guarded by its version, so of two concurrent acts exactly one wins and the other gets
 * 409), the event (history and audit), the act's own rows and the outbox row, in one transaction.
 * A dossier outside the caller's scope is a 404, as if it did not exist.
 */
export type ActContext = Context<'db' | 'now' | 'config' | 'reference' | 'provinceLevel'>;

export async function applyAct<R>(
  ctx: ActContext,
  input: { code: string; act: DossierAct; expectedVersion?: number },
  plan: (dossier: DossierRow, at: Date) => Promise<ActPlan<R>> | ActPlan<R>,
): Promise<{ dossier: DossierRow; result: R | undefined }> {
  const { code, act } = input;
  const [current] = await ctx.db.select().from(dossiers).where(eq(dossiers.code, code));
  const province = await ctx.provinceLevel();
  if (!current || !canSee(ctx.actor, current, province)) {
    throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  }
  if (!canAct(ctx.actor, current, province)) {
    throw new DomainError('FORBIDDEN', `Your roles do not allow acting on dossier ${code}`);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw conflict(current, `Dossier ${code} changed since version ${input.expectedVersion}`, 'VERSION_CONFLICT');
  }
  const to = nextStatus(current.status, act);
  if (!to) throw conflict(current, `Dossier ${code} is ${current.status}; ${act} is not allowed`);
  // Separation of duties: the desk receives and returns, the holder of the step and the agency decide.
  const position = await positionOf(ctx, current);
  if (!mayAct(act, ctx.actor, position, province)) {
    const holder = `${current.holderRole ?? 'any role'} at ${current.holderAgencyCode}${current.holderUsername ? ` (${current.holderUsername})` : ''}`;
    const step = `it is at step ${current.currentStep}${position.decidingStep !== null ? ` of a process whose deciding step is ${position.decidingStep}` : ''}`;
    throw new DomainError('FORBIDDEN', `${act} on dossier ${code} is for: ${actGrants[act].join(', ')}; its current step is held by ${holder}; ${step}`, {
      holder: { agencyCode: current.holderAgencyCode, role: current.holderRole, username: current.holderUsername },
      currentStep: current.currentStep,
      decidingStep: position.decidingStep,
    });
  }
  const at = ctx.now();
  const p = await plan(current, at);

  const actor = actorName(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(dossiers)
      .set({ ...p.changes, status: to, version: current.version + 1, updatedAt: at })
      .where(and(eq(dossiers.id, current.id), eq(dossiers.version, current.version)))
      .returning();
    if (!updated) {
      const [now] = await tx.select().from(dossiers).where(eq(dossiers.id, current.id));
      throw conflict(now ?? current, `Dossier ${code} was changed by someone else at the same time; reload and retry`, 'VERSION_CONFLICT');
    }
    const result = p.write ? await p.write(tx, updated) : undefined;
    await tx.insert(dossierEvents).values({
      dossierId: current.id,
      type: act,
      fromStatus: current.status,
      toStatus: to,
      actor,
      at,
      data: p.eventData,
    });
    await tx.insert(auditLog).values({ actor, action: act, dossierCode: code, requestId: ctx.requestId ?? null });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: current.id, code, event: act });
    return { dossier: updated, result };
  });
}

function conflict(d: { status: DossierStatus; version: number }, message: string, code: 'TRANSITION_NOT_ALLOWED' | 'VERSION_CONFLICT' = 'TRANSITION_NOT_ALLOWED') {
  return new DomainError(code, message, {
    currentStatus: d.status,
    version: d.version,
    allowedActs: allowedActs(d.status),
  });
}
