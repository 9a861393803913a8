import type { Deps } from '../../../deps.js';
import { decidingStepOf, type DossierPosition } from '../../../domain/dossier/who-may-act.js';
import type { DossierRow } from '../acts/apply-act.js';

/** The dossier as who-may-act.ts judges it: its holder and where it is in its procedure's process. */
export async function positionOf(deps: Pick<Deps, 'reference'>, d: DossierRow): Promise<DossierPosition> {
  const { steps } = await deps.reference.procedure(d.procedureCode);
  return { ...d, ...decidingStepOf(steps) };
}
