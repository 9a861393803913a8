import { sql } from 'drizzle-orm';
import { localDateOf } from '../../src/lib/local-date.js';
import type { TestContext } from './app.js';

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
