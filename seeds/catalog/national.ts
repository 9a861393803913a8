import { readFileSync } from 'node:fs';
import { fromRoot } from '../../src/lib/paths.js';
import { foldVietnamese } from '../../src/lib/text.js';
import { CITY_DESK, TWO_LEVEL_2025 } from '../org/two-level-2025.js';
import { mapNationalAgency } from './national-agency.js';
import { readNationalTime, type ReadTime } from './national-time.js';
import { buildSteps } from './steps.js';
import { minutesOf } from './procedures.js';
import type { FieldSeed, ProcedureSeed } from './types.js';

/** A procedure of data/tthc-city-commune.json (the national catalogue's city and commune procedures). */
export interface NationalProcedure {
  code: string;
  name: string;
  levels: string[];
  field: string;
  agency?: string;
  authority?: string;
  decision?: string;
  publisher?: string;
  url?: string;
  time?: { amount: number; unit?: string; text: string };
  methods?: { method: 'direct' | 'online' | 'postal'; fees?: { amount?: number; text?: string; note?: string }[] }[];
  online?: boolean;
  postal?: boolean;
  documents?: { name: string; original: number; copies: number; case?: string }[];
  legalBasis?: string[];
}

export interface NationalFile {
  allCodes: string[];
  procedures: NationalProcedure[];
}

/**
 * Read at load time from the repository (from src/ or dist/ alike), not imported: a 6 MB JSON module would slow the
 * type checker and every import of the seeds.
 */
export function readNationalFile(): NationalFile {
  return JSON.parse(readFileSync(fromRoot('seeds/data/tthc-city-commune.json'), 'utf8')) as NationalFile;
}

/** A field of the national catalogue: its name, and a code made of it (folded, upper case), e.g. DANG-KY-QUAN-LY-CU-TRU. */
export const nationalFieldCode = (name: string) =>
  foldVietnamese(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const COMMUNE_MARK = /cấp xã|UBND xã|Ủy ban nhân dân xã|Uỷ ban nhân dân xã|Công an xã|xã, phường/iu;
const CITY_MARK = /cấp tỉnh|Sở |tỉnh, thành phố|Công an tỉnh|thành phố trực thuộc/iu;

/**
 * The level it is kept under: the city when the national catalogue names only the city (or the ministry and the
 * city), the commune when it names only the commune; when it names both, the level its implementing agency's text
 * points to (the city unless the text names only commune bodies). `levels` keeps every level it names, and a commune
 * centre receives a procedure of both levels (domain/dossier/competence.ts).
 */
function primaryLevel(p: NationalProcedure): 'province' | 'commune' {
  const city = p.levels.includes('province');
  const commune = p.levels.includes('commune');
  if (city && commune) return COMMUNE_MARK.test(p.agency ?? '') && !CITY_MARK.test(p.agency ?? '') ? 'commune' : 'province';
  return city ? 'province' : 'commune';
}

/**
 * Fees of every submission method: one entry per fee, with the method where the methods differ (the online fee of
 * a residence registration is half the desk's). `amountVnd` null where the source gives only a note.
 */
function feesOf(p: NationalProcedure): ProcedureSeed['fees'] {
  const methods = (p.methods ?? []).filter((m) => (m.fees ?? []).length > 0);
  const entries = methods.flatMap((m) => (m.fees ?? []).map((f) => ({ name: (f.note ?? f.text ?? 'Phí, lệ phí').trim(), amountVnd: f.amount ?? null, method: m.method })));
  const key = (f: { name: string; amountVnd: number | null }) => `${f.amountVnd}|${f.name}`;
  const out: ProcedureSeed['fees'] = [];
  for (const f of entries) {
    if (out.some((o) => key(o) === key(f) && (o.method === undefined || o.method === f.method))) continue;
    const everywhere = methods.every((m) => (m.fees ?? []).some((g) => key({ name: (g.note ?? g.text ?? 'Phí, lệ phí').trim(), amountVnd: g.amount ?? null }) === key(f)));
    out.push(everywhere ? { name: f.name, amountVnd: f.amountVnd } : f);
  }
  return out;
}

/**
 * The documents, originals and copies as listed. An item belonging to a named case (the page groups documents by
 * case) is required only in that case, and an item with neither original nor copy is a note: neither is required
 * at intake (the desk judges the case); the others are.
 */
const documentsOf = (p: NationalProcedure): ProcedureSeed['documents'] =>
  (p.documents ?? []).map((d) => ({
    name: d.name,
    originals: d.original,
    copies: d.copies,
    required: d.case === undefined && d.original + d.copies > 0,
    ...(d.case === undefined ? {} : { case: d.case }),
  }));

/** The most frequent time among procedures (of a field), for a procedure whose time is not published. */
function usualTime(times: ReadTime[]): ReadTime {
  const counts = new Map<string, { t: ReadTime; n: number }>();
  for (const t of times) {
    const k = `${t.amount} ${t.unit}`;
    counts.set(k, { t, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n || a.t.amount - b.t.amount)[0];
  return best ? { ...best.t, text: null, note: 'missing' } : { amount: 5, unit: 'working_day', text: null, note: 'missing' };
}

/**
 * The new-era catalogue's real part: every procedure of city or commune level of the national catalogue, from
 * 2025-07-01, with its code, name, field, time, fees, documents, legal basis and submission methods, its agency
 * mapped to the 2025 organisation and an internal process whose minutes add up to its time (catalog/steps.ts).
 */
export function buildNationalProcedures(file: NationalFile): { procedures: ProcedureSeed[]; fields: FieldSeed[] } {
  const times = new Map(file.procedures.filter((p) => p.time).map((p) => [p.code, readNationalTime(p.code, p.time!.text)]));
  const byField = new Map<string, ReadTime[]>();
  for (const p of file.procedures) {
    const t = times.get(p.code);
    if (t && t.note === null) byField.set(p.field, [...(byField.get(p.field) ?? []), t]);
  }
  const fields = new Map<string, FieldSeed>();
  const procedures = file.procedures.map((p): ProcedureSeed => {
    const code = nationalFieldCode(p.field);
    fields.set(code, { code, name: p.field });
    const level = primaryLevel(p);
    const { agencyCode, authority } = mapNationalAgency(p, level);
    const time = times.get(p.code) ?? usualTime(byField.get(p.field) ?? [...times.values()].filter((t) => t.note === null));
    const processingTime = { amount: time.amount, unit: time.unit };
    const committeeSigns = authority !== 'agency' && authority !== 'police';
    return {
      code: p.code,
      validFrom: TWO_LEVEL_2025,
      validTo: null,
      source: 'national_catalogue',
      name: p.name,
      fieldCode: code,
      level,
      levels: p.levels,
      agencyCode,
      authority,
      agencyText: p.agency ?? null,
      processingTime,
      statutoryTime: processingTime,
      timeText: time.text,
      timeNote: time.note,
      timeCutPercent: 0,
      sameDay: time.unit === 'same_day',
      cutoffHour: null,
      supplementPolicy: 'pause',
      fees: feesOf(p),
      documents: documentsOf(p),
      legalBasis: p.legalBasis ?? [],
      // The sources publish whether online submission is offered, not its level (toàn trình / một phần): `partial`.
      onlineLevel: p.online ? 'partial' : 'none',
      onlineSubmission: p.online ?? null,
      onlineLevel4In2021: false,
      publishedOnNationalPortal: true,
      paperResult: true,
      locationIndependent: false,
      postalEligible: p.postal ?? false,
      publishingDecision: p.decision ?? null,
      sourceUrl: p.url ?? null,
      steps: buildSteps(level, agencyCode, authority, committeeSigns, minutesOf(processingTime), {
        centre: `TTPVHCC-${CITY_DESK}`,
        provinceCommittee: `UBND-${CITY_DESK}`,
      }),
    };
  });
  return { procedures, fields: [...fields.values()] };
}
