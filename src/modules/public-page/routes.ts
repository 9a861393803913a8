import { readFileSync, statSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, gzipOf, sendCached, type CachedRepresentation } from '../../lib/http-cache.js';
import { fromRoot } from '../../lib/paths.js';

/** The page's files, read once at start-up (they ship with the source; the build does not copy them). */
const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
} as const;
type Asset = keyof typeof ASSETS;

/**
 * The public page: the service-quality index per unit and agency with its monthly chart, the ranking,
 * and the dossier lookup form; Vietnamese, no login, plain HTML/CSS/JS over the public API, usable on a phone.
 */
export const publicPageRoutes = () => async (app: FastifyInstance) => {
  const files = new Map<Asset, CachedRepresentation>();
  for (const name of Object.keys(ASSETS) as Asset[]) {
    const path = fromRoot('src/modules/public-page/assets', name);
    const body = readFileSync(path);
    // Five minutes fresh, then revalidated: a 304 when the file is the same (a new release changes the ETag).
    files.set(name, { body, gzip: gzipOf(body), contentType: ASSETS[name], etag: etagOf(body), lastModified: statSync(path).mtime, cacheControl: 'public, max-age=300' });
  }
  const send = (name: Asset) => async (req: FastifyRequest, reply: FastifyReply) => sendCached(req, reply.header('x-content-type-options', 'nosniff'), files.get(name)!);
  app.get('/', { schema: { hide: true } }, send('index.html'));
  app.get('/assets/app.js', { schema: { hide: true } }, send('app.js'));
  app.get('/assets/style.css', { schema: { hide: true } }, send('style.css'));
};
