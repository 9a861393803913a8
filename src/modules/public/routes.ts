import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { errorSchema, errors } from '../../lib/http.js';
import { dossierCodeParams } from '../dossiers/index.js';
import { publicLookup } from '../dossiers/index.js';
import { lookupDossier, phoneCheckedDossier } from './lookup-dossier.js';
import { contextOf } from '../../context.js';
import { openResultLink, resultLinksOf, sendFile } from '../documents/index.js';
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
  app.get(
    '/public/dossiers/:code/result-files',
    {
      schema: {
        tags,
        summary: 'Citizen: links to download a result delivered electronically, with the last 4 digits of the phone',
        description:
          'Once the dossier is processed or returned and its result is delivered electronically: one link per result file, each working until `expiresAt` (FILE_LINK_TTL_SECONDS); an expired link is refused (410), look the dossier up again for a new one. Same phone check and limits as the lookup.',
        params: dossierCodeParams,
        querystring: z.object({ phone: z.string().regex(/^\d{4}$/, 'must be the last 4 digits of the phone number') }),
        response: {
          200: z.object({
            code: z.string(),
            files: z.array(z.object({ fileId: z.number().int(), mediaType: z.string(), size: z.number().int(), pageCount: z.number().int().nullable(), url: z.string(), expiresAt: z.date() })),
          }),
          ...limited,
        },
      },
    },
    async (req) => {
      await rateLimit(deps.redis, `lookup:${req.ip}`, 30, 60, Date.now());
      const d = await guardFailures(deps.redis, `lookup:${req.params.code}`, 5, 3600, () => phoneCheckedDossier(deps, req.params.code, req.query.phone));
      return { code: d.code, files: await resultLinksOf(contextOf(deps, { kind: 'citizen' }, req.id), d, '/api/v1/public/result-files') };
    },
  );
  app.get(
    '/public/result-files/:token',
    {
      schema: {
        tags,
        summary: 'Citizen: download a result file through a link from the lookup',
        description:
          "The link is signed and short-lived: expired → 410 LINK_EXPIRED; altered or unknown → 404. The applicant's download is the result's return: a dossier still processed becomes returned (method electronic), once.",
        params: z.object({ token: z.string().min(10).max(100).regex(/^[\w-]+\.[\w-]+$/, 'must be a link from the lookup') }),
        response: { ...limited, 410: errorSchema },
      },
    },
    async (req, reply) => {
      await rateLimit(deps.redis, `result-file:${req.ip}`, 30, 60, Date.now());
      return sendFile(reply, await openResultLink(contextOf(deps, { kind: 'citizen' }, req.id), req.params.token), 'attachment');
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
