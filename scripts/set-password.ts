/**
 * Admin command: sets a staff account's password (a forgotten one, or one that leaked).
 *   echo 'a-new-long-password' | npm run account:password -- --username desk502
 * The password is read from MOTCUA_PASSWORD, or from standard input. Tokens already issued stop working within
 * ACCOUNT_STATUS_REFRESH_MS on every process. Exit code 2 for an unknown username or bad arguments. An officer
 * changes their own with POST /api/v1/auth/password.
 */
import { parseArgs } from 'node:util';
import { setPassword } from '../src/modules/auth/index.js';
import { runOnAccount } from './account-command.js';
import { readPassword } from './read-password.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
const password = await readPassword();
if (typeof password !== 'string') {
  process.stderr.write(`${password.refused}\n`);
  process.exit(2);
}
await runOnAccount(values.username, async (db, username) => {
  const outcome = await setPassword(db, username, password);
  return outcome === 'unknown' ? null : `password of ${username} set; its tokens issued before are refused`;
});
