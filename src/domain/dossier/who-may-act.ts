import { rolesOf, type Actor, type StaffActor } from '../actor.js';
import { isProvinceWide, type ProvinceLevel } from '../province-level.js';
import { unitOfDesk } from './desk-code.js';
import type { DossierAct } from './state-machine.js';

/**
 * Who may do which act on a dossier: separation of duties between the one-stop desk and the competent agency
 * (DOMAIN.md §4; Nghị định 61/2018/NĐ-CP Art. 15-20: the desk receives and returns; the agency examines, asks for
 * a supplement, decides or stops; each handoff is given by whoever holds the dossier). Pure. Whether the caller
 * sees the dossier at all (its units and agencies) is checked before this (src/modules/dossiers/scope.ts); an
 * auditor only reads.
 */

export type { Actor };

/** The dossier as this file judges it: who holds it and where it is in its procedure's process. */
export interface DossierPosition {
  code: string;
  /** The unit of the desk that received it (where the applicant collects the result). */
  unitCode: string;
  /** The agency that decides (after delegation). */
  authorityAgencyCode: string;
  /** Who holds the current step: an agency (or the desk's code at the desk's own steps), a role, a person. */
  holderAgencyCode: string;
  holderRole: string | null;
  holderUsername: string | null;
  /** The step of the procedure's process the dossier is at (1 = intake at the desk). */
  currentStep: number;
  /**
   * The process's deciding step: its last agency step, where the result is signed (decidingStepOf). Until the
   * dossier reaches it, only the deciding agency's head may complete it; null when the procedure has no process.
   */
  decidingStep: number | null;
  /** The role that performs the deciding step (agency_head, or leader: the chairman who signs). */
  decidingRole: string | null;
  /** The applicant's choice of desk to collect the result at, when not the receiving desk (Nghị định 118/2025). */
  resultDelivery?: { deskCode?: string };
}

/**
 * The unit whose desk returns the result: the desk the applicant chose (a location-independent dossier may be
 * returned at another centre of the city, Nghị định 118/2025/NĐ-CP), else the receiving unit. The work queue's SQL
 * repeats it (access/work-queue.ts).
 */
export const returnUnitOf = (d: { unitCode: string; resultDelivery?: { deskCode?: string } }) => unitOfDesk(d.resultDelivery?.deskCode ?? '') ?? d.unitCode;

/**
 * The deciding step of a procedure's process (DOMAIN.md §3: ordered steps, each with the unit or role that does
 * it): the last step an agency performs; the steps after it are the desk's (returning the result).
 */
export function decidingStepOf(steps: readonly { stepOrder: number; performer: Record<string, string> }[]): Pick<DossierPosition, 'decidingStep' | 'decidingRole'> {
  const deciding = steps.filter((s) => s.performer.kind === 'agency').reduce<(typeof steps)[number] | null>((last, s) => (last && last.stepOrder > s.stepOrder ? last : s), null);
  return { decidingStep: deciding?.stepOrder ?? null, decidingRole: deciding?.performer.role ?? null };
}

/**
 * The kinds of person an act is granted to:
 * - `holder`: holds the current step (its agency and role, or the person it was handed to); at a desk's steps, a
 *   desk officer of that desk's unit;
 * - `decider`: the dossier is at an agency (deciding is never the desk's), at or after the process's deciding step,
 *   and the caller holds the deciding step's role at that agency (the head, or the chairman through a head
 *   account): a specialist examining at step 2 does not sign the result that the head or the People's Committee's
 *   chairman signs at step 3 or 4, however many times the dossier was handed on meanwhile;
 * - `holder_agency_head`: the head of the agency holding the current step (acts for its staff, reassigns);
 * - `authority_agency_head`: the head of the deciding agency;
 * - `desk`: a desk officer of the receiving unit (receives supplements, takes a withdrawal);
 * - `return_desk`: a desk officer of the unit whose desk returns the result (returnUnitOf: the receiving unit
 *   unless the applicant chose another centre);
 * - `unit_admin`: the receiving unit's administrator; `province_admin`: the province's (reassignment only);
 * - `carrier`: the postal partner that delivered the dossier's result (it returns the result for the desk);
 * - `applicant`: the applicant downloading the result delivered electronically through the lookup's signed link
 *   (the download is the return).
 */
export type Grant = 'holder' | 'decider' | 'holder_agency_head' | 'authority_agency_head' | 'desk' | 'return_desk' | 'unit_admin' | 'province_admin' | 'carrier' | 'applicant';

export const actGrants: Record<DossierAct, readonly Grant[]> = {
  handoff: ['holder', 'holder_agency_head', 'unit_admin', 'province_admin'],
  request_supplement: ['holder', 'holder_agency_head'],
  receive_supplement: ['desk', 'holder', 'holder_agency_head'],
  complete: ['decider', 'authority_agency_head'],
  return_result: ['return_desk', 'carrier', 'applicant'],
  stop: ['holder_agency_head', 'authority_agency_head'],
  withdraw: ['desk', 'holder', 'holder_agency_head'],
};

/** A step's performer role as an account role: the leader who signs (Chủ tịch) acts through an agency_head account. */
const accountRoleFor = (stepRole: string) => (stepRole === 'leader' ? 'agency_head' : stepRole);

function has(actor: Actor, role: string, scopeKind: 'unit' | 'agency', scopeCode: string) {
  return rolesOf(actor).some((r) => r.role === role && r.scopeKind === scopeKind && r.scopeCode === scopeCode);
}

const atDesk = (d: Pick<DossierPosition, 'holderAgencyCode'>) => unitOfDesk(d.holderAgencyCode) !== null;

/** Who holds the dossier, without where it is in its process. */
type Holding = Omit<DossierPosition, 'code' | 'currentStep' | 'decidingStep' | 'decidingRole' | 'resultDelivery'>;

const isNamed = (actor: Actor, username: string) => actor.kind === 'staff' && actor.username === username;

/**
 * Whether the actor holds the dossier's current step (the `holder` grant). The work queue's SQL repeats this rule
 * (src/modules/dossiers/access/work-queue.ts); tests/integration/access-rules.test.ts checks that they agree.
 */
export function holdsStep(actor: Actor, d: Holding): boolean {
  if (d.holderRole === 'desk_officer' || atDesk(d)) {
    if (d.holderUsername && isNamed(actor, d.holderUsername)) return true;
    // Any officer of the desk holding it (a shared counter): the desk's own unit, which is the receiving unit
    // unless the dossier was handed to another desk.
    return has(actor, 'desk_officer', 'unit', unitOfDesk(d.holderAgencyCode) ?? d.unitCode) || has(actor, 'desk_officer', 'agency', d.holderAgencyCode);
  }
  if (d.holderUsername) return isNamed(actor, d.holderUsername);
  const role = d.holderRole === null ? null : accountRoleFor(d.holderRole);
  return rolesOf(actor).some(
    (r) => r.scopeKind === 'agency' && r.scopeCode === d.holderAgencyCode && r.role !== 'auditor' && (role === null || r.role === role),
  );
}

export function grantsHeld(actor: Actor, d: DossierPosition, province: ProvinceLevel): Set<Grant> {
  const held = new Set<Grant>();
  if (holdsStep(actor, d)) held.add('holder');
  if (has(actor, 'agency_head', 'agency', d.holderAgencyCode)) held.add('holder_agency_head');
  const atDecidingStep = d.decidingStep === null || d.currentStep >= d.decidingStep;
  const signer = d.decidingRole === null ? held.has('holder') || held.has('holder_agency_head') : has(actor, accountRoleFor(d.decidingRole), 'agency', d.holderAgencyCode);
  if (atDecidingStep && !atDesk(d) && signer) held.add('decider');
  if (has(actor, 'agency_head', 'agency', d.authorityAgencyCode)) held.add('authority_agency_head');
  if (has(actor, 'desk_officer', 'unit', d.unitCode)) held.add('desk');
  if (has(actor, 'desk_officer', 'unit', returnUnitOf(d))) held.add('return_desk');
  if (has(actor, 'unit_admin', 'unit', d.unitCode)) held.add('unit_admin');
  if (rolesOf(actor).some((r) => r.role === 'province_admin' && isProvinceWide(r, province))) held.add('province_admin');
  if (actor.kind === 'partner' && actor.deliveredDossier === d.code) held.add('carrier');
  if (actor.kind === 'citizen' && actor.receivesResultOf === d.code) held.add('applicant');
  return held;
}

/** Whether `actor` may do `act` on the dossier as it is now. */
export function mayAct(act: DossierAct, actor: Actor, d: DossierPosition, province: ProvinceLevel): boolean {
  const held = grantsHeld(actor, d, province);
  return actGrants[act].some((g) => held.has(g));
}

/** The acts `actor` may do on the dossier as it is now, whatever its state (the state machine says which apply). */
export function actsOf(actor: Actor, d: DossierPosition, province: ProvinceLevel): DossierAct[] {
  const held = grantsHeld(actor, d, province);
  return (Object.keys(actGrants) as DossierAct[]).filter((act) => actGrants[act].some((g) => held.has(g)));
}

/**
 * Whether a named person could hold a step at `holderAgencyCode` in `holderRole` (a handoff to a person): the
 * same test as for the holder of the current step, so a dossier is never handed to someone who could not act on it
 * (nor by a desk officer to themselves at an agency, to decide it).
 */
export function couldHold(actor: StaffActor, d: Holding, holderAgencyCode: string, holderRole: string | null): boolean {
  return holdsStep({ ...actor, roles: actor.roles.filter((r) => r.role !== 'auditor') }, { ...d, holderAgencyCode, holderRole, holderUsername: null });
}
