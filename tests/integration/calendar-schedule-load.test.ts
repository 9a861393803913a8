/**
 * A database loaded from the earlier copy of seeds/data/vn-working-calendar.json (2021-2026; 2026's Quốc khánh
 * adjacent day provisional, no swap, no 24/11), with open dossiers, is started with the current copy (2027 added,
 * 2026 corrected): the reference loader records one calendar change and the workers re-project the open dossiers
 * it moves, each with the recorded reason; a later start changes nothing. With CALENDAR_TET_DAYS_BEFORE=1 the
 * computed Tết 2027 (05/02-09/02, days off 10-11/02) differs from the schedule loaded (04/02-10/02), so a dossier
 * whose appointment the computed days placed moves when the official year is loaded over them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCalendarChanged } from '../../src/modules/calendar/index.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { communeCentreIntake, intakeBody, type ProcedurePick } from '../helpers/dossiers.js';

const DESK = 'TX20410';
const EARLIER_2026_SOURCE =
  'Tết Dương lịch and Tết Nguyên đán: Công văn 12729/VPCP-KGVX (25/12/2025); Giỗ Tổ and 30/4-1/5: press reports (Feb 2026); Quốc khánh adjacent day not found';
const clock = TestClock.atLocal('2026-11-16T09:00:00');
let ctx: TestContext;
let desk: { authorization: string };
let procedure: ProcedurePick;

/** The calendar as the earlier copy of the file left it, and the reference data marked as loaded from it. */
async function rewindToEarlierCopy() {
  const statements = [
    sql`delete from calendar_days where date >= '2027-01-01' or date in ('2026-08-22', '2026-08-31', '2026-11-24')`,
    sql`delete from calendar_years where year = 2027`,
    sql`update calendar_days set source = ${EARLIER_2026_SOURCE} where date between '2026-01-01' and '2026-12-31'`,
    sql`update calendar_years set source = ${EARLIER_2026_SOURCE} where year = 2026`,
    sql`update calendar_days set status = 'provisional', name = 'Quốc khánh (ngày liền kề: 01/09 or 03/09, not confirmed)' where date = '2026-09-01'`,
    sql`update calendar_days set status = 'derived' where date = '2026-09-02'`,
    sql`update reference_data_loads set content_hash = 'the earlier copy' where dataset = 'reference'`,
    sql`update calendar_revision set revision = revision + 1`,
  ];
  for (const statement of statements) await ctx.deps.db.execute(statement);
  await ctx.deps.calendar.refresh();
}

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, env: { CALENDAR_TET_DAYS_BEFORE: '1' } });
  ({ officer: desk, procedure } = await communeCentreIntake(ctx));
  await rewindToEarlierCopy();
});
afterAll(async () => ctx?.close());

const local = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 16);

async function receive(at: string, days: number) {
  clock.setLocal(at);
  await ctx.deps.db.execute(sql`update procedures set time_amount = ${days} where code = ${procedure.code}`);
  ctx.deps.reference.invalidate();
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: intakeBody(procedure, DESK) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().dossierCode as string;
}
const dossier = async (code: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: desk })).json();
const calendarJobs = async () =>
  (await ctx.deps.db.execute<{ payload: { changeId: number; date: string | null; scope: string } }>(sql`select payload from outbox where topic = 'calendar.changed' order by id`)).rows.map((r) => r.payload);

describe('loading the current calendar file over one loaded from the earlier copy', () => {
  const codes: Record<string, string> = {};

  it('receives open dossiers under the earlier calendar', async () => {
    codes.culture = await receive('2026-11-16T09:00:00', 10); // crosses 24/11, an ordinary Tuesday in the earlier copy
    codes.newYear = await receive('2026-12-28T09:00:00', 10); // into 2027: beyond the loaded years, provisional
    codes.tet = await receive('2026-12-02T09:00:00', 45); // its appointment placed by the computed Tết 2027
    codes.untouched = await receive('2026-12-07T09:00:00', 45);
    expect(local((await dossier(codes.culture)).dueAt)).toBe('2026-11-30T09:00');
    expect(await dossier(codes.newYear)).toMatchObject({ provisional: true });
    expect(local((await dossier(codes.newYear)).dueAt)).toBe('2027-01-12T09:00');
    expect(local((await dossier(codes.tet)).dueAt)).toBe('2027-02-04T09:00'); // the computed Tết begins 05/02
    expect(local((await dossier(codes.untouched)).dueAt)).toBe('2027-02-16T09:00');
    expect(await calendarJobs()).toEqual([]);
  });

  it('records one calendar change with the days before and after and the reason, and queues its re-projection', async () => {
    const result = await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
    expect(result.loaded).toBe(true);
    const [change] = (await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/changes?date=2026-11-24' })).json().items;
    expect(change).toMatchObject({ scope: 'schedule', date: '2026-01-01', dateTo: '2027-12-31', changedBy: 'seed' });
    expect(change.reason).toMatch(/vn-working-calendar\.json/);
    expect(change.after.years).toEqual([2027]);
    expect(change.after.days.map((d: { date: string }) => d.date)).toEqual(expect.arrayContaining(['2026-08-22', '2026-08-31', '2026-11-24', '2027-02-04']));
    expect(change.before.days.find((d: { date: string }) => d.date === '2026-09-01')).toMatchObject({ status: 'provisional' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2026-09-01' })).json()).toMatchObject({ status: 'official', name: 'Quốc khánh (ngày liền kề)' });
    expect(await calendarJobs()).toEqual([{ changeId: change.id, date: '2026-01-01', scope: 'schedule' }]);
  });

  it('re-projects the open dossiers it moves, each with the recorded reason, and confirms those it does not move', async () => {
    const [job] = await calendarJobs();
    const result = await processCalendarChanged(ctx.deps, job!);
    expect(result).toMatchObject({ moved: 2, reflagged: 1 });

    const culture = await dossier(codes.culture!);
    expect(local(culture.dueAt)).toBe('2026-12-01T09:00'); // 24/11 Ngày Văn hóa Việt Nam
    const event = culture.history.at(-1);
    expect(event).toMatchObject({ type: 'appointment_reprojected', data: { scope: 'schedule', by: 'seed', changeId: job!.changeId } });
    expect(event.data.why).toMatch(/vn-working-calendar\.json/);

    const tet = await dossier(codes.tet!);
    expect(local(tet.dueAt)).toBe('2027-02-11T09:00'); // the official Tết 2027 (04/02-10/02) over the computed one
    expect(tet).toMatchObject({ provisional: true });
    expect(tet.history.at(-1)).toMatchObject({ type: 'appointment_reprojected', data: { provisional: true } });

    const newYear = await dossier(codes.newYear!);
    expect(local(newYear.dueAt)).toBe('2027-01-12T09:00'); // the same appointment, now on loaded days only
    expect(newYear).toMatchObject({ provisional: false });
    expect(newYear.history.at(-1)).toMatchObject({ type: 'appointment_reprojected', data: { provisional: false, scope: 'schedule' } });

    const untouched = await dossier(codes.untouched!);
    expect(local(untouched.dueAt)).toBe('2027-02-16T09:00');
    expect(untouched.history.at(-1).type).not.toBe('appointment_reprojected');

    // A second delivery of the job moves nothing.
    expect(await processCalendarChanged(ctx.deps, job!)).toMatchObject({ moved: 0, reflagged: 0 });
  });

  it('a later start changes nothing: the same content is not loaded again, and loading it again anyway records nothing', async () => {
    expect((await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' })).loaded).toBe(false);
    await ctx.deps.db.execute(sql`update reference_data_loads set content_hash = 'forced' where dataset = 'reference'`);
    expect((await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' })).loaded).toBe(true);
    expect(await calendarJobs()).toHaveLength(1);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/changes' })).json().items).toHaveLength(1);
  });

  it("leaves a day an administrator changed as they decided", async () => {
    // The city's administrator: the organisation loaded runs to today, when the city (48) is the province-level unit.
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-09-03',
      headers: admin,
      payload: { kind: 'holiday', name: 'Quốc khánh (ngày liền kề)', source: 'Công văn (thử nghiệm)', status: 'official', reason: 'Thông báo đã ban hành' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const del = await ctx.app.inject({ method: 'DELETE', url: '/api/v1/calendar/days/2027-11-24', headers: admin, payload: { reason: 'Thử: không nghỉ' } });
    expect(del.statusCode, del.body).toBe(200);
    await ctx.deps.db.execute(sql`update reference_data_loads set content_hash = 'forced again' where dataset = 'reference'`);
    await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2027-09-03' })).json()).toMatchObject({ status: 'official', source: 'Công văn (thử nghiệm)' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2027-11-24' })).json()).toMatchObject({ kind: 'weekday', working: true });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/changes' })).json().items.map((c: { scope: string }) => c.scope)).toEqual(['day', 'day', 'schedule']);
  });
});
