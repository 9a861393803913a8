import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import * as queries from './queries.js';
import * as schemas from './schemas.js';

export const orgRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const today = () => localDateOf(deps.now());
  const tags = ['organisation'];

  app.get(
    '/units',
    { schema: { tags, summary: 'Administrative units (province, districts, communes; GSO codes)', querystring: schemas.unitsQuery, response: { 200: schemas.page(schemas.unit), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await queries.listUnits(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
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
        params: schemas.byCode,
        querystring: schemas.asOfQuery,
        response: { 200: schemas.unitDetail, ...errors },
      },
    },
    async (req) => {
      const row = await queries.getUnit(deps.db, req.params.code, req.query.asOf ?? today());
      const [history, links] = await Promise.all([queries.unitHistory(deps.db, row.code), queries.unitLinks(deps.db, row)]);
      return { ...row, history, ...links };
    },
  );
  app.get(
    '/desks',
    { schema: { tags, summary: 'One-stop desks (bộ phận một cửa)', querystring: schemas.desksQuery, response: { 200: schemas.page(schemas.desk), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await queries.listDesks(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/desks/:code',
    { schema: { tags, summary: 'One desk, as it was on a date', params: schemas.byCode, querystring: schemas.asOfQuery, response: { 200: schemas.desk, ...errors } } },
    async (req) => queries.getDesk(deps.db, req.params.code, req.query.asOf ?? today()),
  );
  app.get(
    '/agencies',
    { schema: { tags, summary: "Agencies (departments, offices, People's Committees)", querystring: schemas.agenciesQuery, response: { 200: schemas.page(schemas.agency), ...errors } } },
    async (req) => {
      const { asOf = today(), ...f } = req.query;
      return { ...(await queries.listAgencies(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/agencies/:code',
    { schema: { tags, summary: 'One agency, as it was on a date', params: schemas.byCode, querystring: schemas.asOfQuery, response: { 200: schemas.agency, ...errors } } },
    async (req) => queries.getAgency(deps.db, req.params.code, req.query.asOf ?? today()),
  );
};
