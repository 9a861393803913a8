import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { authErrors, codeParam, errorSchema, errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import { requirePrincipal } from '../auth/index.js';
import { amendDecision, revokeDecision } from './amend-decision.js';
import { createDecision } from './create-decision.js';
import { decisionWithProcedures } from './decision-store.js';
import * as queries from './queries.js';
import { setLocationIndependentDesks } from './set-location-independent-desks.js';
import * as schemas from './schemas.js';

export const delegationRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['delegation'];
  const security = [{ bearer: [] }];
  const today = () => localDateOf(deps.now());
  const changed = { 200: schemas.decisionView, ...authErrors, 409: errorSchema };

  app.get(
    '/delegation-decisions',
    { schema: { tags, summary: 'Delegation and decentralisation decisions', querystring: schemas.listQuery, response: { 200: z.object({ items: z.array(schemas.decisionView), total: z.number(), limit: z.number(), offset: z.number() }), ...errors } } },
    async (req) => queries.listDecisions(deps, req.query),
  );
  app.get(
    '/delegation-decisions/:id',
    { schema: { tags, summary: 'One delegation decision', params: schemas.idParams, response: { 200: schemas.decisionView, ...errors } } },
    async (req) => decisionWithProcedures(deps.db, req.params.id),
  );
  app.post(
    '/delegation-decisions',
    { schema: { tags, summary: 'Record a delegation decision (province administrator)', security, body: schemas.createDecisionBody, response: { 201: schemas.decisionView, ...authErrors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createDecision(contextOf(deps, requirePrincipal(req), req.id), req.body)),
  );
  app.patch(
    '/delegation-decisions/:id',
    { schema: { tags, summary: 'Amend a delegation decision (province administrator)', security, params: schemas.idParams, body: schemas.amendDecisionBody, response: changed } },
    async (req) => amendDecision(contextOf(deps, requirePrincipal(req), req.id), { ...req.body, id: req.params.id }),
  );
  app.post(
    '/delegation-decisions/:id/revocation',
    { schema: { tags, summary: 'Revoke a delegation decision from a date (province administrator)', security, params: schemas.idParams, body: schemas.revokeBody, response: changed } },
    async (req) => revokeDecision(contextOf(deps, requirePrincipal(req), req.id), { ...req.body, id: req.params.id }),
  );
  app.get(
    '/procedures/:code/authority',
    {
      schema: {
        tags,
        summary: 'Who decides this procedure at a desk on a date, and the decisions relied on',
        description: 'Who decides this procedure on a day (default today) in a unit (GSO code; default the province), with the chain of decisions.',
        params: z.object({ code: codeParam }),
        querystring: schemas.authorityQuery,
        response: { 200: schemas.authorityView, ...errors },
      },
    },
    async (req) => queries.authorityOf(deps, req.params.code, req.query.on ?? today(), req.query.unit ?? (await deps.provinceLevel(req.query.on ?? today())).inForce),
  );
  const liDesks = z.object({ procedureCode: z.string(), deskCodes: z.array(z.string()) });
  app.get(
    '/procedures/:code/location-independent-desks',
    { schema: { tags, summary: "Desks receiving this procedure regardless of the applicant's address", params: z.object({ code: codeParam }), response: { 200: liDesks, ...errors } } },
    async (req) => ({ procedureCode: req.params.code, deskCodes: [...(await deps.reference.locationIndependentDesks(req.params.code))].sort() }),
  );
  app.put(
    '/procedures/:code/location-independent-desks',
    {
      schema: {
        tags,
        summary: 'Set the desks receiving this procedure regardless of address (province administrator)',
        security,
        params: z.object({ code: codeParam }),
        body: z.object({ deskCodes: z.array(codeParam).min(1).max(300), reason: z.string().trim().min(3).max(500) }),
        response: { 200: liDesks, ...authErrors },
      },
    },
    async (req) => setLocationIndependentDesks(contextOf(deps, requirePrincipal(req), req.id), { ...req.body, code: req.params.code }),
  );
  app.get(
    '/reports/delegations',
    {
      schema: {
        tags,
        summary: 'Dossiers decided under each delegation decision',
        querystring: schemas.reportQuery,
        response: {
          200: z.object({
            on: z.string(),
            total: z.number(),
            delegated: z.number(),
            byAuthority: z.array(z.object({ authority: z.string(), total: z.number(), delegated: z.number() })),
            byHolder: z.array(z.object({ unit: z.string(), holder: z.string(), procedures: z.number() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => queries.delegationReport(deps, req.query.on ?? today()),
  );
  app.get(
    '/reports/delegations/dossiers',
    {
      schema: {
        tags,
        summary: 'The dossiers decided under one delegation decision',
        querystring: schemas.dossierReportQuery,
        response: { 200: z.object({ from: z.string(), to: z.string(), items: z.array(z.object({ decision: z.string(), holder: z.string(), dossiers: z.number() })) }), ...errors },
      },
    },
    async (req) => queries.dossiersByDecision(deps, req.query.from, req.query.to),
  );
};
