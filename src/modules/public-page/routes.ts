import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
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
  const files = new Map<Asset, string>();
  for (const name of Object.keys(ASSETS) as Asset[]) files.set(name, readFileSync(fromRoot('src/modules/public-page/assets', name), 'utf8'));
  const send = (name: Asset) => async (_req: unknown, reply: FastifyReply) =>
    reply.type(ASSETS[name]).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(files.get(name));
  app.get('/', { schema: { hide: true } }, send('index.html'));
  app.get('/assets/app.js', { schema: { hide: true } }, send('app.js'));
  app.get('/assets/style.css', { schema: { hide: true } }, send('style.css'));
};
