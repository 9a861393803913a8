import { loadConfig } from '../src/config.js';
import { createDb, createPool } from '../src/db/client.js';
import type { Db } from '../src/db/client.js';

/**
 * Runs one admin act on one staff account by username: `act` returns what to print, `{ refused }` when the act was
 * refused, or null when there is no such account (exit code 2 for both, as for bad arguments).
 */
export async function runOnAccount(username: string | undefined, act: (db: Db, username: string) => Promise<string | { refused: string } | null>) {
  if (!username) {
    process.stderr.write('--username is required\n');
    process.exit(2);
  }
  const pool = createPool(loadConfig().DATABASE_URL, 1);
  try {
    const message = await act(createDb(pool), username);
    if (message === null) {
      process.stderr.write(`no account ${username}\n`);
      process.exitCode = 2;
    } else if (typeof message === 'object') {
      process.stderr.write(`${message.refused}\n`);
      process.exitCode = 2;
    } else {
      process.stdout.write(`${message}\n`);
    }
  } finally {
    await pool.end();
  }
}
