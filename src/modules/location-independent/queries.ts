import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import type { LocationIndependentList } from '../../domain/dossier/location-independent.js';
import { listRow } from './list-cache.js';

/** A version as the API shows it: its period, basis, rule and named procedures, and who published it. */
export async function listView(deps: Pick<Deps, 'db' | 'locationIndependentLists'>, id: number) {
  const version = (await deps.locationIndependentLists.all()).find((v) => v.id === id);
  const row = await listRow(deps.db, id);
  if (!version || !row) throw new DomainError('NOT_FOUND', `No location-independent list ${id}`);
  return { ...summary(version), reason: row.reason, createdBy: row.createdBy, createdAt: row.createdAt };
}

const summary = (v: LocationIndependentList) => ({
  id: v.id,
  validFrom: v.validFrom,
  validTo: v.validTo,
  basis: v.basis,
  allCityLevel: v.allCityLevel,
  procedureCodes: [...v.procedureCodes].sort(),
});

/** Every version, oldest first (each with the day the next takes over). */
export async function listVersions(deps: Pick<Deps, 'locationIndependentLists'>) {
  return { items: (await deps.locationIndependentLists.all()).map(summary) };
}

/** The version in force on a day, or 404 (no list yet: before Nghị định 118/2025). */
export async function listOn(deps: Pick<Deps, 'db' | 'locationIndependentLists'>, day: string) {
  const v = await deps.locationIndependentLists.inForce(day);
  if (!v) throw new DomainError('NOT_FOUND', `No location-independent list is in force on ${day}`);
  return listView(deps, v.id);
}

/** Whether a procedure is taken in anywhere in the city on a day, and by which version. */
export async function procedureOn(deps: Pick<Deps, 'reference' | 'locationIndependentLists'>, code: string, day: string) {
  const { procedure } = await deps.reference.procedureOn(code, day);
  const v = await deps.locationIndependentLists.inForce(day);
  const byLevel = v !== null && v.allCityLevel && procedure.level === 'province';
  const named = v?.procedureCodes.has(code) ?? false;
  return { procedureCode: code, level: procedure.level, on: day, listed: byLevel || named, listId: v?.id ?? null, because: byLevel ? ('all_city_level' as const) : named ? ('named' as const) : null };
}
