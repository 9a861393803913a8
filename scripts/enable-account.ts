/**
 * Admin command: enables a disabled staff account again.
 *   npm run account:enable -- --username desk502
 * The officer logs in anew; tokens issued before the account was disabled stay refused.
 * Exit code 0 when the account is enabled (now or already), 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDb, createPool } from '../src/db/client.js';
import { enableAccount } from '../src/modules/auth/accounts.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
if (!values.username) {
  process.stderr.write('--username is required\n');
  process.exit(2);
}

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  const outcome = await enableAccount(createDb(pool), values.username);
  if (outcome === 'unknown') {
    process.stderr.write(`no account ${values.username}\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(outcome === 'enabled' ? `enabled account ${values.username}\n` : `account ${values.username} was not disabled\n`);
  }
} finally {
  await pool.end();
}
