import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { errorSchema, errors } from '../../lib/http.js';
import { dossierCodeParams } from '../dossiers/index.js';
import { publicLookup } from '../dossiers/index.js';
import { lookupDossier } from './lookup-dossier.js';
import { rateDossier } from './rate-dossier.js';
import { guardFailures, rateLimit } from '../../lib/rate-limit.js';

/** Citizen-facing endpoints: no login; rate-limited per client address. */
export const publicRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  const limited = { ...errors, 429: errorSchema, 503: errorSchema };

  app.get(
    '/public/dossiers/:code',
    {
      schema: {
        tags,
        summary: 'Citizen lookup: status and appointment, with the last 4 digits of the phone',
        params: dossierCodeParams,
        querystring: z.object({ phone: z.string().regex(/^\d{4}$/, 'must be the last 4 digits of the phone number') }),
        response: { 200: publicLookup, ...limited },
      },
    },
    async (req) => {
      await rateLimit(deps.redis, `lookup:${req.ip}`, 30, 60, Date.now());
      // 10⁴ possible phone endings: a code is locked for an hour after 5 wrong ones, from any address.
      return guardFailures(deps.redis, `lookup:${req.params.code}`, 5, 3600, () =>
        lookupDossier(deps, req.params.code, req.query.phone),
      );
    },
  );
  app.post(
    '/public/dossiers/:code/rating',
    {
      schema: {
        tags,
        summary: "Citizen's satisfaction rating, with the token on the receipt",
        params: dossierCodeParams,
        body: z.object({
          token: z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'must be the 16-character token printed on the receipt'),
          score: z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']),
          comment: z.string().trim().max(1000).optional(),
        }),
        response: { 201: z.object({ code: z.string(), score: z.string() }), ...limited, 409: errorSchema },
      },
    },
    async (req, reply) => {
      await rateLimit(deps.redis, `rating:${req.ip}`, 10, 60, Date.now());
      return reply.code(201).send(await rateDossier(deps, req.params.code, req.body));
    },
  );
};
