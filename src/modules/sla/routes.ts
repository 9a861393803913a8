import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { apologies, desks } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors, codeParam, dateParam, errorSchema, instantParam } from '../../lib/http.js';
import { requireProvinceRole, requireRole } from '../auth/index.js';
import { apologyForm, visibleDossier } from '../dossiers/index.js';
import { formsCircularFor } from '../../domain/dossier/forms-circular.js';
import { dossierCodeParams } from '../dossiers/index.js';
import { issueApology } from './issue-apology.js';
import { latenessByUnit, latenessOf } from './lateness.js';
import { runSlaSweep } from './sweep.js';

const STAFF = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin', 'auditor'] as const;

const apologyView = z.object({
  form: z.literal('Mẫu 04'),
  title: z.string(),
  legalBasis: z.string(),
  formVersion: z.string(),
  dossierCode: z.string(),
  status: z.enum(['draft', 'issued']),
  agencyCode: z.string(),
  desk: z.string(),
  applicantName: z.string(),
  reason: z.string().nullable(),
  previousAppointment: z.string().nullable(),
  proposedAppointment: z.string(),
  newAppointment: z.string().nullable(),
  issuedAt: z.string().nullable(),
  issuedBy: z.string().nullable(),
  lateApology: z.boolean().nullable(),
});

export const slaRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['sla'];
  const security = [{ bearer: [] }];

  const render = async (code: string, dossier: Awaited<ReturnType<typeof visibleDossier>>) => {
    const [a] = await deps.db.select().from(apologies).where(eq(apologies.dossierId, dossier.id));
    if (!a) throw new DomainError('NOT_FOUND', `Dossier ${code} has no apology`);
    const [desk] = await deps.db.select().from(desks).where(eq(desks.code, dossier.deskCode)).limit(1);
    const circular = formsCircularFor(dossier.receivedAt, deps.config.FORMS_TT03_2025_FROM);
    return { ...apologyForm({ dossier, apology: a, desk: { code: dossier.deskCode, name: desk?.name ?? dossier.deskCode }, circular }), form: 'Mẫu 04' as const };
  };

  app.get(
    '/dossiers/:code/apology',
    { schema: { tags, summary: 'The apology (Mẫu 04), drafted or issued', security, params: dossierCodeParams, response: { 200: apologyView, ...authErrors } } },
    async (req) => render(req.params.code, await visibleDossier(deps, requireRole(req, STAFF), req.params.code)),
  );
  app.post(
    '/dossiers/:code/apology',
    {
      schema: {
        tags,
        summary: 'Issue the apology with a new appointment (agency head)',
        security,
        params: dossierCodeParams,
        body: z.object({
          reason: z.string().trim().min(3).max(1000),
          newAppointment: instantParam('must be an ISO 8601 instant with offset'),
        }),
        response: { 200: apologyView, ...authErrors, 409: errorSchema },
      },
    },
    async (req) => {
      const who = requireRole(req, ['agency_head']);
      await issueApology(contextOf(deps, who, req.id), { ...req.body, code: req.params.code });
      return render(req.params.code, await visibleDossier(deps, who, req.params.code));
    },
  );
  app.get(
    '/dossiers/:code/lateness',
    {
      schema: {
        tags,
        summary: 'Which steps and units overran, by how many working minutes',
        security,
        params: dossierCodeParams,
        response: {
          200: z.object({
            dossierCode: z.string(),
            timeliness: z.string().nullable(),
            totalOverrunMinutes: z.number(),
            steps: z.array(
              z.object({
                stepOrder: z.number(),
                stepName: z.string(),
                agencyCode: z.string(),
                username: z.string(),
                allottedMinutes: z.number(),
                usedMinutes: z.number(),
                overrunMinutes: z.number(),
                finished: z.boolean(),
              }),
            ),
          }),
          ...authErrors,
        },
      },
    },
    async (req) => latenessOf(deps, requireRole(req, STAFF), req.params.code),
  );
  app.get(
    '/reports/lateness',
    {
      schema: {
        tags,
        summary: 'Late steps by unit and agency over a period',
        security,
        querystring: z.object({ from: dateParam, to: dateParam, agency: codeParam.optional() }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            items: z.array(z.object({ agencyCode: z.string(), stepsLate: z.number(), overrunMinutes: z.number(), dossiers: z.number() })),
          }),
          ...authErrors,
        },
      },
    },
    async (req) => {
      requireRole(req, ['unit_admin', 'province_admin', 'auditor']);
      return latenessByUnit(deps, req.query);
    },
  );
  app.post(
    '/sla/sweep',
    {
      schema: {
        tags,
        summary: 'Run the SLA sweep now (province administrator)',
        security,
        description: 'Runs the SLA sweep now (it also runs every 5 minutes and nightly at 00:30 in the workers).',
        response: {
          200: z.object({ dueSoon: z.number(), overdue: z.number(), overdueWithoutApology: z.number(), lateAfterApology: z.number(), apologiesDrafted: z.number(), ms: z.number() }),
          ...authErrors,
        },
      },
    },
    async (req) => {
      requireProvinceRole(req, 'province_admin', await deps.provinceLevel());
      return runSlaSweep(deps);
    },
  );
};
