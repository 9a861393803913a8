import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { authErrors, errors } from '../../lib/http.js';
import { requireProvinceRole } from '../auth/index.js';
import { getDesk, isProvinceUnit } from '../org/index.js';
import { localDateOf } from '../../lib/local-date.js';
import { changeCalendarDay } from './change-calendar-day.js';
import { describeDay, ordinaryDay } from './describe-day.js';
import { inSupportedYears, SUPPORTED_RANGE_TEXT } from '../../lib/supported-range.js';
import { dueDateRoutes } from './due-date-routes.js';
import * as queries from './queries.js';
import * as schemas from './schemas.js';
import { setWorkingHours } from './set-working-hours.js';

export const calendarRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['calendar'];
  const security = [{ bearer: [] }];

  app.get(
    '/calendar/days',
    { schema: { tags, summary: 'Holidays, days off and make-up working days in a range', querystring: schemas.daysQuery, response: { 200: z.object({ items: z.array(schemas.calendarDay) }), ...errors } } },
    async (req) => {
      const { year, from, to } = req.query;
      const range = year ? { from: `${year}-01-01`, to: `${year}-12-31` } : { from, to };
      return { items: await queries.listDays(deps.db, range) };
    },
  );
  app.get(
    '/calendar/days/:date',
    { schema: { tags, summary: 'Whether a date is a working day, and why', params: schemas.dateParams, response: { 200: schemas.dayInfo, ...errors } } },
    async (req) => describeDay(await deps.calendar.forDesk(), req.params.date),
  );
  app.put(
    '/calendar/days/:date',
    { schema: { tags, summary: 'Declare a holiday, day off or make-up working day (province administrator)', security, params: schemas.dateParams, body: schemas.putDayBody, response: { 200: schemas.calendarDay, ...authErrors } } },
    async (req) => {
      const who = requireProvinceRole(req, 'province_admin', await deps.provinceLevel());
      const { reason, ...day } = req.body;
      const result = await changeCalendarDay(deps.db, { date: req.params.date, day, by: who.username, reason });
      await deps.calendar.refresh();
      return result.day!;
    },
  );
  app.delete(
    '/calendar/days/:date',
    {
      schema: {
        tags,
        summary: 'Remove a declared day (province administrator)',
        description: `Any real date, so that a day stored outside ${SUPPORTED_RANGE_TEXT} (which the calendar ignores) can be removed; such a date answers as an ordinary day of the week, provisional.`,
        security,
        params: schemas.removableDateParams,
        body: schemas.deleteDayBody,
        response: { 200: schemas.dayInfo, ...authErrors },
      },
    },
    async (req) => {
      const who = requireProvinceRole(req, 'province_admin', await deps.provinceLevel());
      await changeCalendarDay(deps.db, { date: req.params.date, day: null, by: who.username, reason: req.body.reason });
      await deps.calendar.refresh();
      if (!inSupportedYears(req.params.date)) return ordinaryDay(req.params.date);
      return describeDay(await deps.calendar.forDesk(), req.params.date);
    },
  );
  app.get(
    '/calendar/changes',
    { schema: { tags, summary: "The calendar's change log", querystring: schemas.changesQuery, response: { 200: z.object({ items: z.array(schemas.calendarChange) }), ...errors } } },
    async (req) => ({ items: await queries.listChanges(deps.db, req.query) }),
  );
  /**
   * A scope is the province (the word `province`, or the code of a province-level unit: the city 48 in force, or
   * Quảng Nam 49 closed on 2025-07-01, whose hours the city kept) or a desk that exists today; undefined: the
   * province. The province's hours are stored under `province:<PROVINCE_CODE>` (README's settings).
   */
  const deskOfScope = async (scope: string) => {
    if (scope === 'province' || isProvinceUnit(scope, await deps.provinceLevel())) return undefined;
    await getDesk(deps.db, scope, localDateOf(deps.now()));
    return scope;
  };
  app.get(
    '/calendar/working-hours/:scope',
    { schema: { tags, summary: 'Working hours of the province or a desk', params: schemas.workingHoursParams, response: { 200: schemas.workingHoursResponse, ...errors } } },
    async (req) => {
      const desk = await deskOfScope(req.params.scope);
      return queries.workingHoursOf(deps.db, deps.config.PROVINCE_CODE, desk);
    },
  );
  app.put(
    '/calendar/working-hours/:scope',
    {
      schema: {
        tags,
        summary: 'Set the working hours of the province or a desk (province administrator)',
        security,
        params: schemas.workingHoursParams,
        body: schemas.workingHoursBody,
        response: { 200: schemas.workingHoursResponse, ...authErrors },
      },
    },
    async (req) => {
      const who = requireProvinceRole(req, 'province_admin', await deps.provinceLevel());
      const desk = await deskOfScope(req.params.scope);
      const key = desk === undefined ? `province:${deps.config.PROVINCE_CODE}` : `desk:${desk}`;
      await setWorkingHours(deps.db, { scope: key, periods: req.body.periods, by: who.username, reason: req.body.reason });
      await deps.calendar.refresh();
      return queries.workingHoursOf(deps.db, deps.config.PROVINCE_CODE, desk);
    },
  );

  await app.register(dueDateRoutes(deps));
};
