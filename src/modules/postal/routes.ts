import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors, errorSchema } from '../../lib/http.js';
import { requireRole, requireProvinceRole } from '../auth/index.js';
import { dossierCodeParams } from '../dossiers/index.js';
import { intakeResponse } from '../dossiers/index.js';
import { openResultFile, resultFilesOf, sendFile } from '../documents/index.js';
import { precheck } from './precheck.js';
import * as queries from './queries.js';
import { registerPartner } from './register-partner.js';
import { updatePartner } from './update-partner.js';
import { replayWebhook } from './replay-webhook.js';
import { reportShipmentStatus } from './report-shipment-status.js';
import { rotateKey } from './rotate-key.js';
import * as schemas from './schemas.js';
import { submitPostalDossier } from './submit-postal-dossier.js';
import { verifyPartnerRequest, type PartnerPrincipal } from './verify-signature.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody: Buffer | null;
    partner: PartnerPrincipal | null;
  }
}

const tags = ['postal'];
const signed = [{ partnerSignature: [] }];
const partnerErrors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };

/**
 * Routes the postal partner calls, authenticated by the request signature alone (no JWT). Encapsulated: JSON
 * bodies are read raw here (the signature covers the exact bytes), then parsed, so zod validation still runs;
 * the signature is checked before validation, so an unsigned request is a 401 whatever its body.
 */
export const postalPartnerRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  root.decorateRequest('rawBody', null);
  root.decorateRequest('partner', null);
  root.removeContentTypeParser('application/json');
  root.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  root.addHook('preValidation', async (req) => {
    req.partner = await verifyPartnerRequest(deps, { method: req.method, url: req.url, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) });
  });
  const app = root.withTypeProvider<ZodTypeProvider>();
  const partnerOf = (req: { partner: PartnerPrincipal | null }) => {
    if (!req.partner) throw new DomainError('SIGNATURE_INVALID', 'Signed request required');
    return req.partner;
  };

  app.post(
    '/postal/precheck',
    {
      schema: {
        tags,
        security: signed,
        summary: 'Pre-check a postal intake before submitting',
        description:
          'For a procedure, a desk and the documents at hand: whether the desk takes this procedure by post (level, postal eligibility, the operator\'s coverage of the desk and field), which required documents are missing (names compared without case or diacritics) and the full document list. Records nothing.',
        headers: schemas.signedHeaders,
        body: schemas.precheckBody,
        response: { 200: schemas.precheckView, ...partnerErrors },
      },
    },
    async (req) => {
      partnerOf(req);
      return precheck(deps, req.body);
    },
  );

  app.post(
    '/postal/dossiers',
    {
      schema: {
        tags,
        security: signed,
        summary: 'Submit a dossier received by post',
        description:
          'The desk\'s own intake with channel `postal`: 201 `received` with the dossier code and the receipt (Mẫu 01); 200 `not_received` with the missing documents (Mẫu 02); 200 `refused` (Mẫu 03) where the desk does not take the procedure by post or the postal operator does not cover that desk and field. The postal clerk and post office are recorded. With an `Idempotency-Key` header the same key and body return the first answer (header `idempotent-replayed: true`); the same key with another body is a 422.',
        headers: schemas.signedHeaders.extend({ 'idempotency-key': z.string().trim().min(8).max(100).optional() }),
        body: schemas.postalIntakeBody,
        response: { 200: intakeResponse, 201: intakeResponse, ...partnerErrors, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const partner = partnerOf(req);
      const header = req.headers['idempotency-key'];
      const r = await submitPostalDossier(deps, partner, req.body, typeof header === 'string' ? `postal:${partner.code}:${header}` : null);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(r.statusCode).send(r.response as never);
    },
  );

  app.get(
    '/postal/dossiers/:code',
    {
      schema: {
        tags,
        security: signed,
        summary: 'A dossier this partner submitted',
        description: 'Status, appointment and the submission (clerk, post office). A dossier the partner did not submit answers 404.',
        headers: schemas.signedHeaders,
        params: dossierCodeParams,
        response: { 200: schemas.partnerDossierView, ...partnerErrors },
      },
    },
    async (req) => queries.submittedDossier(deps, partnerOf(req), req.params.code),
  );

  app.get(
    '/postal/dossiers/:code/result-files',
    {
      schema: {
        tags,
        security: signed,
        summary: 'The result files of a dossier this partner submitted or ships',
        description: 'To print and deliver the result, or hand it over electronically. Another dossier answers 404.',
        headers: schemas.signedHeaders,
        params: dossierCodeParams,
        response: {
          200: z.object({ files: z.array(z.object({ fileId: z.number().int(), mediaType: z.string(), size: z.number().int(), pageCount: z.number().int().nullable(), addedAt: z.date() })) }),
          ...partnerErrors,
        },
      },
    },
    async (req) => {
      const d = await queries.carriedDossier(deps, partnerOf(req), req.params.code);
      return { files: await resultFilesOf(deps, d.id) };
    },
  );

  app.get(
    '/postal/dossiers/:code/result-files/:fileId',
    {
      schema: {
        tags,
        security: signed,
        summary: 'Download a result file of a dossier this partner submitted or ships',
        description: 'The bytes as stored; each read is audited. Another dossier, or a file that is not its result, answers 404.',
        headers: schemas.signedHeaders,
        params: dossierCodeParams.extend({ fileId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        response: partnerErrors,
      },
    },
    async (req, reply) => {
      const partner = partnerOf(req);
      const d = await queries.carriedDossier(deps, partner, req.params.code);
      const actor = { kind: 'partner', partnerId: partner.id, partnerCode: partner.code } as const;
      return sendFile(reply, await openResultFile(contextOf(deps, actor, req.id), { dossierId: d.id, dossierCode: d.code, fileId: req.params.fileId }));
    },
  );

  app.get(
    '/postal/shipments',
    {
      schema: {
        tags,
        security: signed,
        summary: "This partner's shipments of results",
        description: 'Oldest first; page with `after` = the previous page\'s `nextAfter`.',
        headers: schemas.signedHeaders,
        querystring: schemas.listShipmentsQuery,
        response: { 200: z.object({ items: z.array(schemas.shipmentView), nextAfter: z.number().nullable() }), ...partnerErrors },
      },
    },
    async (req) => queries.listShipments(deps, partnerOf(req), req.query),
  );

  app.get(
    '/postal/shipments/:id',
    {
      schema: {
        tags,
        security: signed,
        summary: 'One shipment with its status reports',
        description: "Another partner's shipment answers 404.",
        headers: schemas.signedHeaders,
        params: schemas.shipmentIdParams,
        response: { 200: schemas.shipmentView, ...partnerErrors },
      },
    },
    async (req) => queries.shipmentOf(deps, partnerOf(req), req.params.id),
  );

  app.post(
    '/postal/shipments/:id/events',
    {
      schema: {
        tags,
        security: signed,
        summary: 'Report a shipment status',
        description:
          'picked_up, in_transit, delivered, failed (with `reason`) or returned, with the partner\'s own `eventId` and when it happened. Idempotent on `eventId` (the same report again: `duplicate: true`; the same id with other content: 409). The status only moves forward (requested < picked_up < in_transit < delivered | failed | returned; the last three are final), so reports may arrive late or twice: they are kept with `applied: false`. `delivered` records the result as returned to the applicant by post.',
        headers: schemas.signedHeaders,
        params: schemas.shipmentIdParams,
        body: schemas.statusReportBody,
        response: { 200: schemas.statusReportResult, ...partnerErrors, 409: errorSchema },
      },
    },
    async (req) => reportShipmentStatus(deps, partnerOf(req), req.params.id, req.body),
  );
};

/** Partner administration and the quality report: staff with a bearer token. */
export const postalAdminRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const admin = async (req: Parameters<typeof requireProvinceRole>[0]) => requireProvinceRole(req, 'province_admin', await deps.provinceLevel());

  app.post(
    '/postal/partners',
    {
      schema: {
        tags,
        security,
        summary: 'Register a postal partner (province administrator)',
        description: 'Returns the partner and its first API key; the key secret is shown this once.',
        body: schemas.createPartnerBody,
        response: { 201: z.object({ partner: schemas.partnerView.omit({ keys: true }), key: schemas.issuedKey }), ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const who = await admin(req);
      const { partner, key } = await registerPartner(contextOf(deps, who, req.id), req.body);
      return reply.code(201).send({
        partner: { code: partner.code, name: partner.name, webhookUrl: partner.webhookUrl, deliversResults: partner.deliversResults, createdAt: partner.createdAt, disabledAt: partner.disabledAt },
        key,
      });
    },
  );
  app.get(
    '/postal/partners',
    {
      schema: {
        tags,
        security,
        summary: 'Postal partners and their keys (province administrator)',
        description: 'Key ids and validity only; secrets are never shown again.',
        response: { 200: z.object({ items: z.array(schemas.partnerView) }), ...authErrors },
      },
    },
    async (req) => {
      await admin(req);
      return queries.listPartners(deps);
    },
  );
  app.patch(
    '/postal/partners/:code',
    {
      schema: {
        tags,
        security,
        summary: "Change a partner's name, webhook URL or result delivery, or disable it (province administrator)",
        description:
          'Disabled: its keys are refused at once, it is no longer chosen to carry results, and webhooks to it fail and are retried, then dead-lettered (replay them after enabling it again). A new webhook URL applies to the next attempt of pending webhooks.',
        params: schemas.partnerCodeParams,
        body: schemas.updatePartnerBody,
        response: { 200: schemas.partnerView, ...authErrors },
      },
    },
    async (req) => {
      const who = await admin(req);
      return updatePartner(contextOf(deps, who, req.id), { ...req.body, code: req.params.code });
    },
  );
  app.post(
    '/postal/partners/:code/keys',
    {
      schema: {
        tags,
        security,
        summary: "Rotate a partner's API key (province administrator)",
        description:
          'Issues a new key (secret shown once) and ends the keys still valid after `overlapSeconds` (default 24 h, POSTAL_KEY_OVERLAP_SECONDS); 0 ends them at once.',
        params: schemas.partnerCodeParams,
        body: schemas.rotateBody,
        response: { 201: z.object({ key: schemas.issuedKey, previousKeys: z.array(z.object({ id: z.string(), expiresAt: z.date() })) }), ...authErrors },
      },
    },
    async (req, reply) => {
      await admin(req);
      return reply.code(201).send(await rotateKey(deps, req.params.code, req.body.overlapSeconds));
    },
  );
  app.get(
    '/postal/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Outbound webhooks to partners (province administrator)',
        description: '`status=dead` is the dead-letter list: webhooks whose every attempt failed.',
        querystring: schemas.webhookListQuery,
        response: { 200: z.object({ items: z.array(schemas.webhookView) }), ...authErrors },
      },
    },
    async (req) => {
      await admin(req);
      return queries.listWebhooks(deps, req.query);
    },
  );
  app.get(
    '/postal/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One webhook with its delivery log (province administrator)',
        params: schemas.webhookIdParams,
        response: { 200: schemas.webhookDetail, ...authErrors },
      },
    },
    async (req) => {
      await admin(req);
      return queries.webhookDetail(deps, req.params.id);
    },
  );
  app.post(
    '/postal/webhooks/:id/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Send a dead webhook again (province administrator)',
        description: 'A new round of attempts with backoff; a webhook that is not dead answers 409.',
        params: schemas.webhookIdParams,
        response: { 202: schemas.webhookView.pick({ id: true, status: true, replays: true }), ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => {
      await admin(req);
      const row = await replayWebhook(deps, req.params.id);
      return reply.code(202).send({ id: row.id, status: row.status, replays: row.replays });
    },
  );
  app.get(
    '/reports/postal-quality',
    {
      schema: {
        tags,
        security,
        summary: 'Quality of postal intake against desk intake',
        description:
          'Per desk, field and period (month, quarter or year; local dates, `to` inclusive): dossiers received, with a supplement request, withdrawn, stopped (cancelled = withdrawn + stopped, which includes refusal after intake), their rates of dossiers received, and intakes that did not become dossiers (not received, refused), for postal and desk intake. Within the caller\'s units.',
        querystring: schemas.qualityQuery,
        response: { 200: schemas.qualityView, ...authErrors },
      },
    },
    async (req) => queries.postalQuality(deps, requireRole(req, ['unit_admin', 'province_admin', 'auditor']), req.query),
  );
};
