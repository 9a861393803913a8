import { asc } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../db/client.js';
import { calendarDays, calendarRevision, calendarYears, workingHours } from '../../db/schema/index.js';
import { compileCalendar, DEFAULT_HOLIDAY_RULES, type CompiledCalendar, type HolidayRules } from '../../domain/calendar/index.js';
import type { CalendarDay, WorkingHours } from '../../domain/calendar/types.js';
import type { Logger } from '../../lib/logger.js';
import { inSupportedYears, SUPPORTED_RANGE_TEXT, SUPPORTED_YEARS } from '../../lib/supported-range.js';

/**
 * Holds the compiled working calendar (one per distinct working-hours setting: the province's and each desk
 * override) for this process. Before answering,
 * a process compares it with the database's (calendar_revision, one row), so a change made through any
 * process is seen by every other on its next deadline and no stale answer is served.
 */
export class CalendarService {
  private revision = -1;
  private province: CompiledCalendar | null = null;
  private desks = new Map<string, CompiledCalendar>();
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly provinceCode: string,
    private readonly logger?: Pick<Logger, 'warn'>,
    /** How the holidays of years without an official schedule are computed (settings CALENDAR_*). */
    private readonly holidayRules: HolidayRules = DEFAULT_HOLIDAY_RULES,
  ) {}

  /** The calendar of a desk (its own working hours if overridden) or of the province. */
  async forDesk(deskCode?: string | null): Promise<CompiledCalendar> {
    await this.ensureFresh();
    const compiled = (deskCode && this.desks.get(deskCode)) || this.province;
    if (!compiled) throw new Error('calendar not compiled');
    return compiled;
  }

  /**
   * The calendar as last loaded, WITHOUT asking the database, and the revision it was loaded at: for a writer
   * that checks the revision itself in the statement that stores what it computed (intake: one round trip less;
   * a change in between makes the statement write nothing, and the writer loads again and recomputes).
   */
  async lastLoaded(deskCode?: string | null): Promise<{ calendar: CompiledCalendar; revision: number }> {
    if (this.revision < 0) await this.refresh();
    const calendar = (deskCode && this.desks.get(deskCode)) || this.province;
    if (!calendar) throw new Error('calendar not compiled');
    return { calendar, revision: this.revision };
  }

  /** Desks with their own working hours (their deadlines use their own calendar). */
  async overrideDesks(): Promise<string[]> {
    await this.ensureFresh();
    return [...this.desks.keys()];
  }

  async ensureFresh(): Promise<void> {
    // On every deadline computed: a named prepared statement, one index probe.
    const res = await this.pool.query<{ revision: number }>({ name: 'calendar-revision', text: 'select revision from calendar_revision' });
    if ((res.rows[0]?.revision ?? 0) !== this.revision) await this.refresh();
  }

  /**
   * Reads the calendar and compiles it again (after an administrator's change, or at boot). Loads run one after
   * another, each starting after the call, so a caller that just committed a change sees it.
   */
  async refresh(): Promise<void> {
    const next = this.loading.then(() => this.load());
    this.loading = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    // The revision and the data from one snapshot, so the revision names exactly what was read.
    const [rev, days, years, hours] = await this.db.transaction(
      async (tx) => [
        await tx.select({ revision: calendarRevision.revision }).from(calendarRevision),
        await tx.select().from(calendarDays).orderBy(asc(calendarDays.date)),
        await tx.select().from(calendarYears),
        await tx.select().from(workingHours),
      ] as const,
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const yearNumbers = years.map((y) => y.year);
    // Nothing loaded: a year before the compiled range, so every answer is provisional.
    const loadedYears = yearNumbers.length
      ? { from: Math.min(...yearNumbers), to: Math.max(...yearNumbers) }
      : { from: COMPILED_YEARS.from - 1, to: COMPILED_YEARS.from - 1 };
    // A day outside the supported years (written before the API refused them, or by hand) can affect no deadline:
    // it is left out and said, never a reason for a process not to start. DELETE /calendar/days/{date} removes it.
    const outside = days.filter((d) => !inSupportedYears(d.date));
    if (outside.length) {
      this.logger?.warn(
        { dates: outside.map((d) => d.date) },
        `calendar days outside ${SUPPORTED_RANGE_TEXT} ignored; remove them with DELETE /api/v1/calendar/days/{date}`,
      );
    }
    const dayList: CalendarDay[] = days
      .filter((d) => inSupportedYears(d.date))
      .map((d) => ({
        date: d.date,
        kind: d.kind,
        name: d.name,
        source: d.source,
        status: d.status,
      }));
    const compile = (h: WorkingHours) => compileCalendar({ days: dayList, loadedYears, hours: h, compiledYears: COMPILED_YEARS, holidayRules: this.holidayRules });
    const provinceHours = hours.find((h) => h.scope === `province:${this.provinceCode}`);
    const province = compile({ periods: provinceHours?.periods ?? DEFAULT_PERIODS });
    const desks = new Map<string, CompiledCalendar>();
    for (const h of hours) if (h.scope.startsWith('desk:')) desks.set(h.scope.slice(5), compile({ periods: h.periods }));
    this.province = province;
    this.desks = desks;
    this.revision = rev[0]?.revision ?? 0;
  }
}

/** Dossiers of the supported years can be judged; beyond the loaded years the answers are provisional. */
const COMPILED_YEARS = SUPPORTED_YEARS;

const DEFAULT_PERIODS = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];
