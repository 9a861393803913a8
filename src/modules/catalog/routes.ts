import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import * as q from './queries.js';
import * as s from './schemas.js';

export const catalogRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];
  app.get('/fields', { schema: { tags, summary: 'Fields of procedures (lĩnh vực)', response: { 200: s.fieldsResponse } } }, async () => q.listFields(deps.db));
  app.get(
    '/procedures',
    { schema: { tags, summary: 'Search the procedure catalogue (TTHC), with or without diacritics', querystring: s.proceduresQuery, response: { 200: s.proceduresPage, ...errors } } },
    async (req) => {
      const { asOf = localDateOf(deps.now()), ...f } = req.query;
      return { ...(await q.listProcedures(deps.db, { asOf, ...f })), limit: f.limit, offset: f.offset };
    },
  );
  app.get(
    '/procedures/:code',
    { schema: { tags, summary: 'One procedure: time, documents, fees, process steps, postal eligibility', params: s.procedureParams, response: { 200: s.procedureDetail, ...errors } } },
    async (req) => q.getProcedure(deps.db, req.params.code, localDateOf(deps.now())),
  );
};
