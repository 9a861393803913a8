import { asc, max } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../db/client.js';
import { calendarChanges, calendarDays, calendarYears, workingHours } from '../../db/schema/index.js';
import { compileCalendar, type CompiledCalendar } from '../../domain/calendar/index.js';
import type { CalendarDay, WorkingHours } from '../../domain/calendar/types.js';

/**
 * Holds the compiled working calendar (one per distinct working-hours setting: the province's and each desk
 * override) for this process. The calendar's revision is the highest calendar_changes id: before answering,
 * a process compares it with the database's (one indexed max()), so a change made through any process is
 * seen by every other at once and no stale answer is served.
 */
export class CalendarService {
  private revision = -1;
  private province: CompiledCalendar | null = null;
  private desks = new Map<string, CompiledCalendar>();
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly provinceCode: string,
  ) {}

  /** The calendar of a desk (its own working hours if overridden) or of the province. */
  async forDesk(deskCode?: string | null): Promise<CompiledCalendar> {
    await this.ensureFresh();
    const compiled = (deskCode && this.desks.get(deskCode)) || this.province;
    if (!compiled) throw new Error('calendar not compiled');
    return compiled;
  }

  async ensureFresh(): Promise<void> {
    // On every deadline computed: a named prepared statement, one index probe.
    const res = await this.pool.query<{ id: number | null }>({ name: 'calendar-revision', text: 'select max(id) as id from calendar_changes' });
    if ((res.rows[0]?.id ?? 0) !== this.revision) await this.refresh();
  }

  /** Reads the calendar and compiles it again (after an administrator's change, or at boot). */
  async refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const [rev, days, years, hours] = await Promise.all([
      this.db.select({ id: max(calendarChanges.id) }).from(calendarChanges),
      this.db.select().from(calendarDays).orderBy(asc(calendarDays.date)),
      this.db.select().from(calendarYears),
      this.db.select().from(workingHours),
    ]);
    const yearNumbers = years.map((y) => y.year);
    // Nothing loaded: a year before the compiled range, so every answer is provisional.
    const loadedYears = yearNumbers.length
      ? { from: Math.min(...yearNumbers), to: Math.max(...yearNumbers) }
      : { from: COMPILED_YEARS.from - 1, to: COMPILED_YEARS.from - 1 };
    const dayList: CalendarDay[] = days.map((d) => ({
      date: d.date,
      kind: d.kind,
      name: d.name,
      source: d.source,
      status: d.status,
    }));
    const compile = (h: WorkingHours) => compileCalendar({ days: dayList, loadedYears, hours: h, compiledYears: COMPILED_YEARS });
    const provinceHours = hours.find((h) => h.scope === `province:${this.provinceCode}`);
    const province = compile({ periods: provinceHours?.periods ?? DEFAULT_PERIODS });
    const desks = new Map<string, CompiledCalendar>();
    for (const h of hours) if (h.scope.startsWith('desk:')) desks.set(h.scope.slice(5), compile({ periods: h.periods }));
    this.province = province;
    this.desks = desks;
    this.revision = rev[0]?.id ?? 0;
  }
}

/** Dossiers of 2000-2060 can be judged; beyond the loaded years the answers are provisional. */
const COMPILED_YEARS = { from: 2000, to: 2060 };

const DEFAULT_PERIODS = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];
