import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; repository functions take `Db | Tx` so a caller decides the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

// DATE columns stay 'YYYY-MM-DD' strings: a local date is not an instant (DOMAIN.md §5).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * A pool whose connections never take the process down. A pg client emits 'error' when its connection ends
 * under it (a PostgreSQL restart: 57P01 admin shutdown, "Connection terminated unexpectedly"); the pool listens
 * only while a client is idle, so an error on a client checked out (a transaction, a COPY, the migration lock)
 * had no listener and Node threw it: `Unhandled 'error' event`, the process gone. Every client gets a
 * listener of its own when it connects; the holder still sees the error on its next query, and the pool
 * discards the broken client when it is released (pg-pool drops a client that is no longer queryable).
 */
export function createPool(url: string, max: number, onError: (err: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'motcua' });
  // An idle client's error reaches both listeners (the pool re-emits it): it is reported by the client's own.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}
