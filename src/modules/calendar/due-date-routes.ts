import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { computeDueDate } from '../../domain/calendar/index.js';
import { formatInstant } from '../../domain/calendar/local-time.js';
import { touchesProvisional, workingMinutesBetween } from '../../domain/calendar/working-time.js';
import { DomainError } from '../../lib/errors.js';
import { codeParam, errors, instantParam } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import { procedureInForce } from '../catalog/index.js';
import { getDesk } from '../org/index.js';

const instant = instantParam('must be an ISO 8601 instant with offset, e.g. 2024-05-03T08:00:00+07:00');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
const unit = z.enum(['working_day', 'working_hour', 'same_day', 'calendar_day']);

const dueDateResponse = z.object({
  effectiveStart: z.string(),
  dueAt: z.string(),
  provisional: z.boolean(),
  workingMinutes: z.number().int(),
  explanation: z.array(z.record(z.string(), z.unknown())),
});

/** A RangeError from the engine (an instant outside the compiled calendar) is the caller's parameter. */
function engine<T>(parameter: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError) throw new DomainError('OUT_OF_RANGE', `${parameter}: ${err.message}`);
    throw err;
  }
}

function render(cal: Parameters<typeof workingMinutesBetween>[0], r: ReturnType<typeof computeDueDate>) {
  return {
    effectiveStart: formatInstant(r.effectiveStart),
    dueAt: formatInstant(r.dueAt),
    provisional: r.provisional,
    workingMinutes: workingMinutesBetween(cal, r.effectiveStart, r.dueAt),
    explanation: r.explanation as unknown as Record<string, unknown>[],
  };
}

export const dueDateRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['calendar'];

  app.get(
    '/calendar/due-date',
    {
      schema: {
        tags,
        summary: 'Due instant of a time allowance from a start instant, by the calendar',
        description: 'Due instant of an amount of working time (or same day, or calendar days) from an intake instant, with its explanation.',
        querystring: z.object({
          start: instant,
          amount: z.coerce.number().int().min(0).max(1000),
          unit,
          cutoff: hhmm.optional(),
          desk: codeParam.optional(),
        }),
        response: { 200: dueDateResponse, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.desk) await getDesk(deps.db, q.desk, localDateOf(new Date(q.start)));
      const cal = await deps.calendar.forDesk(q.desk);
      return render(cal, engine('querystring.start', () => computeDueDate(cal, { start: q.start, amount: q.amount, unit: q.unit, cutoff: q.cutoff ?? null })));
    },
  );

  app.get(
    '/calendar/working-time',
    {
      schema: {
        tags,
        summary: 'Working minutes between two instants, by the calendar',
        description: 'Working minutes between two instants (negative when `to` is before `from`).',
        querystring: z.object({ from: instant, to: instant, desk: codeParam.optional() }),
        response: { 200: z.object({ from: z.string(), to: z.string(), minutes: z.number().int(), provisional: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const cal = await deps.calendar.forDesk(req.query.desk);
      const minutes = engine('querystring.from', () => workingMinutesBetween(cal, req.query.from, req.query.to));
      return {
        from: formatInstant(Date.parse(req.query.from)),
        to: formatInstant(Date.parse(req.query.to)),
        minutes,
        provisional: touchesProvisional(cal, req.query.from, req.query.to),
      };
    },
  );

  app.get(
    '/procedures/:code/due-date',
    {
      schema: {
        tags: ['catalogue', 'calendar'],
        summary: 'The appointment a dossier of this procedure received now (or at an instant) would get',
        description: "Appointment for a dossier of this procedure received at `receivedAt`: the procedure's own time, unit and cut-off.",
        params: z.object({ code: codeParam }),
        querystring: z.object({ receivedAt: instant, desk: codeParam.optional() }),
        response: {
          200: dueDateResponse.extend({
            procedure: z.object({ code: z.string(), amount: z.number().int(), unit, cutoff: z.string().nullable() }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      // The version in force on the day of receipt: its time and cut-off.
      const p = await procedureInForce(deps.db, req.params.code, localDateOf(new Date(req.query.receivedAt)));
      if (req.query.desk) await getDesk(deps.db, req.query.desk, localDateOf(new Date(req.query.receivedAt)));
      const cal = await deps.calendar.forDesk(req.query.desk);
      const r = engine('querystring.receivedAt', () =>
        computeDueDate(cal, { start: req.query.receivedAt, amount: p.timeAmount, unit: p.timeUnit, cutoff: p.cutoffHour }),
      );
      return { ...render(cal, r), procedure: { code: p.code, amount: p.timeAmount, unit: p.timeUnit, cutoff: p.cutoffHour } };
    },
  );
};
