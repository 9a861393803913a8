import type { Deps } from '../../../deps.js';
import { unitOfDesk } from '../../../domain/dossier/desk-code.js';
import { decidingStepOf, type DossierPosition } from '../../../domain/dossier/who-may-act.js';
import type { DossierRow } from '../acts/apply-act.js';
import { concreteAgencyCode, localUnitOf } from './resolve-authority.js';

/** The dossier as who-may-act.ts judges it: its holder and where it is in its procedure's process. */
export async function positionOf(deps: Pick<Deps, 'reference'>, d: DossierRow): Promise<DossierPosition> {
  const { steps } = await deps.reference.procedureVersion(d.procedureId);
  return { ...d, ...decidingStepOf(steps) };
}

type Step = { stepOrder: number; performer: Record<string, string> };
const deskLevel: Record<string, string> = { T: 'province', H: 'district', X: 'commune' };

/**
 * The step of the procedure's process (DOMAIN.md §3: ordered steps, each with the unit or role that does it) that
 * a receiver takes the dossier at. A desk receives at the desk's steps; an agency at the steps its role performs
 * there, the catalogue's template agencies (DIST-UBND, …) made concrete in the dossier's district or commune as the
 * authority resolution does. When no step names the receiving agency (a delegated deciding agency, a department
 * consulted), its role decides; with no role named, its agency alone. Among the matching steps: the current one
 * (a reassignment within the step keeps it), else the next one ahead, else the nearest behind (a handoff back).
 * A receiver the process does not know keeps the step: the step in hand goes on (its allotted time still runs).
 */
export async function stepOfReceiver(
  deps: Pick<Deps, 'reference'>,
  d: DossierRow,
  receiver: { agencyCode: string; role: string | null },
  day: string,
): Promise<number> {
  const { procedure, steps } = await deps.reference.procedureVersion(d.procedureId);
  if (steps.length === 0) return d.currentStep;
  if (unitOfDesk(receiver.agencyCode) !== null) return nearest(d.currentStep, steps.filter((s) => s.performer.kind === 'desk'));
  const agencySteps = steps.filter((s) => s.performer.kind === 'agency');
  const unit = await localUnitOf(deps.reference, procedure.level, await placeOf(deps, d, day), day).catch(() => d.authorityUnitCode ?? d.unitCode);
  const agencyOf = new Map<string, string | undefined>();
  for (const s of agencySteps) {
    const code = s.performer.agencyCode;
    if (code && !agencyOf.has(code)) agencyOf.set(code, await concreteAgencyCode(deps.reference, code, unit, day).catch(() => undefined));
  }
  const atAgency = agencySteps.filter((s) => agencyOf.get(s.performer.agencyCode ?? '') === receiver.agencyCode);
  const byRole = (list: Step[]) => (receiver.role === null ? list : list.filter((s) => s.performer.role === receiver.role));
  for (const candidates of [byRole(atAgency), receiver.role === null ? [] : byRole(agencySteps)]) {
    if (candidates.length > 0) return nearest(d.currentStep, candidates);
  }
  return d.currentStep;
}

/**
 * Where the dossier is decided, as the intake resolved it: the unit recorded at intake (the city, or the commune
 * named for a location-independent dossier) with its level, else (dossiers recorded before) the receiving desk's.
 */
export async function placeOf(deps: Pick<Deps, 'reference'>, d: DossierRow, day: string): Promise<{ unitCode: string; level: string }> {
  if (d.authorityUnitCode !== null) {
    const desk = await deps.reference.deskOfUnit(d.authorityUnitCode, day);
    if (desk) return { unitCode: d.authorityUnitCode, level: desk.level };
  }
  return { unitCode: d.unitCode, level: deskLevel[d.deskCode[0] ?? ''] ?? 'district' };
}

function nearest(current: number, candidates: readonly Step[]): number {
  if (candidates.length === 0) return current;
  if (candidates.some((s) => s.stepOrder === current)) return current;
  const ahead = candidates.filter((s) => s.stepOrder > current).sort((a, b) => a.stepOrder - b.stepOrder)[0];
  if (ahead) return ahead.stepOrder;
  return candidates.filter((s) => s.stepOrder < current).sort((a, b) => b.stepOrder - a.stepOrder)[0]!.stepOrder;
}
