import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createPool } from '../../src/db/client.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';

/**
 * PostgreSQL going away under the processes (over seven restarts under load the worker died six times
 * and the api twice, `Unhandled 'error' event`; requests got 500 INTERNAL). The whole restart, with both processes,
 * is in the fault suite (tests/faults); these are its two causes, each on its own.
 */
const databases: { drop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

describe('PostgreSQL unavailable', () => {
  it('a connection cut while checked out from the pool does not throw: the holder gets the error, the pool a new one', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const seen: Error[] = [];
    const pool = createPool(database.url, 2, (err) => seen.push(err));
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      // What a restart does to every session (57P01, then the socket closes); without a listener on the checked-out
      // client this is an uncaught 'error' event, which ends the process (here: fails the test run).
      const admin = new pg.Client({ connectionString: inject('pgServerUrl') });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      await expect.poll(() => seen.length, { timeout: 5000 }).toBeGreaterThan(0);
      await expect(client.query('select 1')).rejects.toThrow();
      client.release();
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('a request while PostgreSQL does not answer is a 503 DATABASE_UNAVAILABLE with Retry-After, not a 500', async () => {
    // A port nothing listens on: every connection is refused, as during a restart.
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/motcua`;
    const config = loadConfig({ DATABASE_URL: url, REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'silent', REDIS_KEY_PREFIX: 'test-dbdown' });
    const deps = await buildDeps(config, { logger: createLogger('silent') });
    const app = await buildApp(deps);
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/api/v1/procedures?limit=1' });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'someone', password: 'a-long-test-password' } });
      expect(login.statusCode, login.body).toBe(503);
    } finally {
      await app.close();
      await closeDeps(deps);
    }
  });
});
