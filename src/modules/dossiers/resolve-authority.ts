import type { ProcedureRow } from '../../db/schema/index.js';
import type { ReferenceCache } from '../catalog/reference-cache.js';
import { DomainError } from '../../lib/errors.js';

export interface Authority {
  /** Who decides in law: 'agency', 'ubnd_tinh', 'chu_tich_ubnd_tinh', 'ubnd_huyen', … */
  authority: string;
  /** The agency that decides for this dossier (the delegate, when a delegation is in force). */
  agencyCode: string;
  /** The delegation or decentralisation decision relied on, if any. */
  decisionNumber: string | null;
}

/**
 * Resolves who decides a procedure for a dossier received at a desk on a local date (DOMAIN.md §8): a
 * delegation or decentralisation decision in force that day moves the authority to its delegate; district and
 * commune procedures are decided in the desk's own district or commune. The decision relied on is returned so
 * that it is recorded on the dossier.
 */
export async function resolveAuthority(
  reference: ReferenceCache,
  procedure: ProcedureRow,
  desk: { unitCode: string; level: string },
  date: string,
): Promise<Authority> {
  const delegation = await reference.decisionInForce(procedure.code, date);

  let agencyCode = delegation?.delegate ?? procedure.agencyCode;
  // A template code (district office, commune committee) becomes the concrete agency where the dossier is.
  if (!(await reference.agencyExists(agencyCode))) {
    const unit =
      procedure.level === 'commune' && desk.level === 'commune' ? desk.unitCode : await reference.districtOf(desk.unitCode, date);
    const concrete = await reference.agencyByTemplate(agencyCode, unit, date);
    if (!concrete) {
      throw new DomainError('AGENCY_NOT_FOUND', `No agency ${agencyCode} serves unit ${unit} on ${date}`);
    }
    agencyCode = concrete;
  }
  return { authority: procedure.authority, agencyCode, decisionNumber: delegation?.number ?? null };
}
