import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { authErrors, errorSchema } from '../../lib/http.js';
import { requireProvinceRole } from '../auth/index.js';
import { amendItem } from './amend.js';
import { applyPlan } from './apply.js';
import { createPlan } from './plan.js';
import * as s from './schemas.js';
import { planCsv, planView } from './views.js';

/** Transition plans of a restructuring: made, reviewed, amended and applied by a province administrator. */
export const restructuringRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['restructuring'];
  const security = [{ bearer: [] }];
  const admin = ['province_admin'] as const;

  app.post(
    '/transition-plans',
    {
      schema: {
        tags,
        security,
        summary: 'Make the transition plan of a restructuring (province administrator)',
        description:
          'Lists every open dossier of a desk or agency that ends on `effectiveFrom` with its destination (a commune → the centre of the unit it became; a district → `districtRules`, else the unit named after it; a provincial procedure → the new province centre) or why it cannot be placed, and the staff roles that end. A second plan for the same date with other rules is refused (409); the same request again answers the plan made (200).',
        body: s.createPlanBody,
        response: { 200: s.planView, 201: s.planView, ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const who = requireProvinceRole(req, admin, await deps.provinceLevel());
      const made = await createPlan(deps, req.body, who.username);
      return reply.code(made.created ? 201 : 200).send(await planView(deps, made.id, { limit: 50, offset: 0 }));
    },
  );
  app.get(
    '/transition-plans/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A transition plan for review: JSON (a page of its dossiers) or CSV (all of them, ?format=csv)',
        params: s.planParams,
        querystring: s.planQuery,
        response: { 200: s.planView, ...authErrors },
      },
    },
    async (req, reply) => {
      requireProvinceRole(req, [...admin, 'auditor'], await deps.provinceLevel());
      const { format, ...page } = req.query;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="transition-plan-${req.params.id}.csv"`)
          // A CSV body is text, not the JSON the response schema describes: fastify sends strings as they are.
          .send((await planCsv(deps, req.params.id)) as never);
      }
      return planView(deps, req.params.id, page);
    },
  );
  app.patch(
    '/transition-plans/:id/items/:dossierCode',
    {
      schema: {
        tags,
        security,
        summary: "Set one dossier's destination in a plan (province administrator)",
        params: s.itemParams,
        body: s.amendItemBody,
        response: { 200: s.planItem, ...authErrors, 409: errorSchema },
      },
    },
    async (req) => {
      const who = requireProvinceRole(req, admin, await deps.provinceLevel());
      const item = await amendItem(deps, req.params.id, req.params.dossierCode, req.body, who.username);
      return {
        dossierCode: item.dossierCode,
        state: item.state,
        from: { deskCode: item.fromDeskCode, unitCode: item.fromUnitCode, authorityAgencyCode: item.fromAuthorityAgencyCode, holderAgencyCode: item.fromHolderAgencyCode },
        to: { deskCode: item.toDeskCode!, unitCode: item.toUnitCode!, authorityAgencyCode: item.toAuthorityAgencyCode!, holderAgencyCode: item.toHolderAgencyCode! },
        basis: item.basis,
        amendedBy: item.amendedBy,
        transferredAt: null,
      };
    },
  );
  app.post(
    '/transition-plans/:id/application',
    {
      schema: {
        tags,
        security,
        summary: 'Apply a transition plan, in one go or in batches (province administrator; idempotent, resumable)',
        params: s.planParams,
        body: s.applyBody,
        response: { 200: s.applyResult, ...authErrors },
      },
    },
    async (req) => {
      const who = requireProvinceRole(req, admin, await deps.provinceLevel());
      return applyPlan(deps, req.params.id, who.username, req.body);
    },
  );
};
