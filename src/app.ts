import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from './deps.js';
import { DomainError } from './lib/errors.js';
import { redactPaths } from './lib/logger.js';
import { unavailableService } from './lib/unavailable.js';
import { nulAt } from './lib/nul-guard.js';
import { registerAuth } from './modules/auth/index.js';
import { authRoutes } from './modules/auth/index.js';
import { calendarRoutes } from './modules/calendar/index.js';
import { catalogRoutes } from './modules/catalog/index.js';
import { healthRoutes } from './modules/health/index.js';
import { delegationRoutes } from './modules/delegation/index.js';
import { locationIndependentRoutes } from './modules/location-independent/index.js';
import { dossierRoutes } from './modules/dossiers/index.js';
import { documentRoutes } from './modules/documents/index.js';
import { orgRoutes } from './modules/org/index.js';
import { publicRoutes } from './modules/public/index.js';
import { noticeRoutes } from './modules/notices/index.js';
import { slaRoutes } from './modules/sla/index.js';
import { qualityRoutes } from './modules/quality/index.js';
import { publicPageRoutes } from './modules/public-page/index.js';
import { opsRoutes } from './modules/ops/index.js';
import { postalAdminRoutes, postalPartnerRoutes } from './modules/postal/index.js';
import { restructuringRoutes } from './modules/restructuring/index.js';

// The app as built here (zod type provider, pino logger); routes register on it as plain plugins.
export type App = Awaited<ReturnType<typeof createFastify>>;

const errorBody = (code: string, message: string, requestId: string, details?: unknown) => ({
  error: { code, message, requestId, ...(details === undefined ? {} : { details }) },
});

/** Seconds a client is asked to wait before retrying a 503 (a PostgreSQL restart takes a few). */
const RETRY_AFTER_SECONDS = 2;

/** The postal partner's signing scheme, as the OpenAPI document gives it (README "Postal partner"). */
const PARTNER_SIGNING = [
  'Postal partner routes (tag `postal`, other than partner administration and the report) take no token: every request is signed.',
  'Headers: `X-Partner-Key: <key id>`, `X-Timestamp: <unix seconds or ISO 8601 instant>`, `X-Signature: <hex>` where',
  'X-Signature = hex(HMAC-SHA256(secret, METHOD + "\\n" + path-with-query + "\\n" + X-Timestamp + "\\n" + sha256hex(raw body))),',
  'e.g. `POST\\n/api/v1/postal/precheck\\n1764300000\\n<sha256 of the JSON bytes sent>` (empty body: sha256 of the empty string).',
  'A timestamp more than 5 minutes from the server time is refused (401 SIGNATURE_EXPIRED), a signature already used is refused',
  '(401 REPLAYED: two identical requests signed in the same second with unix seconds share a signature, so sign such requests with',
  'an ISO 8601 timestamp to the millisecond, e.g. 2026-11-28T01:02:03.456Z), an unknown or expired key or a wrong signature is 401',
  'SIGNATURE_INVALID. After a key rotation the old key works',
  'for the overlap period (default 24 h). Webhooks we send (shipment_requested, result_ready, dossier_cancelled) are signed the same way',
  'with the partner\'s newest key, over the path of the partner\'s webhook URL, and carry an Idempotency-Key header; a 2xx answer',
  'acknowledges, anything else is retried with exponential backoff. A webhook body is `{ id, kind, occurredAt, data }` (`id` equals the',
  'Idempotency-Key): shipment_requested `data: { shipmentId, dossierCode, deskCode, recipient: { name, phone, address } }`; result_ready',
  '`data: { dossierCode, resultReference, resultDelivery, shipmentId }`; dossier_cancelled `data: { dossierCode, status, reason }`.',
].join(' ');

const createFastify = (deps: Deps) =>
  Fastify({
    loggerInstance: deps.logger.child({}, { redact: redactPaths }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // A body larger than this is a client error, not a reason to run out of memory.
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    trustProxy: deps.config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();

/**
 * The HTTP app. `surface: 'ops'` is what a worker-only process serves: health, /metrics and the queue dashboard,
 * so that its job metrics can be scraped too.
 */
export async function buildApp(deps: Deps, options: { surface?: 'all' | 'ops' } = {}): Promise<App> {
  const app = createFastify(deps);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A field a body schema does not know is a 400 naming it, not dropped in silence: a misspelt optional field
  // (`toAgency` for `toAgencyCode`) would otherwise be accepted and change nothing. Added before the OpenAPI
  // plugin, so the document says `additionalProperties: false` too. Nested objects are as their schemas say.
  // Query strings likewise: `?page=2` or `?offset=` on a keyset-paginated list would otherwise return page one.
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body;
    if (body instanceof z.ZodObject) route.schema!.body = body.strict();
    const query = route.schema?.querystring;
    if (query instanceof z.ZodObject) route.schema!.querystring = query.strict();
    // An API route that takes no query parameters refuses any (a 400 naming it) rather than ignoring it.
    else if (query === undefined && route.schema && route.url.startsWith('/api/')) route.schema.querystring = z.object({}).strict();
  });
  // A NUL character in any text is a 400 naming the field, for every route at once (src/lib/nul-guard.ts), before
  // a route's own checks: PostgreSQL cannot store it, and no field has a use for it.
  app.addHook('preValidation', async (req, reply) => {
    const where = nulAt(req.params, 'params') ?? nulAt(req.query, 'querystring') ?? nulAt(req.body, 'body');
    if (!where) return;
    const message = 'must not contain a NUL character (\\u0000)';
    return reply.code(400).send(errorBody('VALIDATION_FAILED', `${where}: ${message}`, req.id, [{ parameter: where, message }]));
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Latency by route pattern (not by URL: codes in paths would make a series per dossier).
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { parameter: path ? `${where}.${path}` : where, message: v.message ?? 'invalid' };
      });
      const message = issues.map((i) => `${i.parameter}: ${i.message}`).join('; ');
      return reply.code(400).send(errorBody('VALIDATION_FAILED', message, req.id, issues));
    }
    if (err instanceof DomainError) {
      // A 503 says when to come back: the dependency missing (Redis for a lookup's guess count) is usually back
      // within seconds.
      if (err.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.code(err.status).send(errorBody(err.code, err.message, req.id, err.details));
    }
    // PostgreSQL restarting (or Redis not answering): 503 with a retry hint, not 500. What the request
    // was writing is rolled back with its connection; an intake not answered 201 was not acknowledged.
    const unavailable = unavailableService(err);
    if (unavailable) {
      req.log.warn({ err: (err as Error).message, dependency: unavailable }, 'dependency unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return unavailable === 'database'
        ? reply.code(503).send(errorBody('DATABASE_UNAVAILABLE', 'The database is unavailable (restarting?); retry shortly', req.id))
        : reply.code(503).send(errorBody('SERVICE_UNAVAILABLE', 'A service this request needs is unavailable; retry shortly', req.id));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response does not match its schema');
      return reply.code(500).send(errorBody('INTERNAL', 'Internal error', req.id));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        // curl -d sends application/x-www-form-urlencoded unless told otherwise: say what to send.
        const sent = req.headers['content-type'] ?? 'none';
        return reply.code(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', `Send the body as JSON with content-type: application/json (got ${sent})`, req.id));
      }
      return reply.code(err.statusCode).send(errorBody('BAD_REQUEST', err.message, req.id));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL', 'Internal error', req.id));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`, req.id)),
  );

  registerAuth(app as unknown as FastifyInstance, deps);
  if (options.surface === 'ops') {
    await app.register(healthRoutes(deps));
    await app.register(opsRoutes(deps));
    return app;
  }

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'motcua',
        version: '0.1.0',
        description:
          'One-stop desk (Bộ phận Một cửa) backend for administrative-procedure dossiers. Errors: { error: { code, message, requestId } }.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          partnerSignature: { type: 'apiKey', in: 'header', name: 'X-Partner-Key', description: PARTNER_SIGNING },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps), { prefix: '/api/v1' });
  await app.register(orgRoutes(deps), { prefix: '/api/v1' });
  await app.register(catalogRoutes(deps), { prefix: '/api/v1' });
  await app.register(calendarRoutes(deps), { prefix: '/api/v1' });
  await app.register(dossierRoutes(deps), { prefix: '/api/v1' });
  await app.register(documentRoutes(deps), { prefix: '/api/v1' });
  await app.register(publicRoutes(deps), { prefix: '/api/v1' });
  await app.register(delegationRoutes(deps), { prefix: '/api/v1' });
  await app.register(locationIndependentRoutes(deps), { prefix: '/api/v1' });
  await app.register(restructuringRoutes(deps), { prefix: '/api/v1' });
  await app.register(slaRoutes(deps), { prefix: '/api/v1' });
  await app.register(noticeRoutes(deps), { prefix: '/api/v1' });
  await app.register(qualityRoutes(deps), { prefix: '/api/v1' });
  // The public page (no login): the index, the ranking and the dossier lookup, in Vietnamese.
  await app.register(publicPageRoutes());
  await app.register(opsRoutes(deps));
  await app.register(postalAdminRoutes(deps), { prefix: '/api/v1' });
  await app.register(postalPartnerRoutes(deps), { prefix: '/api/v1' });
  return app;
}
