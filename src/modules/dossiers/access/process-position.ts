import type { Deps } from '../../../deps.js';
import { decidingStepOf, type DossierParties } from '../../../domain/dossier/who-may-act.js';
import type { DossierRow } from '../acts/apply-act.js';

/** The dossier as who-may-act.ts judges it: its holder and where it is in its procedure's process. */
export async function partiesOf(deps: Deps, d: DossierRow): Promise<DossierParties> {
  const { steps } = await deps.reference.procedure(d.procedureCode);
  return { ...d, ...decidingStepOf(steps) };
}
