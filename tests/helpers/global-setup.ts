import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createDb, createPool } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loadReferenceData } from '../../seeds/load-reference.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDb: string;
    redisUrl: string;
  }
}

export const TEMPLATE_ORGANISATION_UP_TO = '2024-12-31';
const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';
/** A template of another content version is dropped only when older than this (another checkout may use it). */
const STALE_TEMPLATE_AGE_MS = 6 * 3600_000;

async function pgAnswers(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
async function redisAnswers(url: string) {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/**
 * Where the tests' PostgreSQL and Redis come from, in order: DATABASE_URL / REDIS_URL when set; containers
 * (testcontainers) when a container engine answers; the services of this kind of machine on 127.0.0.1.
 * Neither → a message that says what to do.
 */
async function findServices(): Promise<{ pg: string; redis: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    const server = new URL(process.env.DATABASE_URL);
    server.pathname = '/postgres';
    return { pg: server.toString(), redis: process.env.REDIS_URL, stop: async () => undefined };
  }
  const reasons: string[] = [];
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    const [pgc, rc] = await Promise.all([
      new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start(),
      new RedisContainer('redis:7-alpine').start(),
    ]);
    const server = new URL(pgc.getConnectionUri());
    server.pathname = '/postgres';
    return {
      pg: server.toString(),
      redis: rc.getConnectionUrl(),
      stop: async () => {
        await Promise.all([pgc.stop(), rc.stop()]);
      },
    };
  } catch (err) {
    reasons.push(`testcontainers: ${(err as Error).message.split('\n')[0]}`);
  }
  if ((await pgAnswers(LOCAL_PG)) && (await redisAnswers(LOCAL_REDIS))) {
    return { pg: LOCAL_PG, redis: LOCAL_REDIS, stop: async () => undefined };
  }
  reasons.push(`no PostgreSQL and Redis answering at ${LOCAL_PG} and ${LOCAL_REDIS}`);
  throw new Error(
    `The tests need PostgreSQL and Redis. Set DATABASE_URL and REDIS_URL, or run a container engine for testcontainers.\n  ${reasons.join('\n  ')}`,
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The template's name changes whenever migrations or reference data change, so it is never stale. */
function templateName(): string {
  const h = createHash('sha256');
  const inputs = ['migrations', 'seeds', 'src/db', 'src/lib'].flatMap((d) => filesUnder(fromRoot(d)));
  for (const f of inputs.sort()) {
    h.update(f).update(readFileSync(f));
  }
  return `motcua_tpl_${h.digest('hex').slice(0, 12)}`;
}

export default async function setup(project: TestProject) {
  const services = await findServices();
  const name = templateName();
  const admin = new pg.Client({ connectionString: services.pg });
  await admin.connect();
  try {
    // One setup at a time builds the template (several CI jobs may share a server).
    await admin.query('select pg_advisory_lock(4242)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) {
      await admin.query(`create database "${name}_building"`).catch(async () => {
        await admin.query(`drop database "${name}_building" with (force)`);
        await admin.query(`create database "${name}_building"`);
      });
      const url = new URL(services.pg);
      url.pathname = `/${name}_building`;
      const pool = createPool(url.toString(), 2);
      try {
        await runMigrations(pool);
        // The template holds the 2021-2024 organisation the tests are written for; a test of a later organisation
        // version loads it into its own database (loadReferenceData with a later date).
        await loadReferenceData(createDb(pool), { organisationUpTo: TEMPLATE_ORGANISATION_UP_TO });
      } finally {
        await pool.end();
      }
      await admin.query(`alter database "${name}_building" rename to "${name}"`);
      await admin.query(`comment on database "${name}" is 'built ${Date.now()}'`);
      // Templates of earlier schema or data versions are no longer needed, once they are old enough that no other
      // checkout's run (another branch being tested on the same server) can still be cloning them.
      const stale = await admin.query<{ datname: string; note: string | null }>(
        `select datname, shobj_description(oid, 'pg_database') as note from pg_database
          where datname like 'motcua\\_tpl\\_%' and datname <> $1`,
        [name],
      );
      const builtAt = (note: string | null) => Number(/^built (\d+)$/.exec(note ?? '')?.[1] ?? 0);
      for (const { datname, note } of stale.rows) {
        if (Date.now() - builtAt(note) < STALE_TEMPLATE_AGE_MS) continue;
        await admin.query(`drop database if exists "${datname}" with (force)`);
      }
    }
    await admin.query('select pg_advisory_unlock(4242)');
  } finally {
    await admin.end();
  }
  project.provide('pgServerUrl', services.pg);
  project.provide('templateDb', name);
  project.provide('redisUrl', services.redis);
  return services.stop;
}
