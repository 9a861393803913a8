import { date, jsonb, pgTable, serial, text, timestamptz, integer } from './pg.js';

/**
 * Days that change the ordinary Monday-Friday week (DOMAIN.md §5): holidays, compensatory and swapped days
 * off, make-up Saturdays. Maintained by calendar administrators; every change is kept in calendar_changes.
 */
export const calendarDays = pgTable('calendar_days', {
  date: date('date').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'compensatory_off', 'swap_off', 'makeup_workday'] }).notNull(),
  name: text('name').notNull(),
  source: text('source'),
  status: text('status', { enum: ['official', 'derived', 'provisional'] }).notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});

/** The years whose official schedule is loaded; beyond them answers are provisional. */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
});

/**
 * Who changed which day or which working hours, when and why (before/after as JSON; null = absent). Its
 * highest id is the calendar's revision: every process recompiles when it sees a newer one.
 */
export const calendarChanges = pgTable('calendar_changes', {
  id: serial('id').primaryKey(),
  /** The day changed (the first, for a schedule), or null for a change of working hours. */
  date: date('date'),
  /** The last day changed by a schedule (scope 'schedule'); null for one day or working hours. */
  dateTo: date('date_to'),
  /**
   * 'day', 'schedule' (a year's schedule loaded: days set, changed or removed, and years loaded, in one change) or
   * the working-hours scope changed ('province:49', 'desk:H502').
   */
  scope: text('scope').notNull().default('day'),
  before: jsonb('before'),
  after: jsonb('after'),
  changedBy: text('changed_by').notNull(),
  reason: text('reason').notNull(),
  changedAt: timestamptz('changed_at').notNull().defaultNow(),
});

/**
 * Working hours: one row for the province (scope 'province:<code>') and optional overrides per desk
 * (scope 'desk:<code>'). periods = [{ start: 'HH:MM', end: 'HH:MM' }, ...].
 */
export const workingHours = pgTable('working_hours', {
  scope: text('scope').primaryKey(),
  periods: jsonb('periods').$type<{ start: string; end: string }[]>().notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * The calendar's revision: one row, incremented inside every change's transaction. Changes therefore commit in
 * revision order (the row lock orders them), and a process that read revision n with the calendar in one
 * snapshot knows it has every change up to n (a serial id would not: ids are taken before commit).
 */
export const calendarRevision = pgTable('calendar_revision', {
  id: integer('id').primaryKey().default(1),
  revision: integer('revision').notNull().default(0),
});
