import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import * as q from './queries.js';
import * as s from './schemas.js';

export const orgRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const today = () => localDateOf(deps.now());
  const tags = ['organisation'];

  app.get(
    '/units',
    { schema: { tags, summary: 'Administrative units (province, districts, communes; GSO codes)', querystring: s.unitsQuery, response: { 200: s.page(s.unit), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await q.listUnits(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/units/:code',
    {
      schema: {
        tags,
        summary: 'One administrative unit, as it was on a date',
        description:
          'GSO codes are reused across restructurings (20242 was Phường Phước Ninh until 2025-06-30 and is Phường Hải Châu from 2025-07-01): the answer is the unit the code denotes on `asOf`, `history` lists every unit the code has denoted with its dates, and `predecessors` / `successors` link unit versions across the change.',
        params: s.byCode,
        querystring: s.asOfQuery,
        response: { 200: s.unitDetail, ...errors },
      },
    },
    async (req) => {
      const row = await q.getUnit(deps.db, req.params.code, req.query.asOf ?? today());
      const [history, links] = await Promise.all([q.unitHistory(deps.db, row.code), q.unitLinks(deps.db, row)]);
      return { ...row, history, ...links };
    },
  );
  app.get(
    '/desks',
    { schema: { tags, summary: 'One-stop desks (bộ phận một cửa)', querystring: s.desksQuery, response: { 200: s.page(s.desk), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await q.listDesks(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/desks/:code',
    { schema: { tags, summary: 'One desk, as it was on a date', params: s.byCode, querystring: s.asOfQuery, response: { 200: s.desk, ...errors } } },
    async (req) => q.getDesk(deps.db, req.params.code, req.query.asOf ?? today()),
  );
  app.get(
    '/agencies',
    { schema: { tags, summary: "Agencies (departments, offices, People's Committees)", querystring: s.agenciesQuery, response: { 200: s.page(s.agency), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await q.listAgencies(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/agencies/:code',
    { schema: { tags, summary: 'One agency, as it was on a date', params: s.byCode, querystring: s.asOfQuery, response: { 200: s.agency, ...errors } } },
    async (req) => q.getAgency(deps.db, req.params.code, req.query.asOf ?? today()),
  );
};
