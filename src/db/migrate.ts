import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { fromRoot } from '../lib/paths.js';

export const migrationsFolder = fromRoot('migrations');

/** Advisory lock key for schema migrations (any fixed bigint; "motcua" in ASCII). */
const MIGRATION_LOCK = 0x6d6f74637561n;

/**
 * Applies the committed SQL migrations under a session-level advisory lock: drizzle's migrator takes no lock
 * of its own, so two processes starting at once would otherwise both migrate. The second waits, then finds
 * nothing left to apply.
 */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
