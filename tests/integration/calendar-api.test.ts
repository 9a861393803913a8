import { eq, sql } from 'drizzle-orm';
import { dossiers } from '../../src/db/schema/index.js';
import { judgeAtEnding } from '../../src/modules/dossiers/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCalendarChanged } from '../../src/modules/calendar/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

const clock = TestClock.atLocal('2026-03-02T08:00:00');
let ctx: TestContext;
let admin: { authorization: string };
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
});
afterAll(async () => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });
const due = (q: string) => get(`/api/v1/calendar/due-date?${q}`);
const enc = encodeURIComponent;
/** A province administrator declares an official unplanned day off (a storm, a decision) on `date`. */
const declareDayOff = (date: string, name: string, reason: string) =>
  ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/calendar/days/${date}`,
    payload: { kind: 'holiday', name, source: 'Công văn thử nghiệm', status: 'official', reason },
    headers: admin,
  });

describe('due-date API', () => {
  it('counts across Tết 2026 and explains each skipped day with its name and source', async () => {
    // Friday 2026-02-13 07:00, 2 working days: Fri counts; Tết 16-20 Feb and the weekends are skipped.
    const res = await due(`start=${enc('2026-02-13T07:00:00+07:00')}&amount=2&unit=working_day`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.dueAt).toBe('2026-02-23T17:00:00+07:00');
    const skipped = body.explanation.filter((e: { kind: string }) => e.kind === 'day_skipped');
    const tet = skipped.find((e: { date: string }) => e.date === '2026-02-17');
    expect(tet.name).toMatch(/Tết/);
    expect(tet.source).toMatch(/VPCP/);
    expect(body.provisional).toBe(false);
  });

  it('counts the make-up Saturday 2026-01-10 and skips the swapped Friday 2026-01-02', async () => {
    const res = await due(`start=${enc('2026-01-09T07:00:00+07:00')}&amount=2&unit=working_day`);
    expect(res.json().dueAt).toBe('2026-01-10T17:00:00+07:00');
    const swap = await due(`start=${enc('2026-01-01T09:00:00+07:00')}&amount=1&unit=working_day`);
    expect(swap.json().effectiveStart).toBe('2026-01-05T07:00:00+07:00');
  });

  it('applies the cut-off, lunch and same-day rules', async () => {
    const cut = await due(`start=${enc('2026-03-02T15:30:00+07:00')}&amount=1&unit=working_day&cutoff=15:00`);
    expect(cut.json().effectiveStart).toBe('2026-03-03T07:00:00+07:00');
    const lunch = await due(`start=${enc('2026-03-02T12:00:00+07:00')}&amount=2&unit=working_hour`);
    expect(lunch.json()).toMatchObject({ effectiveStart: '2026-03-02T13:30:00+07:00', dueAt: '2026-03-02T15:30:00+07:00' });
    const same = await due(`start=${enc('2026-03-02T09:00:00+07:00')}&amount=1&unit=same_day`);
    expect(same.json().dueAt).toBe('2026-03-02T17:00:00+07:00');
  });

  it('marks answers beyond the loaded years provisional', async () => {
    const res = await due(`start=${enc('2028-04-28T08:00:00+07:00')}&amount=2&unit=working_day`);
    expect(res.json().provisional).toBe(true);
    // Fri 08:00-17:00 = 420; the weekend (Sunday 30/04), 01/05 and Tuesday 02/05 (nghỉ bù 30/04), computed, skipped;
    // Wed 480; Thu 60 more.
    expect(res.json().dueAt).toBe('2028-05-04T08:00:00+07:00');
  });

  it('gives working minutes between two instants', async () => {
    const res = await get(`/api/v1/calendar/working-time?from=${enc('2026-03-02T07:00:00+07:00')}&to=${enc('2026-03-03T17:00:00+07:00')}`);
    expect(res.json()).toMatchObject({ minutes: 960, provisional: false });
  });

  it("applies a procedure's own time, unit and cut-off", async () => {
    const p = await pickProcedure(ctx, sql`cutoff_hour = '15:00' and time_unit = 'working_day'`);
    const res = await get(`/api/v1/procedures/${p.code}/due-date?receivedAt=${enc('2026-03-02T15:10:00+07:00')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().effectiveStart).toBe('2026-03-03T07:00:00+07:00');
    expect(res.json().procedure).toMatchObject({ code: p.code, cutoff: '15:00' });
  });

  it('answers malformed or out-of-range parameters with 400 naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['start=yesterday&amount=1&unit=working_day', /querystring\.start/],
      [`start=${enc('2026-03-02T08:00:00')}&amount=1&unit=working_day`, /querystring\.start/],
      [`start=${enc('2026-03-02T08:00:00+07:00')}&amount=-1&unit=working_day`, /querystring\.amount/],
      [`start=${enc('2026-03-02T08:00:00+07:00')}&amount=1&unit=fortnight`, /querystring\.unit/],
      [`start=${enc('2026-03-02T08:00:00+07:00')}&amount=1&unit=working_day&cutoff=25:00`, /querystring\.cutoff/],
      [`start=${enc('1960-03-02T08:00:00+07:00')}&amount=1&unit=working_day`, /querystring\.start/],
    ];
    for (const [q, message] of cases) {
      const res = await due(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.message, q).toMatch(message);
    }
    expect((await due(`start=${enc('2026-03-02T08:00:00+07:00')}&amount=1&unit=working_day&desk=H999`)).statusCode).toBe(404);
  });
});

describe('calendar administration', () => {
  it('reads a day: listed holiday, ordinary weekday, weekend', async () => {
    expect((await get('/api/v1/calendar/days/2026-04-30')).json()).toMatchObject({ kind: 'holiday', working: false, status: 'official' });
    expect((await get('/api/v1/calendar/days/2026-03-03')).json()).toMatchObject({ kind: 'weekday', working: true });
    expect((await get('/api/v1/calendar/days/2026-03-07')).json()).toMatchObject({ kind: 'weekend', working: false });
    expect((await get('/api/v1/calendar/days?year=2024')).json().items).toHaveLength(13);
  });

  it('refuses changes without a token (401) or without the administrator role (403), changing nothing', async () => {
    const body = { kind: 'holiday', name: 'Thử', status: 'official', reason: 'kiểm thử' };
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-20', payload: body })).statusCode).toBe(401);
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-20', payload: body, headers: officer })).statusCode).toBe(403);
    const bad = await ctx.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-20', payload: { ...body, kind: 'party' }, headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/body\.kind/);
    const weekday = await ctx.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-20', payload: { ...body, kind: 'makeup_workday' }, headers: admin });
    expect(weekday.statusCode).toBe(400);
    expect((await get('/api/v1/calendar/changes')).json().items).toHaveLength(0);
    expect((await get('/api/v1/calendar/days/2026-03-20')).json().kind).toBe('weekday');
  });

  it('adds a day off, records who and why, moves due dates at once and re-projects open dossiers', async () => {
    const p = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount between 5 and 10 and cutoff_hour is null`);
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    clock.setLocal('2026-03-02T08:00:00');
    const intake = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'H502'), headers: officer });
    expect(intake.statusCode, intake.body).toBe(201);
    const code = intake.json().dossierCode;
    const before = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: officer })).json();

    const put = await declareDayOff('2026-03-04', 'Nghỉ đột xuất (bão)', 'Bão số 1');
    expect(put.statusCode, put.body).toBe(200);
    expect((await get('/api/v1/calendar/days/2026-03-04')).json()).toMatchObject({ kind: 'holiday', working: false });
    const [change] = (await get('/api/v1/calendar/changes?date=2026-03-04')).json().items;
    expect(change).toMatchObject({ reason: 'Bão số 1', before: null, after: { kind: 'holiday' } });

    // Another process sees the change on its next request (revision check), with no restart.
    const moved = await due(`start=${enc('2026-03-03T07:00:00+07:00')}&amount=2&unit=working_day`);
    expect(moved.json().dueAt).toBe('2026-03-05T17:00:00+07:00');

    const outboxRow = await ctx.deps.db.execute<{ payload: { changeId: number } }>(sql`select payload from outbox where topic = 'calendar.changed'`);
    const payload = { changeId: outboxRow.rows[0]!.payload.changeId, date: '2026-03-04', scope: 'day' };
    const first = await processCalendarChanged(ctx.deps, payload);
    expect(first.moved).toBeGreaterThanOrEqual(1);
    const after = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: officer })).json();
    const shift = await get(`/api/v1/calendar/working-time?from=${enc(before.dueAt)}&to=${enc(after.dueAt)}`);
    expect(new Date(after.dueAt).getTime()).toBeGreaterThan(new Date(before.dueAt).getTime());
    expect(shift.json().minutes).toBe(480);
    expect(after.history.at(-1)).toMatchObject({ type: 'appointment_reprojected', data: { why: 'Bão số 1' } });
    // Idempotent: a second delivery moves nothing.
    expect((await processCalendarChanged(ctx.deps, payload)).moved).toBe(0);

    const del = await ctx.app.inject({ method: 'DELETE', url: '/api/v1/calendar/days/2026-03-04', payload: { reason: 'Hủy nghỉ' }, headers: admin });
    expect(del.json()).toMatchObject({ kind: 'weekday', working: true });
  });

  it("keeps a 'keep' procedure's appointment through a new day off, and a later pause moves the kept appointment", async () => {
    const p = await pickProcedure(
      ctx,
      sql`level = 'district' and time_unit = 'working_day' and time_amount = 5 and cutoff_hour is null and supplement_policy = 'pause'`,
    );
    await ctx.deps.db.execute(sql`update procedures set calendar_change_policy = 'keep' where code = ${p.code}`);
    ctx.deps.reference.invalidate();
    const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
    const view = async (code: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: officer })).json();
    // Monday 2026-05-11 08:00, 5 working days: due Monday 2026-05-18 08:00.
    clock.setLocal('2026-05-11T08:00:00');
    const code = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'H502'), headers: officer })).json().dossierCode;
    expect(new Date((await view(code)).dueAt).getTime()).toBe(new Date('2026-05-18T08:00:00+07:00').getTime());

    // A day off on Wednesday 2026-05-13: the promise stands.
    const put = await declareDayOff('2026-05-13', 'Nghỉ đột xuất', 'Thử giữ lịch hẹn');
    expect(put.statusCode, put.body).toBe(200);
    const [change] = (await get('/api/v1/calendar/changes?date=2026-05-13')).json().items;
    await processCalendarChanged(ctx.deps, { changeId: change.id, date: '2026-05-13', scope: 'day' });
    const kept = await view(code);
    expect(new Date(kept.dueAt).getTime()).toBe(new Date('2026-05-18T08:00:00+07:00').getTime());
    expect(kept.history.at(-1)).toMatchObject({ type: 'appointment_kept' });

    // Paused Tuesday 08:00 → Thursday 08:00: one working day paused (Wednesday is off), so the kept appointment
    // moves one working day, to Tuesday 2026-05-19 08:00 (derived again from the intake under the changed
    // calendar, it would be Wednesday 2026-05-20 08:00).
    clock.setLocal('2026-05-12T08:00:00');
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/supplement-requests`, payload: { reason: 'Thiếu', items: ['Bản sao'] }, headers: officer })).statusCode).toBe(200);
    clock.setLocal('2026-05-14T08:00:00');
    // Ended now, while paused, it would be judged against the same kept appointment: 2400 − 1440 minutes used
    // (against the appointment derived again, Wednesday 05-20, it would be 2400 − 1920).
    const [row] = await ctx.deps.db.select().from(dossiers).where(eq(dossiers.code, code));
    expect((await judgeAtEnding(ctx.deps, row!, clock.now())).workingMinutesUsed).toBe(960);
    const resumed = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/supplement-received`, payload: {}, headers: officer });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(new Date(resumed.json().dueAt).getTime()).toBe(new Date('2026-05-19T08:00:00+07:00').getTime());
    await ctx.app.inject({ method: 'DELETE', url: '/api/v1/calendar/days/2026-05-13', payload: { reason: 'Hủy' }, headers: admin });
  });

  it('sets a desk override of working hours that applies to that desk only', async () => {
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/working-hours/H503',
      payload: { periods: [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }], reason: 'Giờ làm việc mùa hè' },
      headers: admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ scope: 'desk:H503', inherited: false });
    const atDesk = await due(`start=${enc('2026-03-02T07:10:00+07:00')}&amount=1&unit=working_hour&desk=H503`);
    expect(atDesk.json().effectiveStart).toBe('2026-03-02T07:30:00+07:00');
    const elsewhere = await due(`start=${enc('2026-03-02T07:10:00+07:00')}&amount=1&unit=working_hour&desk=H502`);
    expect(elsewhere.json().effectiveStart).toBe('2026-03-02T07:10:00+07:00');
    const overlapping = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/working-hours/province',
      payload: { periods: [{ start: '07:00', end: '12:00' }, { start: '11:00', end: '17:00' }], reason: 'sai' },
      headers: admin,
    });
    expect(overlapping.statusCode).toBe(400);
  });

  it("names the province's working hours by its code as well as by the word province", async () => {
    const byWord = await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/working-hours/province' });
    const byCode = await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/working-hours/49' });
    expect(byCode.statusCode, byCode.body).toBe(200);
    expect(byCode.json()).toEqual(byWord.json());
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/working-hours/H999' })).statusCode).toBe(404);
  });
});
