import { addWorkingMinutes, computeDueDate, formatInstant, isWorkingDay, localDateOf, workingMinutesBetween, type CompiledCalendar } from '../../src/domain/calendar/index.js';
import { formatDossierCode } from '../../src/domain/dossier/dossier-code.js';
import { timelinessOf } from '../../src/domain/dossier/timeliness.js';
import { mulberry32, type Prng } from '../catalog/prng.js';
import type { YearPlan } from './plan.js';

export interface SimProcedure {
  /** The procedure version, in force on every day of the segment it is drawn in (written as the dossier's `procedure_id`). */
  id: number;
  code: string;
  level: 'province' | 'district' | 'commune';
  fieldCode: string;
  agencyCode: string;
  authority: string;
  timeAmount: number;
  timeUnit: 'working_day' | 'working_hour' | 'same_day' | 'calendar_day';
  cutoffHour: string | null;
  supplementPolicy: string;
  steps: number;
}
export interface SimUnit {
  code: string;
  level: 'province' | 'district' | 'commune';
  parentCode: string | null;
}

/** Where a drawn dossier is received and who decides it. `marked`: its volume has no source (seeds/README.md). */
export interface Placement {
  deskCode: string;
  unitCode: string;
  agency: string;
  marked?: string;
}

/** Places a dossier of a procedure level; draws from `rng` (the order of draws fixes the history). */
export type Place = (level: 'province' | 'district' | 'commune', p: SimProcedure, rng: Prng) => Placement;

/**
 * A stretch of the history generated in one go: its volumes, the days dossiers are received on, and what becomes of
 * a dossier whose drawn end falls late: on or after `endBefore` it is drawn again (a year's dossiers end in it), at
 * or after `openFrom` it is written open (received, still being processed then) and its drawn ending goes to
 * `pending` when given (to be written after the organisation change it crosses).
 */
export interface Segment {
  plan: YearPlan;
  seed: number;
  /** Local dates (inclusive) of the days dossiers are received. */
  from: string;
  to: string;
  endBefore: string;
  openFrom: number;
  place: Place;
  /** The procedure versions drawn from: those in force on every day of the stretch. */
  procedures: SimProcedure[];
}

/** Quảng Nam's placement (units of the province, its districts and communes): T49, H<district>, X<commune>. */
export function placeInProvince(units: SimUnit[]): Place {
  const districts = units.filter((u) => u.level === 'district');
  const communes = units.filter((u) => u.level === 'commune');
  return (level, p, rng) => {
    if (level === 'district') {
      const d = rng.pick(districts);
      return { deskCode: `H${d.code}`, unitCode: d.code, agency: p.agencyCode === 'DIST-UBND' ? `UBND-${d.code}` : `${d.code}-${p.agencyCode.slice(5)}` };
    }
    if (level === 'commune') {
      const c = rng.pick(communes);
      return { deskCode: `X${c.code}`, unitCode: c.code, agency: `UBND-${c.code}` };
    }
    return { deskCode: 'T49', unitCode: '49', agency: p.agencyCode };
  };
}

/** Columns written by COPY, in order. */
export const columns = [
  'code', 'procedure_code', 'procedure_id', 'field_code', 'desk_code', 'unit_code', 'channel', 'status', 'applicant', 'phone_last4',
  'documents', 'result_delivery', 'authority', 'authority_agency_code', 'current_step', 'holder_agency_code',
  'step_started_at', 'received_at', 'effective_start', 'time_amount', 'time_unit', 'cutoff_hour', 'supplement_policy',
  'budget_minutes', 'due_at', 'original_due_at', 'provisional', 'ended_at', 'timeliness', 'returned_at', 'created_by', 'holder_role',
] as const;

// The generated catalogue's land fields, and the national catalogue's (field codes are its names folded).
const LAND = new Set(['DATDAI', 'TNMT-DD', 'DAT-DAI']);
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Võ', 'Phan', 'Trương', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Đức', 'Thanh', 'Quốc'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Hà', 'Hải', 'Hoa', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Thảo', 'Trung', 'Vy'];

const csv = (v: string | number | boolean | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The ending a dossier was drawn to have, for one written open at an organisation change: `code,status,ended_at,timeliness,returned_at,minutes`. */
export const pendingColumns = ['code', 'status', 'ended_at', 'timeliness', 'returned_at', 'minutes'] as const;

/**
 * Generates a segment of dossiers as CSV lines for COPY. The simulator chooses who, where, when and how long;
 * the deadline engine decides the appointment and the timeliness: a dossier drawn to be late ends after its
 * appointment (so the yearly counts are exact), lateness mostly in land procedures at district and commune
 * level (report 3.2). Deterministic for a given seed.
 */
export function* generateSegment(
  segment: Segment,
  cal: CompiledCalendar,
  /** Receives `code,working minutes used` of each resolved dossier (for its `complete` event, indicator 2.2). */
  minutesUsed: string[] = [],
  /** Receives the drawn ending of each dossier written open at `segment.openFrom` (pendingColumns). */
  pending?: string[],
): Generator<string> {
  const { plan } = segment;
  const rng = mulberry32(segment.seed);
  const { procedures } = segment;
  const commune = procedures.filter((p) => p.level === 'commune');
  const district = procedures.filter((p) => p.level === 'district');
  // With no district level (from 2025-07-01, Nghị định 118/2025/NĐ-CP) the district's share of dossiers goes to the
  // commune-level procedures, done at the commune centres that took the districts' work.
  const byLevel = {
    province: procedures.filter((p) => p.level === 'province'),
    district: district.length ? district : commune,
    commune,
  };
  const days: string[] = [];
  for (let t = Date.parse(`${segment.from}T00:00:00Z`); t <= Date.parse(`${segment.to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (isWorkingDay(cal, date)) days.push(date);
  }
  // Draw the dossiers first (procedure, desk), then choose the late ones: 70 % of them among land dossiers of
  // districts and communes, the rest among the others.
  type Draft = { p: SimProcedure } & Placement;
  const drafts: Draft[] = [];
  for (let i = 0; i < plan.received; i++) {
    const r = rng.next();
    const level = r < 0.2 ? 'province' : r < 0.5 ? 'district' : 'commune';
    const p = rng.pick(byLevel[level]);
    drafts.push({ p, ...segment.place(p.level, p, rng) });
  }
  const order = rng.shuffle(drafts.map((_, i) => i));
  const resolved = order.slice(0, plan.resolved);
  const unresolved = new Set(order.slice(plan.resolved));
  const isLandLocal = (i: number) => LAND.has(drafts[i]!.p.fieldCode) && drafts[i]!.p.level !== 'province';
  const landPool = resolved.filter(isLandLocal);
  const otherPool = resolved.filter((i) => !isLandLocal(i));
  const fromLand = Math.min(landPool.length, Math.round(plan.late * 0.7));
  const late = new Set([...landPool.slice(0, fromLand), ...otherPool.slice(0, plan.late - fromLand)]);
  const online = new Set(rng.shuffle(drafts.map((_, i) => i)).slice(0, plan.online));

  const sequence = new Map<string, number>();
  const workingDay = (ms: number) => isWorkingDay(cal, localDateOf(ms));
  for (let i = 0; i < drafts.length; i++) {
    const { p, deskCode, unitCode, agency, marked } = drafts[i]!;
    // A dossier ends in the year it was received (the report counts each year's dossiers as resolved that year):
    // a draw that would end in the next year is drawn again, earlier dossiers being the rule.
    let day = '';
    let receivedAt = 0;
    let due!: ReturnType<typeof computeDueDate>;
    let budget = 0;
    let endedAt = 0;
    let status = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      day = rng.pick(days);
      const minute = rng.int(0, 479);
      const clock = minute < 270 ? 7 * 60 + minute : 13 * 60 + 30 + (minute - 270);
      receivedAt = Date.parse(`${day}T${String(Math.floor(clock / 60)).padStart(2, '0')}:${String(clock % 60).padStart(2, '0')}:00+07:00`);
      due = computeDueDate(cal, { start: receivedAt, amount: p.timeAmount, unit: p.timeUnit, cutoff: p.cutoffHour }, { explain: false });
      budget = Math.max(1, due.budgetMinutes);
      if (unresolved.has(i)) {
        endedAt = addWorkingMinutes(cal, due.effectiveStart, Math.max(1, Math.floor(budget * rng.next() * 0.8)));
        status = rng.next() < 0.5 ? 'stopped' : 'withdrawn';
      } else if (late.has(i)) {
        endedAt = addWorkingMinutes(cal, due.dueAt, 1 + Math.floor(rng.next() * Math.max(480, budget / 2)));
        status = 'returned';
      } else {
        endedAt = addWorkingMinutes(cal, due.effectiveStart, Math.max(1, Math.floor(budget * (0.3 + 0.7 * rng.next()))));
        status = 'returned';
      }
      if (localDateOf(endedAt) < segment.endBefore) break;
    }
    const timeliness = timelinessOf(endedAt, due.dueAt, workingDay);
    const used = endedAt <= due.dueAt ? budget - workingMinutesBetween(cal, endedAt, due.dueAt) : budget + workingMinutesBetween(cal, due.dueAt, endedAt);
    const key = `${deskCode}|${day}`;
    const seq = (sequence.get(key) ?? 0) + 1;
    sequence.set(key, seq);
    const phone = `09${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
    const name = `${rng.pick(SURNAMES)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
    const applicant = JSON.stringify({ kind: 'person', name, phone, email: null, address: marked ?? null, citizenIdMasked: null, taxCode: null, representative: null });
    const iso = (ms: number) => formatInstant(ms);
    const code = formatDossierCode(deskCode, day, seq);
    // Still being processed at the segment's end (an organisation change, or today): with its deciding agency's
    // specialist, at the internal process's second step; what happens to it next is written later, or not at all.
    const open = endedAt >= segment.openFrom;
    if (open) pending?.push(`${code},${status},${iso(endedAt)},${timeliness},${status === 'returned' ? iso(endedAt) : ''},${status === 'returned' ? Math.max(0, used) : ''}\n`);
    else if (status === 'returned') minutesUsed.push(`${code},${Math.max(0, used)}\n`);
    yield [
      code,
      p.code,
      p.id,
      p.fieldCode,
      deskCode,
      unitCode,
      online.has(i) ? 'online' : 'desk',
      open ? 'in_processing' : status,
      applicant,
      phone.slice(-4),
      '[]',
      '{"method":"desk"}',
      p.authority,
      agency,
      open ? Math.min(2, p.steps) : p.steps,
      open ? agency : deskCode,
      iso(open ? receivedAt : endedAt),
      iso(receivedAt),
      iso(due.effectiveStart),
      p.timeAmount,
      p.timeUnit,
      p.cutoffHour,
      p.supplementPolicy,
      budget,
      iso(due.dueAt),
      iso(due.dueAt),
      due.provisional,
      open ? null : iso(endedAt),
      open ? null : timeliness,
      !open && status === 'returned' ? iso(endedAt) : null,
      'simulator',
      open ? 'specialist' : null,
    ]
      .map(csv)
      .join(',') + '\n';
  }
}
