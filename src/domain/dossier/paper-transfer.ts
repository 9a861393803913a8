import { rolesOf, type Actor } from '../actor.js';
import { unitOfDesk } from './desk-code.js';
import type { DossierStatus } from './state-machine.js';

/**
 * The paper dossier's own trail (Nghị định 118/2025/NĐ-CP: a dossier received at one centre and decided by an agency
 * elsewhere travels on paper, by the public postal service or by hand, apart from its electronic copy). Pure.
 * Two kinds, each between fixed ends:
 * - `dossier`: the papers the applicant handed in, from the receiving desk to the deciding agency, while the dossier
 *   is being handled;
 * - `result`: the paper result, from the deciding agency to the desk that returns it, once it is ready.
 * A transfer is sent (by someone at its start), then received once (by someone at its end): sent → received.
 */
export type PaperTransferKind = 'dossier' | 'result';

interface Placed {
  status: DossierStatus;
  deskCode: string;
  authorityAgencyCode: string;
  resultDelivery: { deskCode?: string };
}

/** Where a kind of paper goes from and to, for a dossier. */
export function paperEnds(kind: PaperTransferKind, d: Placed): { from: string; to: string } {
  const returnDesk = d.resultDelivery.deskCode ?? d.deskCode;
  return kind === 'dossier' ? { from: d.deskCode, to: d.authorityAgencyCode } : { from: d.authorityAgencyCode, to: returnDesk };
}

/** The dossier states in which a kind of paper may be sent: the papers while handled, the result once ready. */
export const paperSendableIn: Record<PaperTransferKind, readonly DossierStatus[]> = {
  dossier: ['received', 'in_processing', 'supplement_requested'],
  result: ['processed'],
};

/**
 * Whether the actor works at a desk or agency (sends from it, or receives at it): a desk officer of the desk's unit,
 * or any staff of the agency but an auditor.
 */
export function worksAt(actor: Actor, code: string): boolean {
  const unit = unitOfDesk(code);
  return rolesOf(actor).some((r) =>
    unit !== null ? r.role === 'desk_officer' && r.scopeKind === 'unit' && r.scopeCode === unit : r.role !== 'auditor' && r.scopeKind === 'agency' && r.scopeCode === code,
  );
}
