import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { authErrors, errorSchema, errors } from '../../lib/http.js';
import { requirePrincipal, requireRoleOver } from '../auth/index.js';
import { computeAll, computeIndex, indexSeries } from './compute-index.js';
import { rebuildCounters } from './count-events.js';
import { createFormula, listFormulas } from './formulas.js';
import { indicatorItems } from './items.js';
import { publishedScores, publishIndex } from './publish-index.js';
import { reportCsv, reportTable } from './report-table.js';
import * as schemas from './schemas.js';

/**
 * The service-quality index (QĐ 766/QĐ-TTg; DOMAIN.md §9) and the report's table (§10). Scores, rankings and the
 * table are public, as the province publishes them; the dossiers behind a number are for staff.
 */
export const qualityRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['quality-index'];
  const security = [{ bearer: [] }];
  const provinceAdmin = { kind: 'unit' as const, code: deps.config.PROVINCE_CODE };

  app.get(
    '/quality-index',
    {
      schema: {
        tags,
        summary: 'Service-quality index (QĐ 766) of a unit or agency for a period',
        description:
          'The index of one unit (GSO code; a district includes its communes) or agency for a period (2023, 2023-Q2, 2023-05): five groups, each indicator with numerator, denominator, rate, target, points and maximum; the total out of 100 and the formula version. A zero denominator is "no data"; data motcua does not hold is "untracked".',
        querystring: schemas.scopeQuery,
        response: { 200: schemas.indexView, ...errors },
      },
    },
    async (req) => computeIndex(deps, schemas.scopeOf(req.query), req.query.period, req.query.version),
  );
  app.get(
    '/quality-index/ranking',
    { schema: { tags, summary: 'Units or agencies ranked by index', description: 'Units or agencies ranked by their index total for a period.', querystring: schemas.rankingQuery, response: { 200: schemas.rankingView, ...errors } } },
    async (req) => {
      const all = await computeAll(deps, req.query.period, req.query.version);
      const list = req.query.kind === 'unit' ? all.units : all.agencies;
      const items = list
        .filter((x) => !req.query.level || x.level === req.query.level)
        .map((x, i) => ({ rank: req.query.level ? i + 1 : x.rank, code: x.code, name: x.name, level: x.level, total: x.total, scoredMaximum: x.scoredMaximum, band: x.band, received: x.received }));
      return { period: all.period, formulaVersion: all.formulaVersion, kind: req.query.kind, items };
    },
  );
  app.get(
    '/quality-index/series',
    { schema: { tags, summary: 'The index month by month', description: 'The total month by month over a period, for charts.', querystring: schemas.scopeQuery, response: { 200: schemas.seriesView, ...errors } } },
    async (req) => indexSeries(deps, schemas.scopeOf(req.query), req.query.period, req.query.version),
  );
  app.get(
    '/quality-index/:indicator/items',
    {
      schema: {
        tags,
        summary: 'The dossiers behind an indicator',
        security,
        description: "The dossiers or procedures behind an indicator's denominator, each marked whether it counts in the numerator (staff only). Dossiers are listed within the caller's scope as in GET /dossiers (their units and agencies; a province administrator or auditor over the province sees all): another unit's dossiers are left out.",
        params: z.object({ indicator: z.string().regex(/^\d+\.[\dx]+$/, 'must be an indicator id such as 2.1') }),
        querystring: schemas.itemsQuery,
        response: { 200: schemas.itemsView, ...authErrors },
      },
    },
    async (req) => {
      return indicatorItems(deps, requirePrincipal(req), req.params.indicator, schemas.scopeOf(req.query), req.query.period, { cursor: req.query.cursor, limit: req.query.limit, version: req.query.version });
    },
  );
  app.get('/quality-index/formulas', { schema: { tags, summary: 'Index formula versions', response: { 200: z.object({ items: z.array(schemas.formulaView) }) } } }, async () => ({ items: await listFormulas(deps) }));
  app.post(
    '/quality-index/formulas',
    { schema: { tags, summary: 'Add an index formula version (province administrator)', security, description: 'A new formula version (province administrator); versions are never changed.', body: schemas.formulaBody, response: { 201: schemas.formulaView, ...authErrors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createFormula(deps, req.body, requireRoleOver(req, 'province_admin', provinceAdmin))),
  );
  app.post(
    '/quality-index/publications',
    { schema: { tags, summary: "Publish a finished period's scores (province administrator)", security, description: 'Publishes the scores of every unit and agency for a finished period (province administrator).', body: schemas.publishBody, response: { 201: schemas.publishView, ...authErrors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await publishIndex(deps, req.body, requireRoleOver(req, 'province_admin', provinceAdmin))),
  );
  app.get(
    '/quality-index/publications',
    { schema: { tags, summary: 'Published scores of a period', description: 'Published scores of a period, as published.', querystring: schemas.publishedQuery, response: { 200: schemas.publishedView, ...errors } } },
    async (req) => publishedScores(deps, req.query.period, req.query.unit ? { kind: 'unit', code: req.query.unit } : req.query.agency ? { kind: 'agency', code: req.query.agency } : undefined),
  );
  app.post(
    '/quality-index/counters/rebuild',
    {
      schema: {
        tags,
        summary: 'Rebuild the index counters from the dossier events (province administrator)',
        security,
        description: 'Recomputes the counters from the dossier events (province administrator).',
        response: { 200: z.object({ events: z.number(), rows: z.number(), ms: z.number() }), ...authErrors },
      },
    },
    async (req) => {
      requireRoleOver(req, 'province_admin', provinceAdmin);
      return rebuildCounters(deps);
    },
  );
  app.get(
    '/reports/dossiers',
    {
      schema: {
        tags: ['reports'],
        summary: "The report's table: dossiers by year, unit, level and field (JSON or CSV)",
        description:
          "The report's table: received (online), resolved, resolved on time and late rate for a period, grouped by year, unit, level or field; within one unit (with its communes) if given. format=csv (or Accept: text/csv) gives CSV.",
        querystring: schemas.reportQuery,
        response: { 200: schemas.reportView, ...errors },
      },
    },
    async (req, reply) => {
      const table = await reportTable(deps, req.query);
      const csv = req.query.format === 'csv' || /^text\/csv/.test(req.headers.accept ?? '');
      if (!csv) return table;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bao-cao-ho-so-${req.query.from}-${req.query.to}-${req.query.groupBy}.csv"`)
        // A CSV body is text, not the JSON the response schema describes: fastify sends strings as they are.
        .send(reportCsv(table) as never);
    },
  );
};
