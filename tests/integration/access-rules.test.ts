import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers } from '../../src/db/schema/index.js';
import type { StaffActor } from '../../src/domain/actor.js';
import { dossierStatuses, isOpen, type DossierStatus } from '../../src/domain/dossier/state-machine.js';
import { holdsStep, returnUnitOf } from '../../src/domain/dossier/who-may-act.js';
import { canSee, scopeCondition, workQueueCondition } from '../../src/modules/dossiers/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';

/**
 * The rules that exist twice, in TypeScript for one dossier and in SQL for lists, agree: who may see a dossier
 * (canSee / scopeCondition) and whose work queue holds it (holdsStep / workQueueCondition). Generated dossiers
 * (units, agencies, desks, holders, statuses) and generated staff (roles over units and agencies) are compared
 * over a real PostgreSQL.
 */
let ctx: TestContext;
const PROVINCE = '49';
const units = ['49', '502', '503', '20335'];
const desks = ['T49', 'H502', 'H503', 'X20335'];
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
        current_step, step_started_at, received_at, effective_start, time_amount, time_unit, cutoff_hour, supplement_policy,
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
