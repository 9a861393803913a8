/**
 * Who acts, as every use case receives it in its context: a staff member with roles over units and agencies, a
 * postal partner (authenticated by signature), the system (a worker's job) or a citizen (the public lookup).
 * Pure data: how each came to be trusted (a token, a signature, a phone check) is the caller's business.
 */
export interface RoleGrant {
  role: string;
  scopeKind: 'unit' | 'agency';
  scopeCode: string;
}

export interface StaffActor {
  kind: 'staff';
  accountId: number;
  username: string;
  roles: readonly RoleGrant[];
}

export interface PartnerActor {
  kind: 'partner';
  partnerId: number;
  partnerCode: string;
  /**
   * The dossier whose result this partner has delivered, verified from its shipment by the postal module: the
   * postal operator returns that result for the desk (Nghị định 61/2018 Art. 20; Quyết định 45/2016/QĐ-TTg).
   */
  deliveredDossier?: string;
}

export interface SystemActor {
  kind: 'system';
  /** The job acting, e.g. `calendar-change`. */
  job: string;
}

export interface CitizenActor {
  kind: 'citizen';
  /**
   * The dossier whose result this applicant is receiving, verified by the documents module from a signed
   * download link the lookup gave after the phone check: downloading a result delivered electronically is its
   * return (results under Nghị định 45/2020 Art. 14 and Nghị định 118/2025 Art. 22; that the applicant's receipt
   * of the file is the moment of return is motcua's reading, to confirm with the province).
   */
  receivesResultOf?: string;
}

export type Actor = StaffActor | PartnerActor | SystemActor | CitizenActor;

/** The name recorded on events and audit rows: the account's username, `postal:<code>`, `system:<job>`, `citizen`. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'staff':
      return actor.username;
    case 'partner':
      return `postal:${actor.partnerCode}`;
    case 'system':
      return `system:${actor.job}`;
    case 'citizen':
      return 'citizen';
  }
}

/** The roles an actor holds over units and agencies: only staff hold any. */
export const rolesOf = (actor: Actor): readonly RoleGrant[] => (actor.kind === 'staff' ? actor.roles : []);
