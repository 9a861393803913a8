/**
 * Admin command: disables a staff account (an officer who left or moved).
 *   npm run account:disable -- --username desk502
 * Login is refused at once; tokens already issued stop working within ACCOUNT_STATUS_REFRESH_MS on every process.
 * Exit code 0 when the account is disabled (now or before), 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { disableAccount } from '../src/modules/auth/index.js';
import { runOnAccount } from './account-command.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
await runOnAccount(values.username, async (db, username) => {
  const outcome = await disableAccount(db, username, new Date());
  if (outcome === 'unknown') return null;
  return outcome === 'disabled' ? `disabled account ${username}` : `account ${username} was already disabled`;
});
