import type { Deps } from '../../src/deps.js';
import { applyPlan, createPlan, orgSnapshot } from '../../src/modules/restructuring/index.js';

/** The legal basis the simulated administrator gives the 2025-07-01 plan. */
export const TRANSITION_BASIS = 'Nghị quyết 1659/NQ-UBTVQH15; Nghị định 118/2025/NĐ-CP';

const bare = (name: string) => name.replace(/^(Thành phố|Thị xã|Huyện|Quận|Phường|Xã|Thị trấn|Đặc khu)\s+/u, '').trim();

/**
 * The district rules an administrator would give the plan where the default (the new unit named after the district)
 * finds none: the unit formed from the district's seat (its thị trấn, else its first commune by code). The law names
 * no such unit: a district's own dossiers go to the commune that took its seat, as the simulator's assumption
 * (seeds/README.md).
 */
export async function seatRules(deps: Deps, on: string): Promise<Record<string, string>> {
  const org = await orgSnapshot(deps.db, on);
  const rules: Record<string, string> = {};
  for (const district of org.closingUnits.values()) {
    if (district.level !== 'district') continue;
    const communes = [...org.closingUnits.values()].filter((u) => u.parentCode === district.code).sort((a, b) => a.code.localeCompare(b.code));
    const formed = new Set(communes.flatMap((c) => (org.successors.get(c.code) ?? []).map((s) => s.code)));
    if ([...formed].filter((c) => bare(org.openUnits.get(c)?.name ?? '') === bare(district.name)).length === 1) continue;
    const seat = communes.find((c) => c.name.startsWith('Thị trấn')) ?? communes[0];
    const next = seat ? org.successors.get(seat.code)?.[0] : undefined;
    if (next && org.desksByUnit.has(next.code)) rules[district.code] = next.code;
  }
  return rules;
}

/**
 * The organisation change the history crosses, as a real run would make it: the plan of the open dossiers of the
 * closing desks and agencies, made and applied on the effective date's first instant (the deps' clock), in batches.
 */
export async function crossRestructuring(deps: Deps, on: string) {
  const at = { ...deps, now: () => new Date(`${on}T00:00:00+07:00`) };
  const started = performance.now();
  const plan = await createPlan(at, { effectiveFrom: on, basis: TRANSITION_BASIS, districtRules: await seatRules(deps, on) }, 'simulator');
  const applied = await applyPlan(at, plan.id, 'simulator', { batchSize: 2000 });
  return { ...applied, ms: performance.now() - started };
}
