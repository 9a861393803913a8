import type { DeskRow, ProcedureRow } from '../../../db/schema/index.js';
import type { CompetenceFacts } from '../../../domain/dossier/competence.js';
import { isListed } from '../../../domain/dossier/location-independent.js';
import { DomainError } from '../../../lib/errors.js';
import type { ReferenceCache } from '../../catalog/index.js';
import type { LocationIndependentLists } from '../../location-independent/index.js';

/** The unit whose competent authority decides a dossier, with its level (what resolveAuthority reads of a desk). */
export interface Place {
  unitCode: string;
  level: string;
}

export interface Placement {
  /** Where the dossier is decided; null when the intake must name a commune and did not. */
  place: Place | null;
  /** The facts of Nghị định 118/2025's rule for the competence check; absent before any list was in force. */
  anywhere?: NonNullable<CompetenceFacts['anywhere']>;
  listId: number | null;
}

/**
 * Where a dossier received at a desk is decided, and which desk would take it in as its own (Nghị định
 * 118/2025/NĐ-CP: the centres receive a listed procedure for any unit of the city and route it by the procedure's
 * competent authority, not by the desk that received it):
 * - a city-level procedure is decided by the city (its departments, committee or chairman); its own desk is the city's centre;
 * - a commune-level procedure (and a former district-level one, decided in the commune since 2025-07-01) is decided
 *   by the commune the intake names (`authorityUnitCode`: where the applicant resides, or where the subject — land,
 *   house, business — is located, as the procedure's own rules say), by default the receiving commune; its own desk
 *   is that commune's centre. The intake names it because only the applicant's papers say which commune is
 *   competent: the desk cannot infer it from the address text, and a wrong guess would send the dossier to an
 *   authority that may not decide it.
 * Before any list is in force (the pilot of 2021-2025) the receiving desk's unit decides, as it always did, and an
 * intake may not name another unit.
 */
export async function placeOfDecision(
  deps: { reference: ReferenceCache; locationIndependentLists: LocationIndependentLists },
  procedure: ProcedureRow,
  desk: DeskRow,
  day: string,
  authorityUnitCode: string | undefined,
): Promise<Placement> {
  const list = await deps.locationIndependentLists.inForce(day);
  if (!list) {
    if (authorityUnitCode !== undefined && authorityUnitCode !== desk.unitCode) {
      throw new DomainError('VALIDATION_FAILED', `body.authorityUnitCode: no location-independent list is in force on ${day}; a dossier is decided by the receiving unit`);
    }
    return { place: desk, listId: null };
  }
  const province = await deps.reference.provinceOf(desk.unitCode, day);
  let place: Place | null = null;
  if (procedure.level === 'province') {
    if (authorityUnitCode !== undefined && authorityUnitCode !== province) {
      throw new DomainError('VALIDATION_FAILED', `body.authorityUnitCode: procedure ${procedure.code} is decided by the city (${province}), not by a commune`);
    }
    place = { unitCode: province, level: 'province' };
  } else if (authorityUnitCode !== undefined) {
    const unitDesk = await deps.reference.deskOfUnit(authorityUnitCode, day);
    if (!unitDesk || unitDesk.level !== 'commune') throw new DomainError('VALIDATION_FAILED', `body.authorityUnitCode: no commune-level unit ${authorityUnitCode} on ${day}`);
    const itsProvince = await deps.reference.provinceOf(authorityUnitCode, day);
    if (itsProvince !== province) {
      throw new DomainError('VALIDATION_FAILED', `body.authorityUnitCode: unit ${authorityUnitCode} is not in ${province}, the city of desk ${desk.code}`);
    }
    place = { unitCode: authorityUnitCode, level: 'commune' };
  } else if (desk.level === 'commune') {
    place = { unitCode: desk.unitCode, level: 'commune' };
  }
  const own = place ? await deps.reference.deskOfUnit(place.unitCode, day) : undefined;
  return {
    place,
    listId: list.id,
    anywhere: {
      ownDesk: own ? { code: own.code, name: own.name } : null,
      listed: isListed(list, procedure),
      list: { validFrom: list.validFrom, basis: list.basis },
    },
  };
}

/**
 * The desk that returns the result (the applicant's choice among the city's desks, Nghị định 118/2025/NĐ-CP), checked:
 * a desk in force in the same city, and another than the receiving desk only for a procedure taken in anywhere.
 */
export async function returnDeskOf(
  reference: ReferenceCache,
  desk: DeskRow,
  chosen: string | undefined,
  day: string,
  anywhere: boolean,
): Promise<string> {
  if (chosen === undefined || chosen === desk.code) return desk.code;
  const other = await reference.desk(chosen, day).catch(() => null);
  if (!other) throw new DomainError('VALIDATION_FAILED', `body.resultDelivery.deskCode: no desk ${chosen} on ${day}`);
  if (!anywhere) {
    throw new DomainError('VALIDATION_FAILED', `body.resultDelivery.deskCode: this procedure is not received anywhere in the city on ${day}; its result is returned at ${desk.code}`);
  }
  const [ours, theirs] = await Promise.all([reference.provinceOf(desk.unitCode, day), reference.provinceOf(other.unitCode, day)]);
  if (ours !== theirs) throw new DomainError('VALIDATION_FAILED', `body.resultDelivery.deskCode: desk ${chosen} is not in ${ours}, the city of desk ${desk.code}`);
  return other.code;
}
