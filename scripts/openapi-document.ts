import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { buildDeps, closeDeps } from '../src/deps.js';
import { createLogger } from '../src/lib/logger.js';

/**
 * The OpenAPI document as the routes declare it, rendered without touching a database (the pool connects
 * lazily and nothing queries it).
 */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
  const deps = await buildDeps(config, { logger: createLogger('silent') });
  const app = await buildApp(deps);
  await app.ready();
  const doc = JSON.stringify(app.swagger(), null, 2) + '\n';
  await app.close();
  await closeDeps(deps);
  return doc;
}
