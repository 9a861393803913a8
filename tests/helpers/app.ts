import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps, type Deps } from '../../src/deps.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { createAccount } from '../../src/modules/auth/index.js';
import type { Role } from '../../src/db/schema/auth.js';
import { createTestDatabase } from './database.js';

export interface TestContext {
  app: App;
  deps: Deps;
  close: () => Promise<void>;
}

/** The real app on a fresh database of its own (reference data loaded), real Redis; HTTP through inject(). */
export async function startTestApp(options: { now?: () => Date; env?: Record<string, string>; logger?: Logger } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  // Keys of this file's app alone: rate limits and locks do not carry over between files or runs.
  const REDIS_KEY_PREFIX = `test-${randomBytes(4).toString('hex')}`;
  // Files of this file's app alone, removed with it.
  const FILE_DATA_DIR = await mkdtemp(join(tmpdir(), 'motcua-files-'));
  const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'silent', REDIS_KEY_PREFIX, FILE_DATA_DIR, ...options.env });
  const deps = await buildDeps(config, { logger: options.logger ?? createLogger('silent'), ...(options.now ? { now: options.now } : {}) });
  await deps.calendar.refresh();
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    close: async () => {
      await app.close();
      await closeDeps(deps);
      await database.drop();
      await rm(FILE_DATA_DIR, { recursive: true, force: true });
    },
  };
}

let accountSeq = 0;
/** Creates a staff account holding one role over one scope and returns a bearer header for it. */
export async function loginAs(
  ctx: TestContext,
  role: Role,
  scope: { kind: 'unit' | 'agency'; code: string } = { kind: 'unit', code: '49' },
): Promise<{ authorization: string; username: string }> {
  const username = `${role}-${scope.code}-${++accountSeq}`;
  const password = 'a-long-test-password';
  await createAccount(ctx.deps.db, {
    username,
    fullName: `Cán bộ ${username}`,
    password,
    roles: [{ role, scopeKind: scope.kind, scopeCode: scope.code }],
  });
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return { authorization: `Bearer ${res.json().accessToken as string}`, username };
}
