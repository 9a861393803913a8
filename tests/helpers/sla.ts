import { expect } from 'vitest';
import { loginAs, startTestApp, type TestContext } from './app.js';
import type { TestClock } from './clock.js';
import { intakeBody, type ProcedurePick } from './dossiers.js';

export type AuthHeaders = { authorization: string; username: string };

/** What the SLA tests share: an app on the test's clock, a desk officer of H502, a province administrator, and the acts they use. */
export interface SlaTestApp {
  ctx: TestContext;
  officer: AuthHeaders;
  admin: AuthHeaders;
  /** Runs the sweep through the API (as the province administrator) and returns its figures. */
  sweep: () => Promise<Record<string, number>>;
  /** The dossier as the desk officer sees it. */
  view: (code: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the JSON body, read freely as res.json() is
  /** Receives a dossier of the procedure at desk H502 and returns its code. */
  receive: (p: ProcedurePick, overrides?: Record<string, unknown>) => Promise<string>;
}

export async function startSlaTestApp(clock: TestClock, env?: Record<string, string>): Promise<SlaTestApp> {
  const ctx = await startTestApp({ now: clock.now, ...(env ? { env } : {}) });
  const officer = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  const admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  return {
    ctx,
    officer,
    admin,
    sweep: async () => {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/sla/sweep', headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    view: async (code) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}`, headers: officer })).json(),
    receive: async (p, overrides = {}) => {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(p, 'H502', overrides), headers: officer });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().dossierCode as string;
    },
  };
}
