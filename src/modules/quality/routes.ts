import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { authErrors, errorSchema, errors } from '../../lib/http.js';
import { requirePrincipal, requireProvinceRole } from '../auth/index.js';
import { sendCached } from '../../lib/http-cache.js';
import { localDateOf } from '../../lib/local-date.js';
import { computeAll, formedWithin, formulaOfPeriod, isClosed, predecessorScore, scoreOf } from './compute-index.js';
import { monthsOf, parsePeriod } from './period.js';
import { ReadCache } from './read-cache.js';
import { ScoreStore } from './scores.js';
import { rebuildCounters } from './count-events.js';
import { createFormula, listFormulas } from './formulas.js';
import { indicatorItems } from './items.js';
import { publishedScores, publishIndex } from './publish-index.js';
import { reportCsv, reportTable } from './report-table.js';
import * as schemas from './schemas.js';
import type { Across } from '../restructuring/index.js';

/**
 * The service-quality index (QĐ 766/QĐ-TTg; DOMAIN.md §9) and the report's table (§10). Scores, rankings and the
 * table are public, as the province publishes them; the dossiers behind a number are for staff.
 */
export const qualityRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['quality-index'];
  const security = [{ bearer: [] }];
  const provinceAdmin = async (req: Parameters<typeof requireProvinceRole>[0]) => requireProvinceRole(req, 'province_admin', await deps.provinceLevel());
  const store = new ScoreStore(deps);
  const cache = new ReadCache(deps);
  root.addHook('onReady', () => cache.start());
  root.addHook('onClose', () => cache.stop());

  /**
   * How long clients and proxies may keep a public read (RFC 9111 §5.2.2.1). A closed period changes only by a
   * backdated intake, at most INTAKE_BACKDATE_MAX_HOURS after its end (or a counter rebuild): within that window
   * a minute, after it a day. An open period changes within seconds of the events: 2 s.
   */
  const describe = (from: string, to: string, contentType = 'application/json; charset=utf-8') => {
    const now = deps.now();
    const closed = to < localDateOf(now);
    const endedMs = now.getTime() - (Date.parse(`${to}T00:00:00+07:00`) + 86_400_000);
    const maxAge = !closed ? 2 : endedMs > deps.config.INTAKE_BACKDATE_MAX_HOURS * 3_600_000 ? 86_400 : 60;
    return { from, to, closed, contentType, cacheControl: `public, max-age=${maxAge}` };
  };
  /** The bytes fastify would send for `data` under `schema`, and the same without `computedAt` (the weak ETag's). */
  const json = <T extends z.ZodType>(schema: T, data: z.input<T>, lastModified: Date) => {
    const encoded = z.encode(schema, data as z.output<T>) as Record<string, unknown>;
    return { body: JSON.stringify(encoded), fingerprint: JSON.stringify({ ...encoded, computedAt: undefined }), lastModified };
  };
  // Every unit and agency of an open period scored once per refresh, for the index of each, the rankings and the
  // series alike (one pass over the counters rather than one per key).
  const openAll = (label: string, version?: string) => cache.shared(`all|${label}|${version ?? ''}`, () => computeAll(deps, label, version));
  // A closed answer already sent for this very URL is sent again before the query is parsed and validated: it
  // passed both, and nothing but its months' changes (which drop it) can make it differ.
  root.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET') return;
    const kept = cache.byRequestUrl(req.url);
    if (kept) return sendCached(req, reply, { ...kept, cacheControl: describe(kept.from, kept.to).cacheControl });
  });

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
    async (req, reply) => {
      const q = req.query;
      const period = parsePeriod(q.period);
      const scope = schemas.scopeOf(q);
      const answer = await cache.get(
        `index?${JSON.stringify(q)}`,
        describe(period.from, period.to),
        async () => {
          if (isClosed(deps, period)) {
            const r = await store.index(scope, period, await formulaOfPeriod(deps, period, q.version));
            return json(schemas.indexView, r, new Date(r.computedAt));
          }
          const { value: all, madeAt } = await openAll(q.period, q.version);
          const computedAt = deps.now();
          return { ...json(schemas.indexView, scoreOf(all, scope, computedAt), computedAt), madeAt };
        },
        req.url,
      );
      return sendCached(req, reply, answer);
    },
  );
  app.get(
    '/quality-index/ranking',
    { schema: { tags, summary: 'Units or agencies ranked by index', description: 'Units or agencies ranked by their index total for a period.', querystring: schemas.rankingQuery, response: { 200: schemas.rankingView, ...errors } } },
    async (req, reply) => {
      const q = req.query;
      const period = parsePeriod(q.period);
      const answer = await cache.get(`ranking?${JSON.stringify(q)}`, describe(period.from, period.to), async () => {
        let madeAt: number | undefined;
        let ranked: { list: { rank: number; code: string; name: string; level: string; total: number; scoredMaximum: number; band: string | null; received: number; flagged: Across['flagged'] }[]; formulaVersion: string; computedAt: Date };
        if (isClosed(deps, period)) {
          const formula = await formulaOfPeriod(deps, period, q.version);
          const stored = await store.ranking(period, formula, q.kind);
          ranked = { list: stored.items, formulaVersion: formula.version, computedAt: stored.computedAt };
        } else {
          const shared = await openAll(q.period, q.version);
          madeAt = shared.madeAt;
          ranked = { list: q.kind === 'unit' ? shared.value.units : shared.value.agencies, formulaVersion: shared.value.formulaVersion, computedAt: deps.now() };
        }
        const items = ranked.list
          .filter((x) => !q.level || x.level === q.level)
          .map((x, i) => ({ rank: q.level ? i + 1 : x.rank, code: x.code, name: x.name, level: x.level, total: x.total, scoredMaximum: x.scoredMaximum, band: x.band, received: x.received, flagged: x.flagged }));
        return { ...json(schemas.rankingView, { period, formulaVersion: ranked.formulaVersion, kind: q.kind, items, computedAt: ranked.computedAt.toISOString() }, ranked.computedAt), madeAt };
      }, req.url);
      return sendCached(req, reply, answer);
    },
  );
  app.get(
    '/quality-index/series',
    { schema: { tags, summary: 'The index month by month', description: 'The total month by month over a period, for charts. For a unit that a restructuring inside the period formed (the city and its communes in 2025), the months before it are its predecessors\' figures together (`predecessors: true`), as the period\'s own index gathers them.', querystring: schemas.scopeQuery, response: { 200: schemas.seriesView, ...errors } } },
    async (req, reply) => {
      const q = req.query;
      const period = parsePeriod(q.period);
      const scope = schemas.scopeOf(q);
      const answer = await cache.get(`series?${JSON.stringify(q)}`, describe(period.from, period.to), async () => {
        // Closed months from the stored scores (each under the formula in force at its end), the others live. The
        // months before a restructuring inside the period formed the unit are its predecessors' (DOMAIN.md §2b), as
        // the period's own index gathers them: computed here, the unit had no score of its own then.
        const formed = scope.kind === 'unit' ? await formedWithin(deps, scope.code, period) : null;
        const months = await Promise.all(monthsOf(period).map(async (label) => {
          const m = parsePeriod(label);
          return { period: m, closed: isClosed(deps, m), formula: await formulaOfPeriod(deps, m, q.version), before: formed !== null && m.to < formed.formedOn };
        }));
        const stored = await store.points(scope, months.filter((m) => m.closed && !m.before));
        const earlier = new Map<string, { total: number; scoredMaximum: number; received: number; resolved: number }>();
        for (const m of months.filter((x) => x.before)) {
          const r = await predecessorScore(deps, formed!, m.period, m.formula);
          earlier.set(m.period.label, { total: r.score.total, scoredMaximum: r.score.scoredMaximum, received: r.facts.received, resolved: r.facts.resolved });
        }
        const live = new Map<string, { total: number; scoredMaximum: number; received: number; resolved: number }>();
        const open = months.filter((m) => !m.closed);
        let madeAt: number | undefined;
        for (const m of open) {
          const shared = await openAll(m.period.label, q.version);
          const r = scoreOf(shared.value, scope, deps.now());
          madeAt = Math.min(madeAt ?? Infinity, shared.madeAt);
          live.set(m.period.label, { total: r.score.total, scoredMaximum: r.score.scoredMaximum, received: r.facts.received, resolved: r.facts.resolved });
        }
        const points = months
          .map((m) => ({ period: m.period.label, ...(live.get(m.period.label) ?? earlier.get(m.period.label) ?? stored.find((x) => x.period === m.period.label)!) }))
          .map((p) => ({ period: p.period, total: p.total, scoredMaximum: p.scoredMaximum, received: p.received, resolved: p.resolved, predecessors: earlier.has(p.period) }));
        const computedAt = open.length || earlier.size ? deps.now() : new Date(Math.max(0, ...stored.map((x) => x.computedAt.getTime())));
        return { ...json(schemas.seriesView, { scope, period: q.period, points, computedAt: computedAt.toISOString() }, computedAt), madeAt };
      }, req.url);
      return sendCached(req, reply, answer);
    },
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
    async (req, reply) => reply.code(201).send(await createFormula(deps, req.body, await provinceAdmin(req))),
  );
  app.post(
    '/quality-index/publications',
    { schema: { tags, summary: "Publish a finished period's scores (province administrator)", security, description: 'Publishes the scores of every unit and agency for a finished period (province administrator).', body: schemas.publishBody, response: { 201: schemas.publishView, ...authErrors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await publishIndex(deps, req.body, await provinceAdmin(req))),
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
      await provinceAdmin(req);
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
      const q = req.query;
      const csv = q.format === 'csv' || /^text\/csv/.test(req.headers.accept ?? '');
      const type = csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
      const answer = await cache.get(`report?${JSON.stringify(q)}&csv=${csv}`, { ...describe(q.from, q.to, type), vary: 'accept' }, async () => {
        const table = await reportTable(deps, q);
        // A CSV body is text, not the JSON the response schema describes: fastify sends strings as they are.
        return { body: csv ? reportCsv(table) : JSON.stringify(z.encode(schemas.reportView, table)), lastModified: deps.now() };
      });
      if (csv) reply.header('content-disposition', `attachment; filename="bao-cao-ho-so-${q.from}-${q.to}-${q.groupBy}.csv"`);
      return sendCached(req, reply, answer);
    },
  );
};
