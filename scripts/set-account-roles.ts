/**
 * Admin command: replaces a staff account's roles (a move to another unit or agency, a new duty).
 *   npm run account:roles -- --username cv502 --role specialist --scope agency:502-TP [--role … --scope …]
 * Tokens issued before carry the old roles: they are refused from now on (within ACCOUNT_STATUS_REFRESH_MS), and
 * the officer logs in again. Exit code 2 for an unknown username or bad arguments.
 */
import { parseArgs } from 'node:util';
import { setAccountRoles } from '../src/modules/auth/index.js';
import { runOnAccount } from './account-command.js';
import { rolesFromArguments, unknownScope } from './role-arguments.js';

const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string', multiple: true }, scope: { type: 'string', multiple: true } } });
const held = rolesFromArguments(values.role ?? [], values.scope ?? []);
if (typeof held === 'string') {
  process.stderr.write(`${held}\n`);
  process.exit(2);
}
await runOnAccount(values.username, async (db, username) => {
  const missing = await unknownScope(db, held);
  if (missing) return { refused: `${missing}: roles of ${username} unchanged` };
  return (await setAccountRoles(db, username, held)) === 'unknown' ? null : `roles of ${username} replaced; the account logs in again`;
});
