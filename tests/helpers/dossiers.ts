import { sql } from 'drizzle-orm';
import { localDateOf } from '../../src/lib/local-date.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { loginAs, type TestContext } from './app.js';

export interface ProcedurePick {
  code: string;
  level: 'province' | 'district' | 'commune';
  fieldCode: string;
  timeAmount: number;
  timeUnit: string;
  documents: { name: string; originals: number; copies: number; required: boolean }[];
}

/**
 * A procedure of the catalogue in force on a day (default the test's clock: the version an intake then is received
 * under) matching a condition (SQL over the procedures table).
 */
export async function pickProcedure(ctx: TestContext, where: ReturnType<typeof sql>, day = localDateOf(ctx.deps.now())): Promise<ProcedurePick> {
  const rows = await ctx.deps.db.execute<{
    code: string;
    level: ProcedurePick['level'];
    field_code: string;
    time_amount: number;
    time_unit: string;
    documents: ProcedurePick['documents'];
  }>(sql`select code, level, field_code, time_amount, time_unit, documents from procedures
      where ${where} and valid_from <= ${day} and (valid_to is null or valid_to > ${day}) order by code limit 1`);
  const r = rows.rows[0];
  if (!r) throw new Error('no procedure matches');
  return { code: r.code, level: r.level, fieldCode: r.field_code, timeAmount: r.time_amount, timeUnit: r.time_unit, documents: r.documents };
}

let phoneSeq = 1000;
/** An intake body with every required document of the procedure. */
export function intakeBody(p: ProcedurePick, deskCode: string, overrides: Record<string, unknown> = {}) {
  return {
    channel: 'desk',
    procedureCode: p.code,
    deskCode,
    applicant: {
      kind: 'person',
      name: 'Nguyễn Văn An',
      citizenId: '049090001234',
      phone: `090555${String(++phoneSeq).padStart(4, '0')}`,
      address: 'Thôn 1, xã Tam Thanh, Tam Kỳ, Quảng Nam',
    },
    documents: p.documents.filter((d) => d.required).map((d) => ({ name: d.name, original: d.originals > 0, digitised: true })),
    resultDelivery: { method: 'desk' },
    ...overrides,
  };
}

/**
 * A commune centre of the two-level organisation ready to take dossiers (the organisation loaded as `npm start` does
 * on 2026-12-01, desk TX20410 and an officer of it) and a commune procedure counted in working days, without cut-off,
 * whose appointments follow calendar changes.
 */
export async function communeCentreIntake(ctx: TestContext) {
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
  const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20410' });
  const procedure = await pickProcedure(
    ctx,
    sql`level = 'commune' and not location_independent and time_unit = 'working_day' and cutoff_hour is null and calendar_change_policy = 'reproject'`,
  );
  return { deskCode: 'TX20410', officer, procedure };
}
