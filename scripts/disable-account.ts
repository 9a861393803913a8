/**
 * Admin command: disables a staff account (an officer who left or moved).
 *   npm run account:disable -- --username desk502
 * Login is refused at once; tokens already issued stop working within ACCOUNT_STATUS_REFRESH_MS on every process.
 * Exit code 0 when the account is disabled (now or before), 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDb, createPool } from '../src/db/client.js';
import { disableAccount } from '../src/modules/auth/accounts.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
if (!values.username) {
  process.stderr.write('--username is required\n');
  process.exit(2);
}

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  const outcome = await disableAccount(createDb(pool), values.username, new Date());
  if (outcome === 'unknown') {
    process.stderr.write(`no account ${values.username}\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(outcome === 'disabled' ? `disabled account ${values.username}\n` : `account ${values.username} was already disabled\n`);
  }
} finally {
  await pool.end();
}
