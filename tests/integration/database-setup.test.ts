import { sql } from 'drizzle-orm';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, createPool } from '../../src/db/client.js';
import { ensureDatabase } from '../../src/db/ensure-database.js';
import { runMigrations } from '../../src/db/migrate.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { buildCatalogue } from '../../seeds/catalog/index.js';

/** These tests start from an EMPTY database (not the template), as a first start on a new machine does. */
const created: string[] = [];
async function emptyDatabaseUrl(): Promise<string> {
  const url = new URL(inject('pgServerUrl'));
  url.pathname = `/motcua_empty_${Math.random().toString(36).slice(2, 10)}`;
  created.push(url.pathname.slice(1));
  return url.toString();
}
afterAll(async () => {
  const admin = new pg.Client({ connectionString: inject('pgServerUrl') });
  await admin.connect();
  for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

const count = async (pool: pg.Pool, table: string) => Number((await pool.query(`select count(*) from ${table}`)).rows[0].count);

/** The organisation the template holds (2021-2024): no later version. */
const BASE = { organisationUpTo: '2024-12-31' };

describe('database preparation', () => {
  it('creates a missing database once, even when asked twice at the same time', async () => {
    const url = await emptyDatabaseUrl();
    const results = await Promise.all([ensureDatabase(url), ensureDatabase(url)]);
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await ensureDatabase(url)).toBe(false);
  });

  it('migrates once when two processes start at the same time (advisory lock)', async () => {
    const url = await emptyDatabaseUrl();
    await ensureDatabase(url);
    const a = createPool(url, 2);
    const b = createPool(url, 2);
    try {
      await Promise.all([runMigrations(a), runMigrations(b)]);
      const journal = JSON.parse(readFileSync(fromRoot('migrations/meta/_journal.json'), 'utf8')) as {
        entries: { idx: number; when: number; tag: string }[];
      };
      const applied = await a.query('select hash, created_at from drizzle.__drizzle_migrations order by id');
      expect(applied.rowCount).toBe(journal.entries.length);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('keeps the migration journal ordered (drizzle compares timestamps, not names)', () => {
    const journal = JSON.parse(readFileSync(fromRoot('migrations/meta/_journal.json'), 'utf8')) as {
      entries: { idx: number; when: number }[];
    };
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      if (i > 0) expect(e.when).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it('loads the reference data once; a second load changes nothing', async () => {
    const url = await emptyDatabaseUrl();
    await ensureDatabase(url);
    const pool = createPool(url, 2);
    try {
      await runMigrations(pool);
      const first = await loadReferenceData(createDb(pool), BASE);
      expect(first.loaded).toBe(true);
      const snapshot = async () =>
        (
          await pool.query(`select
             (select count(*) from units) u, (select count(*) from desks) d, (select count(*) from agencies) a,
             (select count(*) from procedures) p, (select count(*) from procedure_steps) s,
             (select count(*) from calendar_days) c, (select max(xmin::text::bigint) from procedures) px,
             (select loaded_at from reference_data_loads) l`)
        ).rows[0];
      const before = await snapshot();
      expect(Number(before.u)).toBe(260);
      expect(Number(before.d)).toBe(260);
      expect(Number(before.p)).toBe(1817);
      const second = await loadReferenceData(createDb(pool), BASE);
      expect(second.loaded).toBe(false);
      expect(await snapshot()).toEqual(before);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('loads every organisation version in force by the date given (start-up: today); a restart changes nothing', async () => {
    const url = await emptyDatabaseUrl();
    await ensureDatabase(url);
    const pool = createPool(url, 2);
    try {
      await runMigrations(pool);
      const today = { organisationUpTo: '2026-12-01' };
      const first = await loadReferenceData(createDb(pool), today);
      expect(first).toMatchObject({ loaded: true, summary: { organisationVersions: 2 } });
      const validOn = async (table: string, day: string) =>
        Number((await pool.query(`select count(*) n from ${table} where valid_from <= $1 and (valid_to is null or valid_to > $1)`, [day])).rows[0].n);
      const snapshot = async () =>
        (await pool.query(`select (select count(*) from units) u, (select count(*) from desks) d, (select count(*) from agencies) a,
           (select count(*) from unit_predecessors) p, (select max(xmin::text::bigint) from units) ux,
           (select max(xmin::text::bigint) from agencies) ax, (select loaded_at from reference_data_loads) l`)).rows[0];
      const before = await snapshot();
      for (const [day, n] of [['2024-06-01', 260], ['2025-01-01', 251], ['2025-06-30', 251], ['2025-07-01', 95], ['2026-12-01', 95]] as const) {
        expect(await validOn('units', day), day).toBe(n);
        expect(await validOn('desks', day), day).toBe(n);
      }
      // The catalogue opens with the organisation of 2025-07-01: 1,817 generated until then, 2,430 after (seeds/README.md).
      for (const [day, n] of [['2025-06-30', 1817], ['2025-07-01', 2430], ['2026-12-01', 2430]] as const) {
        expect(await validOn('procedures', day), day).toBe(n);
      }
      expect((await loadReferenceData(createDb(pool), today)).loaded).toBe(false);
      expect(await snapshot()).toEqual(before);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('leaves no half-loaded data when the load fails part way', async () => {
    const url = await emptyDatabaseUrl();
    await ensureDatabase(url);
    const pool = createPool(url, 2);
    try {
      await runMigrations(pool);
      // Make the load fail after units, desks, agencies and the calendar are written: a procedure insert fails.
      const last = buildCatalogue().procedures.at(-1)!.code;
      await pool.query(`create function fail_load() returns trigger language plpgsql as $$
        begin if new.code = '${last}' then raise exception 'simulated failure'; end if; return new; end $$`);
      await pool.query('create trigger fail_load before insert on procedures for each row execute function fail_load()');
      const failure = await loadReferenceData(createDb(pool), BASE).then(
        () => null,
        (err: Error & { cause?: Error }) => err,
      );
      expect(failure?.cause?.message ?? failure?.message).toMatch(/simulated failure/);
      for (const table of ['units', 'desks', 'agencies', 'calendar_days', 'procedures', 'reference_data_loads']) {
        expect(await count(pool, table), table).toBe(0);
      }
      await pool.query('drop trigger fail_load on procedures');
      expect((await loadReferenceData(createDb(pool), BASE)).loaded).toBe(true);
      expect(await count(pool, 'procedures')).toBe(1817);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('the schema is what the committed migrations make (no drift from drizzle)', async () => {
    // A cheap drift check: every table of the schema exists after migrating.
    const url = await emptyDatabaseUrl();
    await ensureDatabase(url);
    const pool = createPool(url, 1);
    try {
      await runMigrations(pool);
      const db = createDb(pool);
      const tables = await db.execute<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public'`);
      const names = tables.rows.map((r) => r.tablename);
      for (const t of ['units', 'desks', 'agencies', 'procedures', 'procedure_steps', 'calendar_days', 'outbox', 'staff_accounts']) {
        expect(names).toContain(t);
      }
    } finally {
      await pool.end();
    }
  });
});
