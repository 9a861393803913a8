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
  app.get('/fields', { schema: { tags, summary: 'Fields of procedures (lĩnh vực)', response: { 200: schemas.fieldsResponse } } }, async () => queries.listFields(deps.db));
  app.get(
    '/procedures',
    { schema: { tags, summary: 'Search the procedure catalogue (TTHC), with or without diacritics', querystring: schemas.proceduresQuery, response: { 200: schemas.proceduresPage, ...errors } } },
    async (req) => {
      const { asOf = localDateOf(deps.now()), ...f } = req.query;
      return { ...(await queries.listProcedures(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/procedures/:code',
    { schema: { tags, summary: 'One procedure: time, documents, fees, process steps, postal eligibility', params: schemas.procedureParams, response: { 200: schemas.procedureDetail, ...errors } } },
    async (req) => queries.getProcedure(deps.db, req.params.code, localDateOf(deps.now())),
  );
};
