import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { authErrors, codeParam, errorSchema, errors } from '../../lib/http.js';
import { localDateOf } from '../../lib/local-date.js';
import { requirePrincipal } from '../auth/index.js';
import { publishList } from './publish-list.js';
import * as queries from './queries.js';
import * as schemas from './schemas.js';

export const locationIndependentRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['location-independent'];
  const today = () => localDateOf(deps.now());

  app.get(
    '/location-independent-lists',
    {
      schema: {
        tags,
        summary: 'The versions of the city\'s list of procedures received anywhere in the city (Nghị định 118/2025)',
        response: { 200: z.object({ items: z.array(schemas.listSummary) }), ...errors },
      },
    },
    async () => queries.listVersions(deps),
  );
  app.get(
    '/location-independent-lists/in-force',
    { schema: { tags, summary: 'The version in force on a day (default today)', querystring: schemas.onQuery, response: { 200: schemas.listDetail, ...errors } } },
    async (req) => queries.listOn(deps, req.query.on ?? today()),
  );
  app.get(
    '/location-independent-lists/:id',
    { schema: { tags, summary: 'One version of the list', params: schemas.idParams, response: { 200: schemas.listDetail, ...errors } } },
    async (req) => queries.listView(deps, req.params.id),
  );
  app.post(
    '/location-independent-lists',
    {
      schema: {
        tags,
        summary: 'Publish a new version of the list, in force from a day (the city\'s province administrator)',
        description:
          'In force from validFrom (today or later) until a later version; never rewritten. Every procedure named must be in the catalogue (400 naming the unknown ones, nothing written); a version for a day that has one is 409.',
        security: [{ bearer: [] }],
        body: schemas.publishListBody,
        response: { 201: schemas.listDetail, ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await publishList(contextOf(deps, requirePrincipal(req), req.id), req.body)),
  );
  app.get(
    '/procedures/:code/location-independent',
    {
      schema: {
        tags,
        summary: 'Whether a procedure is received anywhere in the city on a day, and by which version of the list',
        params: z.object({ code: codeParam }),
        querystring: schemas.onQuery,
        response: { 200: schemas.procedureOnView, ...errors },
      },
    },
    async (req) => queries.procedureOn(deps, req.params.code, req.query.on ?? today()),
  );
};
