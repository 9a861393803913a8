import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers } from '../../src/db/schema/index.js';
import type { StaffActor } from '../../src/domain/actor.js';
import { dossierStatuses, isOpen, type DossierStatus } from '../../src/domain/dossier/state-machine.js';
import { holdsStep, returnUnitOf } from '../../src/domain/dossier/who-may-act.js';
import { canSee, scopeCondition, workQueueCondition } from '../../src/modules/dossiers/index.js';
import type { ProvinceLevel } from '../../src/domain/province-level.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { communeCentreIntake, intakeBody, pickProcedure } from '../helpers/dossiers.js';

/**
 * The rules that exist twice, in TypeScript for one dossier and in SQL for lists, agree: who may see a dossier
 * (canSee / scopeCondition) and whose work queue holds it (holdsStep / workQueueCondition). Generated dossiers
 * (units, agencies, desks, holders, statuses) and generated staff (roles over units and agencies) are compared
 * over a real PostgreSQL.
 */
let ctx: TestContext;
// The city in force (48) and Quảng Nam closed on 2025-07-01 (49), whose units were 49, 502, 503 and 20335: a role
// over 49 reads what those units received before that day.
const PROVINCE: ProvinceLevel = { day: '2026-12-01', inForce: '48', closed: [{ code: '49', closedOn: '2025-07-01', unitCodes: ['49', '502', '503', '20335'] }] };
const units = ['48', '49', '502', '503', '20335', '20410'];
// Either side of the province's closing: 23:59:59 on 2025-06-30 and 00:00 on 2025-07-01, local time.
const receivedAts = [new Date('2025-06-30T16:59:59Z'), new Date('2025-06-30T17:00:00Z')];
const desks = ['T49', 'TT48', 'H502', 'H503', 'X20335', 'TX20410'];
const agencies = ['UBND-49', 'SNV', '502-TP', '503-TP', 'UBND-20335'];
const roles = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin', 'auditor'] as const;
const usernames = ['an', 'binh', 'chi'];

interface Row {
  code: string;
  status: DossierStatus;
  unitCode: string;
  authorityAgencyCode: string;
  holderAgencyCode: string;
  holderRole: string | null;
  holderUsername: string | null;
  /** The desk the applicant chose to collect the result at (a location-independent dossier), if not the receiving one. */
  resultDelivery: { method: string; deskCode?: string };
  receivedAt: Date;
}
let rows: Row[] = [];

const actorArb: fc.Arbitrary<StaffActor> = fc.record({
  kind: fc.constant('staff' as const),
  accountId: fc.constant(1),
  username: fc.constantFrom(...usernames),
  roles: fc.array(
    fc.oneof(
      fc.record({ role: fc.constantFrom(...roles), scopeKind: fc.constant('unit' as const), scopeCode: fc.constantFrom(...units) }),
      fc.record({ role: fc.constantFrom(...roles), scopeKind: fc.constant('agency' as const), scopeCode: fc.constantFrom(...agencies, ...desks) }),
    ),
    { maxLength: 3 },
  ),
});

beforeAll(async () => {
  ctx = await startTestApp();
  // One real dossier, then copies of it placed everywhere the generator says (the other columns do not matter here).
  const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  const procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount between 5 and 10 and cutoff_hour is null`);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload: intakeBody(procedure, 'H502') });
  expect(res.statusCode, res.body).toBe(201);
  const seed = res.json().dossierCode as string;
  const placed = fc.sample(
    fc.record({
      status: fc.constantFrom(...dossierStatuses),
      unitCode: fc.constantFrom(...units),
      authorityAgencyCode: fc.constantFrom(...agencies),
      holderAgencyCode: fc.constantFrom(...agencies, ...desks),
      holderRole: fc.constantFrom(null, 'desk_officer', 'specialist', 'agency_head', 'leader'),
      holderUsername: fc.constantFrom(null, ...usernames),
      resultDelivery: fc.oneof(fc.constant({ method: 'desk' }), fc.constantFrom(...desks).map((deskCode) => ({ method: 'desk', deskCode }))),
      receivedAt: fc.constantFrom(...receivedAts),
    }),
    { numRuns: 400, seed: 20261207 },
  );
  rows = placed.map((p, i) => ({ ...p, code: `PROP-${String(i).padStart(4, '0')}` }));
  for (const r of rows) {
    await ctx.deps.db.execute(sql`
      insert into dossiers (code, status, unit_code, authority_agency_code, holder_agency_code, holder_role, holder_username,
        procedure_code, field_code, desk_code, channel, applicant, citizen_id_hash, phone_last4, documents, result_delivery, authority,
        current_step, step_started_at, received_at, effective_start, time_amount, time_unit, cutoff_hour, supplement_policy,
        budget_minutes, due_at, original_due_at, provisional, created_by, updated_at)
      select ${r.code}, ${r.status}, ${r.unitCode}, ${r.authorityAgencyCode}, ${r.holderAgencyCode}, ${r.holderRole}, ${r.holderUsername},
        procedure_code, field_code, desk_code, channel, applicant, citizen_id_hash, phone_last4, documents, ${JSON.stringify(r.resultDelivery)}::jsonb, authority,
        current_step, step_started_at, ${r.receivedAt}, effective_start, time_amount, time_unit, cutoff_hour, supplement_policy,
        budget_minutes, due_at, original_due_at, provisional, created_by, updated_at
      from dossiers where code = ${seed}`);
  }
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

const selected = async (condition: ReturnType<typeof sql>) =>
  new Set(
    (await ctx.deps.db.execute<{ code: string }>(sql`select code from ${dossiers} where code like 'PROP-%' and ${condition}`)).rows.map((r) => r.code),
  );

describe('rules written in TypeScript and in SQL agree', () => {
  it('who may see a dossier: canSee and scopeCondition', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb, async (actor) => {
        const bySql = await selected(scopeCondition(actor, PROVINCE));
        const byTs = new Set(rows.filter((r) => canSee(actor, r, PROVINCE)).map((r) => r.code));
        expect([...bySql].sort()).toEqual([...byTs].sort());
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("whose work queue holds a dossier: the step's holder (holdsStep) and workQueueCondition", async () => {
    await fc.assert(
      fc.asyncProperty(actorArb, async (actor) => {
        const bySql = await selected(workQueueCondition(actor));
        const deskUnits = actor.roles.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'unit').map((r) => r.scopeCode);
        const byTs = new Set(
          rows
            .filter((r) => (isOpen(r.status) && holdsStep(actor, r)) || (r.status === 'processed' && deskUnits.includes(returnUnitOf(r))))
            .map((r) => r.code),
        );
        expect([...bySql].sort()).toEqual([...byTs].sort());
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});

describe('province-wide is the province-level unit in force: the city (48) from 2025-07-01', () => {
  let code = '';
  let authority = '';
  let day = '';
  beforeAll(async () => {
    // Today (the real clock, after 2025-07-01) with the organisation of the city loaded: a dossier received at the
    // centre of Phường Hội An, a commune-level unit of the city.
    const { deskCode, officer, procedure } = await communeCentreIntake(ctx);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: officer, payload: intakeBody(procedure, deskCode) });
    expect(res.statusCode, res.body).toBe(201);
    code = res.json().dossierCode as string;
    const got = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: officer });
    authority = got.json().authorityAgencyCode as string;
    day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  }, 120_000);
  const get = (url: string, headers: { authorization: string }) => ctx.app.inject({ method: 'GET', url, headers });

  it("a province administrator over the city sees a commune centre's dossier, may reassign it, and reads the list and the centre's register", async () => {
    const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '48' });
    const seen = await get(`/api/v1/dossiers/${code}`, admin);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().yourActs).toContain('handoff');
    const listed = await get('/api/v1/dossiers?limit=100', admin);
    expect(listed.json().items.map((d: { code: string }) => d.code)).toContain(code);
    const register = await get(`/api/v1/dossier-register?desk=TX20410&from=${day}&to=${day}`, admin);
    expect(register.statusCode, register.body).toBe(200);
    expect(JSON.stringify(register.json())).toContain(code);
    const moved = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/handoffs`, headers: admin, payload: { toAgencyCode: authority, toRole: 'specialist' } });
    expect(moved.statusCode, moved.body).toBe(200);
  });

  it("an auditor over the city reads the centre's dossier and register but cannot act", async () => {
    const auditor = await loginAs(ctx, 'auditor', { kind: 'unit', code: '48' });
    const seen = await get(`/api/v1/dossiers/${code}`, auditor);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().yourActs).toEqual([]);
    expect((await get(`/api/v1/dossier-register?desk=TX20410&from=${day}&to=${day}`, auditor)).statusCode).toBe(200);
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/handoffs`, headers: auditor, payload: { toRole: 'desk_officer' } });
    expect(refused.statusCode, refused.body).toBe(403);
  });

  it("a role over Quảng Nam (49), closed on 2025-07-01, sees no dossier the city's centres received and administers nothing", async () => {
    for (const role of ['province_admin', 'auditor'] as const) {
      const old = await loginAs(ctx, role, { kind: 'unit', code: '49' });
      expect((await get(`/api/v1/dossiers/${code}`, old)).statusCode).toBe(404);
      expect((await get('/api/v1/dossiers?limit=100', old)).json().items.map((d: { code: string }) => d.code)).not.toContain(code);
      expect((await get(`/api/v1/dossier-register?desk=TX20410&from=${day}&to=${day}`, old)).statusCode).toBe(403);
    }
    const old = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
    const hours = await ctx.app.inject({ method: 'PUT', url: '/api/v1/calendar/working-hours/province', headers: old, payload: { periods: [{ start: '07:00', end: '11:00' }, { start: '13:00', end: '17:00' }], reason: 'thử' } });
    expect(hours.statusCode, hours.body).toBe(403);
  });

  it("the province's working hours answer under the word, the city's code and Quảng Nam's", async () => {
    const byWord = (await ctx.app.inject({ method: 'GET', url: '/api/v1/calendar/working-hours/province' })).json();
    for (const scope of ['48', '49']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/calendar/working-hours/${scope}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual(byWord);
    }
  });
});
