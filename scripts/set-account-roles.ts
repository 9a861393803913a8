/**
 * Admin command: replaces a staff account's roles (a move to another unit or agency, a new duty).
 *   npm run account:roles -- --username cv502 --role specialist --scope agency:502-TP [--role … --scope …]
 * Tokens issued before carry the old roles: they are refused from now on (within ACCOUNT_STATUS_REFRESH_MS), and
 * the officer logs in again. Exit code 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDb, createPool } from '../src/db/client.js';
import { setAccountRoles } from '../src/modules/auth/accounts.js';
import { rolesFromArguments } from './role-arguments.js';

const fail = (msg: string): never => {
  process.stderr.write(`${msg}\n`);
  process.exit(2);
};
const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string', multiple: true }, scope: { type: 'string', multiple: true } } });
const username = values.username ?? fail('--username is required');
const held = rolesFromArguments(values.role ?? [], values.scope ?? []);
if (typeof held === 'string') fail(held);

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  if ((await setAccountRoles(createDb(pool), username, held as Exclude<typeof held, string>)) === 'unknown') {
    process.stderr.write(`no account ${username}\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(`roles of ${username} replaced; the account logs in again\n`);
  }
} finally {
  await pool.end();
}
