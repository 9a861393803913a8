import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';

let ctx: TestContext;
const clock = TestClock.atLocal('2026-12-01T09:00:00');
beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  // What `npm start` does on 2026-12-01: the organisation and catalogue in force then.
  await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
  ctx.deps.reference.invalidate();
});
afterAll(async () => ctx?.close());

describe('the README’s worked desk intake', () => {
  it('receives openapi/examples/intake-desk.json at a commune centre in force, of a real version in force, and carries it to the applicant', async () => {
    const example = JSON.parse(readFileSync(fromRoot('openapi', 'examples', 'intake-desk.json'), 'utf8'));
    const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '20341' });
    const intake = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...desk, 'idempotency-key': '6d0c2a52-0001' }, payload: example });
    expect(intake.statusCode, intake.body).toBe(201);
    const code = intake.json().dossierCode as string;
    expect(code).toBe('TX20341-261201-0001');
    const { rows } = await ctx.deps.pool.query(
      `select d.authority_agency_code, p.source, p.valid_from::text from dossiers d join procedures p on p.id = d.procedure_id where d.code = $1`,
      [code],
    );
    expect(rows[0]).toEqual({ authority_agency_code: 'KT-TX20341', source: 'national_catalogue', valid_from: '2025-07-01' });

    const specialist = await loginAs(ctx, 'specialist', { kind: 'agency', code: 'KT-TX20341' });
    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: 'KT-TX20341' });
    const act = async (what: string, who: { authorization: string }, payload: object) => {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/${what}`, headers: { authorization: who.authorization }, payload });
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    await act('handoffs', desk, { toRole: 'specialist' });
    await act('handoffs', specialist, { toRole: 'agency_head' });
    clock.advanceMinutes(60);
    await act('completion', head, { resultReference: 'Số 123/QĐ-UBND' });
    await act('return', desk, { method: 'desk' });
    const lookup = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${code}?phone=3456` });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json().status).toBe('returned');
  });
});
