/**
 * Delegation of authority (DOMAIN.md §8; Luật Tổ chức chính quyền địa phương, Nghị định 61/2018 on one-stop
 * desks): who decides a procedure on a day is the authority of the catalogue, moved along the chain of
 * decisions in force that day (a province delegation, then a sub-delegation by its holder). Pure.
 */
export interface Decision {
  id?: number;
  number: string;
  kind: 'delegation' | 'decentralisation';
  /** The authority giving its power: ubnd_tinh, chu_tich_ubnd_tinh, ubnd_huyen, … or an agency code. */
  delegator: string;
  /** Where that authority is held: the province-level unit (49 Quảng Nam until 2025-06-30, 48 the city since) or a district's GSO code. */
  delegatorUnitCode: string;
  /** Who receives it: an agency code, or a template (DIST-…) resolved in the dossier's district. */
  delegate: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  revokedOn: string | null;
}

/** In force on a local date: [effective_from, effective_to) and not revoked on or before it. */
export const inForceOn = (d: Pick<Decision, 'effectiveFrom' | 'effectiveTo' | 'revokedOn'>, day: string) =>
  d.effectiveFrom <= day && (d.effectiveTo === null || d.effectiveTo > day) && (d.revokedOn === null || d.revokedOn > day);

/** The end of a decision's force (the earlier of its end date and its revocation), null = open. */
const endOf = (d: Decision) => [d.effectiveTo, d.revokedOn].filter((x): x is string => x !== null).sort()[0] ?? null;

/** Two periods [from, end) overlap. */
const overlap = (a: Decision, b: Decision) => {
  const ae = endOf(a);
  const be = endOf(b);
  return (be === null || a.effectiveFrom < be) && (ae === null || b.effectiveFrom < ae);
};

/**
 * Decisions that would give the same procedure and authority to a different holder at the same time as
 * `candidate` (the validation rule of DOMAIN.md §8). `others` are the decisions sharing at least one procedure.
 */
export function conflictsWith(candidate: Decision, others: Decision[]): Decision[] {
  return others.filter(
    (o) =>
      o.id !== candidate.id &&
      o.kind === 'delegation' &&
      candidate.kind === 'delegation' &&
      o.delegator === candidate.delegator &&
      o.delegatorUnitCode === candidate.delegatorUnitCode &&
      o.delegate !== candidate.delegate &&
      overlap(o, candidate),
  );
}

export interface ChainLink {
  number: string;
  kind: Decision['kind'];
  from: string;
  fromUnit: string;
  to: string;
}

/**
 * Follows the decisions in force on `day` from the catalogue's authority: each step finds a decision whose
 * delegator is the current holder (in its unit) and moves to its delegate (made concrete by `concretise`).
 * Stops after five steps; a cycle cannot loop because a holder is visited once.
 */
export function followChain(
  start: { authority: string; unit: string },
  decisions: Decision[],
  day: string,
  /** The concrete agency of a delegate, its unit, and the authority it holds as (a committee is `ubnd_huyen`…). */
  concretise: (delegate: string) => { agency: string; unit: string; authority?: string },
): { holder: string | null; chain: ChainLink[] } {
  const chain: ChainLink[] = [];
  const seen = new Set<string>();
  let current = { authority: start.authority, unit: start.unit };
  let holder: string | null = null;
  for (let step = 0; step < 5; step++) {
    const key = `${current.authority}@${current.unit}`;
    if (seen.has(key)) break;
    seen.add(key);
    const d = decisions.find((x) => inForceOn(x, day) && x.delegator === current.authority && x.delegatorUnitCode === current.unit);
    if (!d) break;
    const next = concretise(d.delegate);
    chain.push({ number: d.number, kind: d.kind, from: current.authority, fromUnit: current.unit, to: next.agency });
    holder = next.agency;
    current = { authority: next.authority ?? next.agency, unit: next.unit };
  }
  return { holder, chain };
}
