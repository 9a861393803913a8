import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/jobs/workers.js';
import { loginAs, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { startSlaTestApp, type SlaTestApp } from '../helpers/sla.js';

const clock = TestClock.atLocal('2025-03-03T08:00:00'); // Monday
let sla: SlaTestApp;
let ctx: TestContext;
let officer: SlaTestApp['officer'];
let admin: SlaTestApp['admin'];
let procedure: ProcedurePick;
beforeAll(async () => {
  // The one-day warning these figures were written for.
  sla = await startSlaTestApp(clock, { SLA_WARNING_WORKING_DAYS: '1' });
  ({ ctx, officer, admin } = sla);
  procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount = 5 and cutoff_hour is null`);
});
afterAll(async () => ctx?.close());

const sweep = () => sla.sweep();
const view = (code: string) => sla.view(code);
const receive = () => sla.receive(procedure);
const local = (iso: string) => new Date(iso).toISOString();

describe('SLA sweep, apology and lateness', () => {
  it('flags due soon once, drafts an apology, takes one apology, then flags overdue and late after apology', async () => {
    clock.setLocal('2025-03-03T08:00:00');
    const code = await receive();
    const other = await receive();
    const due = (await view(code)).dueAt as string; // 5 working days from Monday 08:00: next Monday 08:00
    expect(local(due)).toBe(local('2025-03-10T08:00:00+07:00'));

    clock.setLocal('2025-03-06T09:00:00'); // Thursday: two working days left
    expect((await sweep()).dueSoon).toBe(0);
    clock.setLocal('2025-03-07T09:00:00'); // Friday 09:00: 7 working hours left
    const first = await sweep();
    expect(first).toMatchObject({ dueSoon: 2, apologiesDrafted: 2, overdue: 0 });
    expect((await sweep()).dueSoon).toBe(0); // idempotent
    expect((await view(code)).flags.dueSoonAt).not.toBeNull();

    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: (await view(code)).authorityAgencyCode });
    const draft = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/apology`, headers: head })).json();
    expect(draft).toMatchObject({ form: 'Mẫu 04', status: 'draft' });
    expect(new Date(draft.proposedAppointment).getTime()).toBeGreaterThan(new Date('2025-03-07T09:00:00+07:00').getTime());

    const issue = (payload: object, headers = head) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/apology`, payload, headers });
    expect((await issue({ reason: 'Chờ ý kiến liên ngành', newAppointment: '2025-03-10T07:30:00+07:00' })).statusCode).toBe(400);
    expect((await issue({ reason: 'Chờ ý kiến liên ngành', newAppointment: '2025-03-12T17:00:00+07:00' }, officer)).statusCode).toBe(403);
    expect((await issue({ reason: 'Chờ ý kiến liên ngành', newAppointment: '2025-03-12T17:00:00+07:00' }, admin)).statusCode).toBe(403);
    const otherHead = await loginAs(ctx, 'agency_head', { kind: 'agency', code: '503-TP' });
    const notTheirs = await issue({ reason: 'Chờ ý kiến liên ngành', newAppointment: '2025-03-12T17:00:00+07:00' }, otherHead);
    expect(notTheirs.statusCode).toBe(404); // another agency's dossier is not even visible
    const issued = await issue({ reason: 'Chờ ý kiến liên ngành', newAppointment: '2025-03-12T17:00:00+07:00' });
    expect(issued.statusCode, issued.body).toBe(200);
    // Issued Friday 09:00 for Monday 08:00: less than one working day before → accepted, flagged late.
    expect(issued.json()).toMatchObject({ status: 'issued', lateApology: true, newAppointment: '2025-03-12T17:00:00+07:00' });
    expect((await issue({ reason: 'Lần hai', newAppointment: '2025-03-14T17:00:00+07:00' })).json().error.code).toBe('APOLOGY_ALREADY_ISSUED');
    const phone = (await view(code)).applicant.phone.slice(-4);
    const lookup = (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=${phone}` })).json();
    expect(local(lookup.appointment)).toBe(local('2025-03-12T17:00:00+07:00'));

    clock.setLocal('2025-03-10T09:00:00'); // past the original appointment
    const second = await sweep();
    expect(second).toMatchObject({ overdue: 2, overdueWithoutApology: 1, lateAfterApology: 0 });
    expect((await view(code)).flags.overdueWithoutApologyAt).toBeNull();
    expect((await view(other)).flags.overdueWithoutApologyAt).not.toBeNull();
    // One event per overdue dossier, which says whether an apology had been issued: the second flag is that event.
    const overdueEvents = (c: string) => view(c).then((v) => (v.history as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type.startsWith('overdue')));
    expect(await overdueEvents(code)).toEqual([expect.objectContaining({ type: 'overdue', data: expect.objectContaining({ withoutApology: false }) })]);
    expect(await overdueEvents(other)).toEqual([expect.objectContaining({ type: 'overdue', data: expect.objectContaining({ withoutApology: true }) })]);
    expect((await view(other)).flags.overdueWithoutApologyAt).toBe((await view(other)).flags.overdueAt);
    expect(await sweep()).toMatchObject({ dueSoon: 0, overdue: 0, overdueWithoutApology: 0, lateAfterApology: 0 }); // idempotent
    // A flag is the dossier's event: a list shows it as the dossier's view does, and the sweep never rewrote the
    // dossier itself (its version is the intake's).
    const listed = await ctx.app.inject({ method: 'GET', url: '/api/v1/dossiers?desk=H502&overdue=true', headers: officer });
    const row = (listed.json().items as { code: string; version: number; flags: Record<string, string | null> }[]).find((d) => d.code === other);
    expect(row?.flags).toEqual((await view(other)).flags);
    expect(row?.flags.overdueAt).toBe(local('2025-03-10T09:00:00+07:00'));
    expect(row?.version).toBe(1);

    clock.setLocal('2025-03-13T08:00:00'); // past the new appointment too
    expect((await sweep()).lateAfterApology).toBe(1);
    const history = (await view(code)).history.map((h: { type: string }) => h.type);
    expect(history).toEqual(expect.arrayContaining(['due_soon', 'apology_issued', 'overdue', 'late_after_apology']));
    expect(history.filter((t: string) => t === 'due_soon')).toHaveLength(1);
  });

  it('attributes lateness to the step and unit that overran', async () => {
    clock.setLocal('2025-03-17T08:00:00');
    const code = await receive();
    // The desk's intake step is allotted a fraction of a day; hand it on two working days later.
    clock.setLocal('2025-03-19T08:00:00');
    await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/handoffs`, payload: { toRole: 'specialist' }, headers: officer });
    const r = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/lateness`, headers: officer })).json();
    expect(r.steps[0]).toMatchObject({ stepOrder: 1, agencyCode: 'H502', finished: true });
    expect(r.steps[0].overrunMinutes).toBe(r.steps[0].usedMinutes - r.steps[0].allottedMinutes);
    const report = (await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/lateness?from=2025-03-01&to=2025-03-31', headers: admin })).json();
    expect(report.items.find((i: { agencyCode: string }) => i.agencyCode === 'H502')).toMatchObject({ stepsLate: 1 });
  });

  it('leaves out a flag that a sweep set while an act ending the dossier before its instant was committing', async () => {
    clock.setLocal('2025-03-24T08:00:00'); // Monday; due Monday 31 March 08:00
    const code = await receive();
    clock.setLocal('2025-03-28T09:00:00'); // Friday: due soon
    expect((await sweep()).dueSoon).toBeGreaterThanOrEqual(1);
    const before = (await view(code)).version;
    // An act that ended the dossier on Monday 31 at 07:50 (on time) is still committing when the sweep of 09:00
    // reads the open dossiers: the sweep does not wait for it, and flags the dossier overdue.
    const act = await ctx.deps.pool.connect();
    try {
      await act.query('begin');
      await act.query(
        `update dossiers set status = 'processed', ended_at = $2, timeliness = 'on_time', version = version + 1 where code = $1`,
        [code, new Date('2025-03-31T07:50:00+07:00')],
      );
      clock.setLocal('2025-03-31T09:00:00');
      expect((await sweep()).overdue).toBeGreaterThanOrEqual(1);
      await act.query('commit');
    } finally {
      act.release();
    }
    const seen = await view(code);
    expect(seen.version).toBe(before + 1);
    expect(seen.history.map((h: { type: string }) => h.type)).toContain('overdue'); // the event is there…
    expect(seen.flags).toMatchObject({ overdueAt: null, overdueWithoutApologyAt: null }); // …but does not stand
    expect(seen.flags.dueSoonAt).not.toBeNull(); // set on Friday, while it was open: stands
  });

  it('keeps an overdue dossier overdue while it waits for a supplement asked after its appointment', async () => {
    clock.setLocal('2025-06-02T08:00:00'); // Monday; due Monday 9 June 08:00
    const code = await receive();
    clock.setLocal('2025-06-10T08:00:00');
    const act = (path: string, payload: object) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/${path}`, payload, headers: officer });
    expect((await act('supplement-requests', { reason: 'Thiếu bản sao', items: ['Bản sao CCCD'] })).statusCode).toBe(200);
    expect(local((await view(code)).dueAt)).toBe(local('2025-06-09T08:00:00+07:00'));
    expect((await sweep()).overdue).toBeGreaterThanOrEqual(1);
    expect((await view(code)).flags.overdueAt).not.toBeNull();
    const listed = (await ctx.app.inject({ method: 'GET', url: '/api/v1/dossiers?desk=H502&overdue=true&limit=200', headers: officer })).json();
    expect(listed.items.map((d: { code: string }) => d.code)).toContain(code);
    clock.setLocal('2025-06-11T09:00:00');
    expect((await act('supplement-received', {})).json().dueAt).toBe(local('2025-06-09T08:00:00+07:00')); // the pause moved nothing
    // An apology's new appointment is in the future, whatever the old one was.
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: (await view(code)).authorityAgencyCode });
    const past = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/apology`, payload: { reason: 'Chậm', newAppointment: '2025-06-10T08:00:00+07:00' }, headers: head });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/future/);
  });

  it("moves an apology's new appointment with a later pause, and refuses an apology while the clock is stopped", async () => {
    clock.setLocal('2025-06-16T08:00:00'); // Monday; due Monday 23 June 08:00
    const code = await receive();
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: (await view(code)).authorityAgencyCode });
    const act = (path: string, payload: object) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/${path}`, payload, headers: officer });
    const apology = (newAppointment: string) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/apology`, payload: { reason: 'Chờ ý kiến liên ngành', newAppointment }, headers: head });

    clock.setLocal('2025-06-19T08:00:00');
    expect((await act('supplement-requests', { reason: 'Thiếu bản sao', items: ['Bản sao CCCD'] })).statusCode).toBe(200);
    const paused = await apology('2025-06-30T08:00:00+07:00');
    expect(paused.statusCode).toBe(409);
    expect(paused.json().error.message).toMatch(/supplement/);
    clock.setLocal('2025-06-20T08:00:00');
    expect((await act('supplement-received', {})).json().dueAt).toBe(local('2025-06-24T08:00:00+07:00'));

    clock.setLocal('2025-06-20T09:00:00');
    const sunday = await apology('2025-06-29T08:00:00+07:00');
    expect(sunday.statusCode).toBe(400);
    expect(sunday.json().error.message).toMatch(/not a working day/);
    expect((await apology('2025-06-26T08:00:00+07:00')).statusCode).toBe(200);

    // A second pause of one working day moves the appointment and the promise alike.
    clock.setLocal('2025-06-23T08:00:00');
    expect((await act('supplement-requests', { reason: 'Thiếu chữ ký', items: ['Tờ khai'] })).statusCode).toBe(200);
    clock.setLocal('2025-06-24T08:00:00');
    const resumed = (await act('supplement-received', {})).json();
    expect(resumed.dueAt).toBe(local('2025-06-25T08:00:00+07:00'));
    expect(resumed.newDueAt).toBe(local('2025-06-27T08:00:00+07:00'));
    clock.setLocal('2025-06-26T09:00:00'); // past the appointment, not past the promise
    const swept = await sweep();
    expect(swept.overdue).toBeGreaterThanOrEqual(1);
    expect((await view(code)).flags).toMatchObject({ lateAfterApologyAt: null });
    expect((await view(code)).flags.overdueAt).not.toBeNull();
  });

  it('registers the two job schedulers in the province time zone', async () => {
    const workers = await startWorkers(ctx.deps);
    try {
      const schedulers = await workers.queue.getJobSchedulers();
      const byId = Object.fromEntries(schedulers.map((s) => [s.key, s]));
      expect(byId['sla-sweep']).toMatchObject({ pattern: '*/5 * * * *', tz: 'Asia/Ho_Chi_Minh' });
      expect(byId['sla-sweep-nightly']).toMatchObject({ pattern: '30 0 * * *', tz: 'Asia/Ho_Chi_Minh' });
    } finally {
      await workers.queue.obliterate({ force: true });
      await workers.close();
    }
  });
});
