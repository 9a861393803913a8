import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { dossiers, notifications } from '../../db/schema/index.js';
import { authErrors } from '../../lib/http.js';
import { requireRole } from '../auth/index.js';
import { scopeCondition } from '../dossiers/index.js';

/** The messages sent (or held, or dead-lettered) to applicants, within the caller's scope. */
export const noticeRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notices'],
        summary: 'Messages sent or held for applicants and desks',
        security: [{ bearer: [] }],
        querystring: z.object({
          dossier: z.string().trim().max(60).optional(),
          status: z.enum(['pending', 'sent', 'dead']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                dossierCode: z.string(),
                kind: z.string(),
                channel: z.string(),
                recipient: z.string(),
                body: z.string(),
                urgent: z.boolean(),
                status: z.string(),
                notBefore: z.date(),
                attempts: z.number(),
                lastError: z.string().nullable(),
                sentAt: z.date().nullable(),
              }),
            ),
          }),
          ...authErrors,
        },
      },
    },
    async (req) => {
      const who = requireRole(req, ['desk_officer', 'unit_admin', 'province_admin', 'auditor']);
      const conditions: (SQL | undefined)[] = [
        scopeCondition(who, await deps.provinceLevel()),
        req.query.dossier ? eq(dossiers.code, req.query.dossier) : undefined,
        req.query.status ? eq(notifications.status, req.query.status) : undefined,
      ];
      const rows = await deps.db
        .select({ n: notifications, code: dossiers.code })
        .from(notifications)
        .innerJoin(dossiers, eq(dossiers.id, notifications.dossierId))
        .where(and(...conditions))
        .orderBy(desc(notifications.id))
        .limit(req.query.limit);
      return {
        items: rows.map(({ n, code }) => ({
          id: n.id,
          dossierCode: code,
          kind: n.kind,
          channel: n.channel,
          recipient: n.recipient,
          body: n.body,
          urgent: n.urgent,
          status: n.status,
          notBefore: n.notBefore,
          attempts: n.attempts,
          lastError: n.lastError,
          sentAt: n.sentAt,
        })),
      };
    },
  );
};
