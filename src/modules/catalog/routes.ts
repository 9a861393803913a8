import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import * as queries from './queries.js';
import * as schemas from './schemas.js';

export const catalogRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];
  app.get(
    '/fields',
    { schema: { tags, summary: 'Fields of procedures (lĩnh vực), with the number of procedures in force on asOf (default today)', querystring: schemas.asOfQuery, response: { 200: schemas.fieldsResponse, ...errors } } },
    async (req) => queries.listFields(deps.db, req.query.asOf ?? localDateOf(deps.now())),
  );
  app.get(
    '/procedures',
    {
      schema: {
        tags,
        summary: 'Search the procedure catalogue (TTHC) in force on asOf (default today), with or without diacritics',
        description:
          'The catalogue has versions: the generated 2021-2025 catalogue until 2025-06-30, the national database\'s city and commune procedures (and the generated ones of ministries it lacks, re-levelled) from 2025-07-01. `source` tells which.',
        querystring: schemas.proceduresQuery,
        response: { 200: schemas.proceduresPage, ...errors },
      },
    },
    async (req) => {
      const { asOf = localDateOf(deps.now()), ...f } = req.query;
      return { ...(await queries.listProcedures(deps.db, { asOf, ...f }, (await deps.provinceLevel(asOf)).inForce)), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/procedures/:code',
    {
      schema: {
        tags,
        summary: 'The version of one procedure in force on asOf (default today): time, documents, fees, legal basis, process steps',
        params: schemas.procedureParams,
        querystring: schemas.asOfQuery,
        response: { 200: schemas.procedureDetail, ...errors },
      },
    },
    async (req) => queries.getProcedure(deps.db, req.params.code, req.query.asOf ?? localDateOf(deps.now())),
  );
};
