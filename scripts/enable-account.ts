/**
 * Admin command: enables a disabled staff account again.
 *   npm run account:enable -- --username desk502
 * The officer logs in anew; tokens issued before the account was disabled stay refused.
 * Exit code 0 when the account is enabled (now or already), 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { enableAccount } from '../src/modules/auth/index.js';
import { runOnAccount } from './account-command.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
await runOnAccount(values.username, async (db, username) => {
  const outcome = await enableAccount(db, username);
  if (outcome === 'unknown') return null;
  return outcome === 'enabled' ? `enabled account ${username}` : `account ${username} was not disabled`;
});
