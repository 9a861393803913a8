import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; repository functions take `Db | Tx` so a caller decides the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

// DATE columns stay 'YYYY-MM-DD' strings: a local date is not an instant (DOMAIN.md §5).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function createPool(url: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: url, max, application_name: 'motcua' });
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}
