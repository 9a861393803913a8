/**
 * The calendar past its data (docs/domain.md §5): dossiers received at a commune centre (TX desks, in force since
 * 2025-07-01) whose appointment runs into 2027, whose Tết days are provisional in the loaded schedule, and into 2028,
 * which has no schedule: its Tết is computed by the lunar calendar. Both are flagged provisional and explained.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { communeCentreIntake, intakeBody, type ProcedurePick } from '../helpers/dossiers.js';

const DESK = 'TX20410';
const clock = TestClock.atLocal('2026-12-01T09:00:00');
let ctx: TestContext;
let desk: { authorization: string };
let p45: ProcedurePick;
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  // A commune procedure made 45 working days (the generated catalogue's longest commune ones are 44).
  ({ officer: desk, procedure: p45 } = await communeCentreIntake(ctx));
  await ctx.deps.db.execute(sql`update procedures set time_amount = 45 where code = ${p45.code}`);
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

type Entry = { kind: string; date?: string; name?: string; status?: string; source?: string; text: string; reasons?: string[]; dates?: string[] };

async function receive(local: string) {
  clock.setLocal(local);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: intakeBody(p45, DESK) });
  expect(res.statusCode, res.body).toBe(201);
  const code = res.json().dossierCode as string;
  const dossier = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: desk })).json();
  const receivedAt = encodeURIComponent(`${local}+07:00`);
  const due = await ctx.app.inject({ method: 'GET', url: `/api/v1/procedures/${p45.code}/due-date?receivedAt=${receivedAt}&desk=${DESK}` });
  expect(due.statusCode, due.body).toBe(200);
  return { dossier, due: due.json() as { dueAt: string; provisional: boolean; explanation: Entry[] } };
}

describe('a 45-working-day dossier at a commune centre', () => {
  it('received 2026-12-01 is due 2027-02-03, the day before Tết 2027: nothing provisional is crossed', async () => {
    const { dossier, due } = await receive('2026-12-01T09:00:00');
    expect(dossier.deskCode).toBe(DESK);
    expect(new Date(dossier.dueAt).toISOString()).toBe(new Date('2027-02-03T09:00:00+07:00').toISOString());
    expect(dossier.provisional).toBe(false);
    expect(due.dueAt).toBe('2027-02-03T09:00:00+07:00');
    expect(due.explanation.find((e) => e.kind === 'day_skipped' && e.date === '2027-01-01')).toMatchObject({ name: 'Tết Dương lịch', status: 'derived' });
    expect(due.explanation.some((e) => e.kind === 'provisional')).toBe(false);
  });

  it('received 2026-12-07 is due after Tết 2027, skipping its days, provisional, and the explanation says why', async () => {
    const { dossier, due } = await receive('2026-12-07T09:00:00');
    expect(new Date(dossier.dueAt).toISOString()).toBe(new Date('2027-02-16T09:00:00+07:00').toISOString());
    expect(dossier.provisional).toBe(true);
    expect(due).toMatchObject({ dueAt: '2027-02-16T09:00:00+07:00', provisional: true });
    const skipped = due.explanation.filter((e) => e.kind === 'day_skipped' && e.date! >= '2027-02-04' && e.date! <= '2027-02-10');
    expect(skipped.map((e) => [e.date, e.status])).toEqual([
      ['2027-02-04', 'provisional'],
      ['2027-02-05', 'provisional'],
      ['2027-02-06', undefined], // Saturday (mùng 1): weekend
      ['2027-02-07', undefined],
      ['2027-02-08', 'provisional'],
      ['2027-02-09', 'provisional'],
      ['2027-02-10', 'provisional'],
    ]);
    expect(skipped[0]!.name).toBe('Tết Nguyên đán Đinh Mùi');
    expect(skipped[0]!.source).toMatch(/10065\/VPCP-KGVX/);
    const prov = due.explanation.find((e) => e.kind === 'provisional')!;
    expect(prov.reasons).toEqual(['provisional_day']);
    expect(prov.dates).toEqual(['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']);
    expect(prov.text).toMatch(/not yet confirmed: 2027-02-04 Tết Nguyên đán Đinh Mùi/);
  });

  it('received 2027-12-01 runs into 2028, which has no schedule: Tết Mậu Thân computed by the lunar calendar is skipped, provisional', async () => {
    const { dossier, due } = await receive('2027-12-01T09:00:00');
    // 45 working days: 23 in December, then January 2028 without 03/01 (nghỉ bù Tết Dương lịch) and Tết 24-28/01.
    expect(new Date(dossier.dueAt).toISOString()).toBe(new Date('2028-02-10T09:00:00+07:00').toISOString());
    expect(dossier.provisional).toBe(true);
    expect(due).toMatchObject({ dueAt: '2028-02-10T09:00:00+07:00', provisional: true });
    const tet = due.explanation.filter((e) => e.kind === 'day_skipped' && e.name?.startsWith('Tết Nguyên đán Mậu Thân'));
    expect(tet.map((e) => e.date)).toEqual(['2028-01-24', '2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28']);
    expect(tet.every((e) => e.status === 'provisional' && /lunar calendar, UTC\+7/.test(e.source!))).toBe(true);
    const prov = due.explanation.find((e) => e.kind === 'provisional')!;
    expect(prov.reasons).toContain('beyond_loaded_years');
    expect(prov.text).toMatch(/2028 is beyond the loaded calendar \(2021-2027\): its holidays are computed/);
  });
});

describe('the calendar read API', () => {
  it('describes a computed day of 2028 and the 2026 corrections', async () => {
    const tet = (await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2028-01-26' })).json();
    expect(tet).toMatchObject({ working: false, kind: 'holiday', name: 'Tết Nguyên đán Mậu Thân (mùng 1)', status: 'provisional', provisional: true, beyondLoadedYears: true });
    const culture = (await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2026-11-24' })).json();
    expect(culture).toMatchObject({ working: false, name: 'Ngày Văn hóa Việt Nam', status: 'derived', provisional: false });
    const makeup = (await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2026-08-22' })).json();
    expect(makeup).toMatchObject({ working: true, kind: 'makeup_workday', status: 'official' });
  });
});
