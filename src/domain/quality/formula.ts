import { z } from 'zod';

/**
 * The service-quality index of Decision 766/QĐ-TTg (DOMAIN.md §9), as configuration: groups with their maxima,
 * indicators with points and targets, and the inclusion rules. Pure: it scores measured numerators and
 * denominators; what is measured, and how, is src/modules/quality/measure.ts.
 */
export const indicatorSchema = z.object({
  id: z.string().regex(/^\d+\.[\dx]+$/),
  group: z.string(),
  name: z.string(),
  /** Points at full marks; 0 for an indicator kept for monitoring only (2.2). */
  points: z.number().min(0),
  /** The rate at which the indicator earns full marks (0-1); null for monitoring. */
  target: z.number().gt(0).max(1).nullable(),
  /** The measure computed for it (see measure.ts); `untracked` for data motcua does not hold yet. */
  measure: z.string(),
});

export const formulaDefinitionSchema = z.object({
  groups: z.array(z.object({ id: z.string(), name: z.string(), max: z.number().min(0) })).min(1),
  indicators: z.array(indicatorSchema).min(1),
  rules: z.object({
    /** A dossier resolved in time after more than one supplement request counts as late (indicator 2.1). */
    multipleSupplementsCountLate: z.boolean(),
    /** Dossiers still open at the period's end are judged then: in time if not yet past their appointment. */
    judgeOpenDossiersAtPeriodEnd: z.boolean(),
    /** A district's dossier indicators include its communes' dossiers; the province includes all. */
    rollUpSubordinateUnits: z.boolean(),
  }),
  /** Rating bands by total score, highest first (unconfirmed: configuration). */
  bands: z.array(z.object({ min: z.number(), label: z.string() })),
});
export type FormulaDefinition = z.infer<typeof formulaDefinitionSchema>;

/** What measure.ts found for one indicator: a rate's parts, a monitoring value, or nothing tracked. */
export type Measured =
  | { kind: 'rate'; numerator: number; denominator: number }
  | { kind: 'value'; value: number | null; unit: string }
  | { kind: 'untracked'; reason: string };

export interface ScoredIndicator {
  id: string;
  name: string;
  numerator: number | null;
  denominator: number | null;
  /** numerator ÷ denominator, 0-1; null when there is no data. */
  rate: number | null;
  target: number | null;
  points: number | null;
  maximum: number;
  /** scored; no_data (zero denominator); untracked (motcua does not hold the data); monitoring (no points). */
  status: 'scored' | 'no_data' | 'untracked' | 'monitoring';
  value?: number | null;
  unit?: string;
  note?: string;
}

export interface ScoredGroup {
  id: string;
  name: string;
  maximum: number;
  points: number;
  indicators: ScoredIndicator[];
}

export interface Score {
  formulaVersion: string;
  groups: ScoredGroup[];
  /** Sum of the points earned, out of 100. */
  total: number;
  /** The points at stake in the indicators that could be scored (the rest have no data or are untracked). */
  scoredMaximum: number;
  band: string | null;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Score of an indicator = min(pts, pts × rate ÷ target); a zero denominator is "no data", not a score. */
export function scoreIndicator(def: FormulaDefinition['indicators'][number], m: Measured): ScoredIndicator {
  const base = { id: def.id, name: def.name, target: def.target, maximum: def.points };
  if (m.kind === 'untracked') return { ...base, numerator: null, denominator: null, rate: null, points: null, status: 'untracked', note: m.reason };
  if (m.kind === 'value') return { ...base, numerator: null, denominator: null, rate: null, points: null, status: 'monitoring', value: m.value, unit: m.unit };
  if (m.denominator === 0) return { ...base, numerator: m.numerator, denominator: 0, rate: null, points: null, status: 'no_data' };
  const rate = Math.max(0, Math.min(1, m.numerator / m.denominator));
  if (def.target === null || def.points === 0) return { ...base, numerator: m.numerator, denominator: m.denominator, rate: round(rate, 4), points: null, status: 'monitoring' };
  const points = Math.min(def.points, (def.points * rate) / def.target);
  return { ...base, numerator: m.numerator, denominator: m.denominator, rate: round(rate, 4), points: round(points), status: 'scored' };
}

/** The whole score: indicators grouped, group points capped at the group's maximum, total and band. */
export function scoreIndex(version: string, def: FormulaDefinition, measured: (indicatorId: string, measure: string) => Measured): Score {
  const groups = def.groups.map((g) => {
    const indicators = def.indicators.filter((i) => i.group === g.id).map((i) => scoreIndicator(i, measured(i.id, i.measure)));
    const points = Math.min(g.max, indicators.reduce((s, i) => s + (i.points ?? 0), 0));
    return { id: g.id, name: g.name, maximum: g.max, points: round(points), indicators };
  });
  const total = round(groups.reduce((s, g) => s + g.points, 0));
  const scoredMaximum = groups.reduce((s, g) => s + g.indicators.filter((i) => i.status === 'scored').reduce((a, i) => a + i.maximum, 0), 0);
  const band = def.bands.find((b) => total >= b.min)?.label ?? null;
  return { formulaVersion: version, groups, total, scoredMaximum: round(scoredMaximum), band };
}
