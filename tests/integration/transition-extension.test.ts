import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

let ctx: TestContext;
const clock = TestClock.atLocal('2025-06-24T09:00:00');
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, env: { TRANSITION_APPOINTMENT_EXTENSION_DAYS: '2' } });
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2025-07-01' });
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

describe('a transition whose setting extends appointments', () => {
  it('moves the appointment of each transferred dossier by the working days set (TRANSITION_APPOINTMENT_EXTENSION_DAYS)', async () => {
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20335' });
    const commune = await pickProcedure(ctx, sql`level = 'commune' and not location_independent and time_unit = 'working_day'`);
    const received = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { authorization: desk.authorization }, payload: intakeBody(commune, 'X20335') });
    expect(received.statusCode, received.body).toBe(201);
    const code = received.json().dossierCode as string;
    const [before] = (await ctx.deps.db.execute<{ due_at: Date; budget_minutes: number }>(sql`select due_at, budget_minutes from dossiers where code = ${code}`)).rows;

    clock.setLocal('2025-07-01T08:00:00');
    // The city's administrator: the province-level unit in force from 2025-07-01.
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
    const auth = { authorization: admin.authorization };
    const plan = await ctx.app.inject({ method: 'POST', url: '/api/v1/transition-plans', headers: auth, payload: { effectiveFrom: '2025-07-01', basis: 'Nghị quyết 1659/NQ-UBTVQH15' } });
    expect(plan.statusCode, plan.body).toBe(201);
    expect(plan.json()).toMatchObject({ appointmentExtensionDays: 2, counts: { placed: 1, unplaced: 0 } });
    const applied = await ctx.app.inject({ method: 'POST', url: `/api/v1/transition-plans/${plan.json().id}/application`, headers: auth, payload: {} });
    expect(applied.json()).toMatchObject({ transferred: 1, status: 'applied' });

    const [after] = (await ctx.deps.db.execute<{ due_at: Date; budget_minutes: number; desk_code: string }>(sql`select due_at, budget_minutes, desk_code from dossiers where code = ${code}`)).rows;
    expect(after!.desk_code).toBe('TX20335');
    expect(after!.budget_minutes).toBe(before!.budget_minutes + 960);
    const moved = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/calendar/working-time?from=${encodeURIComponent(new Date(before!.due_at).toISOString())}&to=${encodeURIComponent(new Date(after!.due_at).toISOString())}`,
    });
    expect(moved.json().minutes).toBe(960);
  });
});
