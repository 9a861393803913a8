import figures from '../data/report-figures.json' with { type: 'json' };
import { HISTORY_START, POLICE, provincialAgencies } from './agencies.js';
import { communeFields, districtFields, provincialFields, variants, type FieldDef } from './fields.js';
import type { Prng } from './prng.js';
import type { Authority, Level, ProcedureSeed, TimeUnit } from './types.js';
import { buildSteps } from './steps.js';

/** A procedure while it is being generated: the catalogue entry and its drawing facts. */
export interface Draft extends ProcedureSeed {
  field: FieldDef;
  baseDays: number;
}

const footnote24 = figures.catalogue.online_level4_2021_by_department as unknown as Record<string, number>;

/**
 * How many provincial procedures each agency has: the 18 agencies of footnote 24 have their 2021 level-4 count
 * plus one procedure that was not level 4; the three agencies outside that list share the rest of the provincial
 * total (1,331 = 1,817 − 303 district − 162 commune − 21 police; seeds/README.md, "levels").
 */
export function provincialCounts(provincialTotal: number): Map<string, number> {
  const counts = new Map<string, number>();
  let used = 0;
  for (const a of provincialAgencies.filter((x) => x.inFootnote24)) {
    const n = footnote24[a.name];
    if (n === undefined) throw new Error(`footnote 24 has no count for ${a.name}`);
    counts.set(a.code, n + 1);
    used += n + 1;
  }
  const others = provincialAgencies.filter((x) => !x.inFootnote24);
  const rest = provincialTotal - used;
  // Sở Du lịch takes the larger share; the office and the inspectorate have a few procedures each.
  const shares = [rest - 2 * Math.floor(rest / 5), Math.floor(rest / 5), Math.floor(rest / 5)];
  others.forEach((a, i) => counts.set(a.code, shares[i]!));
  return counts;
}

function nameOf(field: FieldDef, i: number): string {
  const stem = field.stems[i % field.stems.length]!;
  const round = Math.floor(i / field.stems.length);
  return round < variants.length ? `${stem}${variants[round]}` : `${stem} (trường hợp ${round + 1})`;
}

/** Code like the national database's (1.xxxxxx provincial, 2.xxxxxx district, 3.xxxxxx commune), unique. */
function codeMaker(rng: Prng) {
  const used = new Set<string>();
  return (level: Level) => {
    const prefix = level === 'province' ? '1' : level === 'district' ? '2' : '3';
    for (;;) {
      const code = `${prefix}.${String(rng.int(1_000, 12_999)).padStart(6, '0')}`;
      if (!used.has(code)) {
        used.add(code);
        return code;
      }
    }
  };
}

function draft(rng: Prng, code: string, field: FieldDef, level: Level, agencyCode: string, i: number, authority: Authority): Draft {
  const baseDays = rng.int(field.days[0], field.days[1]);
  const documents = [
    ...field.documents.map((name) => ({ name, originals: name.startsWith('Bản sao') ? 0 : 1, copies: name.startsWith('Bản sao') ? 1 : 0, required: true })),
    { name: 'Giấy ủy quyền (trường hợp nộp thay)', originals: 1, copies: 0, required: false },
  ];
  const fees = field.fee && rng.next() < 0.85 ? [{ name: field.fee[0], amountVnd: field.fee[1] }] : [];
  return {
    code,
    // Quảng Nam's catalogue: open until the organisation of 2025-07-01 closes it (seeds/load-reference.ts).
    validFrom: HISTORY_START,
    validTo: null,
    source: 'generated',
    name: nameOf(field, i),
    fieldCode: field.code,
    level,
    agencyCode,
    authority,
    processingTime: { amount: baseDays, unit: 'working_day' },
    statutoryTime: { amount: baseDays, unit: 'working_day' },
    timeCutPercent: 0,
    sameDay: false,
    // Civil status and certification: a dossier received after 15:00 counts from the next working day.
    cutoffHour: field.code === 'HOTICH' || field.code === 'CHUNGTHUC' ? '15:00' : null,
    supplementPolicy: 'pause',
    fees,
    documents,
    onlineLevel: 'none',
    onlineLevel4In2021: false,
    publishedOnNationalPortal: false,
    paperResult: rng.next() < 0.9,
    locationIndependent: false,
    postalEligible: agencyCode !== POLICE && rng.next() < 0.96,
    steps: [],
    field,
    baseDays,
  };
}

/** Every procedure, with level, field, agency and authority; flags and times are set by the caller. */
export function draftProcedures(rng: Prng, provincialTotal: number): Draft[] {
  const code = codeMaker(rng);
  const out: Draft[] = [];
  const counts = provincialCounts(provincialTotal);
  for (const [agency, count] of counts) {
    const fs = provincialFields.filter((f) => f.agency === agency);
    for (let i = 0; i < count; i++) {
      const field = fs[i % fs.length]!;
      out.push(draft(rng, code('province'), field, 'province', agency, Math.floor(i / fs.length), 'agency'));
    }
  }
  const police = provincialFields.find((f) => f.agency === POLICE)!;
  const policeCount = figures.catalogue.by_level_as_written.provincial_police_at_center;
  for (let i = 0; i < policeCount; i++) out.push(draft(rng, code('province'), police, 'province', POLICE, i, 'police'));
  for (const [fields, level] of [
    [districtFields, 'district'],
    [communeFields, 'commune'],
  ] as const) {
    for (const f of fields) {
      for (let i = 0; i < f.count; i++) {
        const r = rng.next();
        const authority: Authority =
          level === 'district'
            ? r < 0.5 ? 'ubnd_huyen' : r < 0.9 ? 'chu_tich_ubnd_huyen' : 'agency'
            : r < 0.4 ? 'ubnd_xa' : 'chu_tich_ubnd_xa';
        out.push(draft(rng, code(level), f, level, f.agency, i, authority));
      }
    }
  }
  return out;
}

/** The statutory time before a cut of at least 10 % of `amount` (in the same unit). */
export function statutoryBeforeCut(rng: Prng, amount: number): number {
  return amount + Math.ceil(amount / 9) + rng.int(0, Math.max(0, Math.floor(amount / 2)));
}

/** Minutes a time is worth for the cut percentage (same_day counts as one working day). */
export function minutesOf(t: { amount: number; unit: TimeUnit }): number {
  switch (t.unit) {
    case 'working_day':
      return t.amount * 480;
    case 'working_hour':
      return t.amount * 60;
    case 'same_day':
      return 480;
    case 'calendar_day':
      // At least a working day: a span of one or two calendar days holds one.
      return Math.max(480, Math.floor((t.amount * 5) / 7) * 480);
  }
}

export const cutPercent = (statutory: { amount: number; unit: TimeUnit }, inForce: { amount: number; unit: TimeUnit }) =>
  Math.floor((100 * (minutesOf(statutory) - minutesOf(inForce))) / minutesOf(statutory));

export { buildSteps };
