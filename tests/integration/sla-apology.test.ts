import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { startSlaTestApp, type SlaTestApp } from '../helpers/sla.js';

// The default settings: the warning comes SLA_WARNING_WORKING_DAYS (2) working days before the appointment.
const clock = TestClock.atLocal('2025-03-03T08:00:00'); // Monday
let sla: SlaTestApp;
let ctx: TestContext;
let fiveDays: ProcedurePick;
let sameDay: ProcedurePick;
beforeAll(async () => {
  sla = await startSlaTestApp(clock);
  ctx = sla.ctx;
  fiveDays = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount = 5 and cutoff_hour is null`);
  sameDay = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'same_day' and cutoff_hour is null`);
});
afterAll(async () => ctx?.close());

const sweep = () => sla.sweep();
const view = (code: string) => sla.view(code);
const receive = (p: ProcedurePick, overrides: Record<string, unknown> = {}) => sla.receive(p, overrides);
async function head(code: string) {
  return loginAs(ctx, 'agency_head', { kind: 'agency', code: (await view(code)).authorityAgencyCode });
}
const draftOf = async (code: string, headers: Headers) => ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/apology`, headers });
const issue = (code: string, newAppointment: string, headers: Headers) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/apology`, payload: { reason: 'Chờ ý kiến liên ngành', newAppointment }, headers });
type Headers = { authorization: string };
const localWeekday = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3_600_000).getUTCDay();

describe('the warning, the draft and its proposal', () => {
  it('warns two working days ahead, so the apology issued from the fresh draft is on time', async () => {
    clock.setLocal('2025-03-03T08:00:00');
    const code = await receive(fiveDays); // due Monday 10 March 08:00
    clock.setLocal('2025-03-06T08:00:00'); // Thursday 08:00: exactly two working days left
    expect((await sweep()).dueSoon).toBeGreaterThanOrEqual(1);
    expect((await view(code)).flags.dueSoonAt).not.toBeNull();
    const signer = await head(code);
    const draft = await draftOf(code, signer);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', lateApology: false });
    const issued = await issue(code, draft.json().proposedAppointment, signer);
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'issued', lateApology: false });
  });

  it('proposes a date later than the appointment, on a working day, even when the remaining steps fit before it', async () => {
    clock.setLocal('2025-03-11T07:00:00'); // Tuesday at opening: a same-day dossier due at 17:00, its whole process fits
    const code = await receive(sameDay);
    const due = (await view(code)).dueAt as string;
    expect(await sweep()).toMatchObject({ apologiesDrafted: 1 });
    const signer = await head(code);
    const draft = (await draftOf(code, signer)).json();
    expect(new Date(draft.previousAppointment).getTime()).toBe(new Date(due).getTime());
    expect(new Date(draft.proposedAppointment).getTime()).toBeGreaterThan(new Date(due).getTime());
    expect([1, 2, 3, 4, 5]).toContain(localWeekday(draft.proposedAppointment));
    const issued = await issue(code, draft.proposedAppointment, signer);
    expect(issued.statusCode, issued.body).toBe(200);
  });

  it('proposes a working day after the appointment when the sweep runs at a weekend', async () => {
    clock.setLocal('2025-03-14T17:30:00'); // Friday after the close: a same-day dossier due Monday 17 March 17:00
    const code = await receive(sameDay);
    clock.setLocal('2025-03-15T10:00:00'); // Saturday
    await sweep();
    const signer = await head(code);
    const draft = (await draftOf(code, signer)).json();
    expect(new Date(draft.proposedAppointment).getTime()).toBeGreaterThan(new Date((await view(code)).dueAt).getTime());
    expect([1, 2, 3, 4, 5]).toContain(localWeekday(draft.proposedAppointment));
    expect((await issue(code, draft.proposedAppointment, signer)).statusCode).toBe(200);
  });

  it('drafts, in one sweep, the apology of a dossier received backdated and already overdue, marked late', async () => {
    clock.setLocal('2025-03-19T10:00:00'); // Wednesday; the paper intake of Monday 07:30 is recorded now
    const code = await receive(sameDay, { receivedAt: '2025-03-17T07:30:00+07:00' }); // due Monday 17:00
    expect(new Date((await view(code)).dueAt).getTime()).toBeLessThan(clock.now().getTime());
    const swept = await sweep();
    expect(swept.overdue).toBeGreaterThanOrEqual(1);
    expect(swept.apologiesDrafted).toBeGreaterThanOrEqual(1);
    const signer = await head(code);
    const draft = await draftOf(code, signer);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', lateApology: true });
    expect(new Date(draft.json().proposedAppointment).getTime()).toBeGreaterThan(clock.now().getTime());
    expect([1, 2, 3, 4, 5]).toContain(localWeekday(draft.json().proposedAppointment));
    expect((await sweep()).apologiesDrafted).toBe(0); // once
    const issued = await issue(code, draft.json().proposedAppointment, signer);
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ lateApology: true });
  });

  it('keeps the new appointment to the minute, as Mẫu 04 prints it and the deadline engine rounds', async () => {
    clock.setLocal('2025-03-24T08:00:00');
    const code = await receive(fiveDays); // due Monday 31 March 08:00
    const signer = await head(code);
    const issued = await issue(code, '2025-04-02T09:15:30+07:00', signer);
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json().newAppointment).toBe('2025-04-02T09:16:00+07:00');
    expect(new Date((await view(code)).newDueAt).getTime()).toBe(new Date('2025-04-02T09:16:00+07:00').getTime());
  });
});
