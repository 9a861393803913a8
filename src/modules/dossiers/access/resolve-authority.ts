import type { ProcedureRow } from '../../../db/schema/index.js';
import { followChain, inForceOn, type ChainLink } from '../../../domain/delegation/decisions.js';
import { DomainError } from '../../../lib/errors.js';
import type { ReferenceCache } from '../../catalog/index.js';

export interface Authority {
  /** Who decides in law: 'agency', 'ubnd_tinh', 'chu_tich_ubnd_tinh', 'ubnd_huyen', … */
  authority: string;
  /** The agency that decides for this dossier (the last holder of the chain, or the implementing agency). */
  agencyCode: string;
  /** The decision relied on (the last of the chain, or the decentralisation regulation), if any. */
  decisionNumber: string | null;
  /** The decisions that led there, in order (a delegation, then a sub-delegation by its holder). */
  chain: ChainLink[];
}

const committeeAuthority: Record<string, string> = { district: 'ubnd_huyen', commune: 'ubnd_xa', province: 'ubnd_tinh' };

/**
 * Resolves who decides a procedure for a dossier received at a desk on a local date (DOMAIN.md §8): the
 * catalogue's authority, moved along the delegation decisions in force that day (province delegations, then
 * sub-delegations by their holders, e.g. a district committee to its office). District and commune procedures
 * are decided in the desk's own district or commune (from 2025-07-01, with no district level, in the commune: its
 * offices answer for the district offices' templates). The chain is returned so that it is recorded.
 */
export async function resolveAuthority(
  reference: ReferenceCache,
  procedure: ProcedureRow,
  desk: { unitCode: string; level: string },
  date: string,
): Promise<Authority> {
  const district = await reference.districtOf(desk.unitCode, date);
  const localUnit = await localUnitOf(reference, procedure.level, desk, date);
  const concrete = async (code: string) => {
    const agency = (await reference.agency(code, date)) ?? (await concreteTemplate(reference, code, [localUnit, province], date));
    return { agency: agency.code, unit: agency.unitCode, authority: agency.kind === 'people_committee' ? committeeAuthority[agency.level] : undefined };
  };
  const province = await reference.provinceOf(desk.unitCode, date);
  const startUnit = procedure.authority.endsWith('_tinh') ? province : procedure.authority.endsWith('_xa') ? localUnit : district;
  const decisions = await reference.decisionsFor(procedure);
  // Resolve templates first (followChain is synchronous).
  const concretes = new Map<string, { agency: string; unit: string; authority?: string }>();
  for (const d of decisions) if (!concretes.has(d.delegate)) concretes.set(d.delegate, await concrete(d.delegate).catch(() => ({ agency: d.delegate, unit: '' })));
  const { holder, chain } = followChain({ authority: procedure.authority, unit: startUnit }, decisions, date, (x) => concretes.get(x)!);

  const agencyCode = holder ?? (await concrete(procedure.agencyCode)).agency;
  // A decentralisation regulation that gave the holder this procedure is the rule relied on.
  const regulation = decisions.findLast((d) => d.kind === 'decentralisation' && inForceOn(d, date) && concretes.get(d.delegate)?.agency === agencyCode);
  return {
    authority: procedure.authority,
    agencyCode,
    decisionNumber: chain.at(-1)?.number ?? regulation?.number ?? null,
    chain,
  };
}

/**
 * The unit whose agencies act for a procedure received at a desk: a commune procedure at a commune desk is the
 * commune's; any other, the desk's district's (its offices; the province's agencies are named by their own codes).
 */
export async function localUnitOf(reference: ReferenceCache, procedureLevel: string, desk: { unitCode: string; level: string }, date: string) {
  return procedureLevel === 'commune' && desk.level === 'commune' ? desk.unitCode : reference.districtOf(desk.unitCode, date);
}

/** An agency code of the catalogue made concrete: itself if it is an agency, else the template's agency in `unit`. */
export async function concreteAgencyCode(reference: ReferenceCache, code: string, unit: string, date: string): Promise<string | undefined> {
  return (await reference.agency(code, date))?.code ?? (await reference.agencyByTemplate(code, unit, date));
}

/**
 * A template, or an agency code of an earlier organisation, made concrete on a date: the agency of the dossier's own
 * unit that answers for it, else the province's (a provincial department's successor after 2025-07-01).
 */
async function concreteTemplate(reference: ReferenceCache, template: string, units: string[], date: string) {
  for (const unit of units) {
    const code = await reference.agencyByTemplate(template, unit, date);
    const agency = code ? await reference.agency(code, date) : undefined;
    if (agency) return agency;
  }
  throw new DomainError('AGENCY_NOT_FOUND', `No agency ${template} serves unit ${units[0]} on ${date}`);
}
