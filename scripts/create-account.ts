/**
 * Admin command: creates a staff account.
 *   npm run account:create -- --username admin --name "Nguyễn Văn A" --role province_admin --scope unit:48
 * The password is read from MOTCUA_PASSWORD, or from standard input (never from the command line, where the
 * shell history would keep it). --role/--scope may repeat in pairs.
 */
import { parseArgs } from 'node:util';
import { readPassword } from './read-password.js';
import { rolesFromArguments, unknownScope, type HeldRole } from './role-arguments.js';
import { createDb, createPool } from '../src/db/client.js';
import { loadConfig } from '../src/config.js';
import { createAccount } from '../src/modules/auth/index.js';

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', multiple: true },
    scope: { type: 'string', multiple: true },
  },
});
const fail = (msg: string) => {
  process.stderr.write(`${msg}\n`);
  process.exit(2);
};
if (!values.username || !values.name) fail('--username and --name are required');
const held = rolesFromArguments(values.role ?? [], values.scope ?? []);
if (typeof held === 'string') fail(held);
const password = await readPassword();
if (typeof password !== 'string') fail(password.refused);

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  const db = createDb(pool);
  const missing = await unknownScope(db, held as HeldRole[]);
  if (missing) fail(missing);
  const id = await createAccount(db, { username: values.username!, fullName: values.name!, password: password as string, roles: held as HeldRole[] }).catch(
    (err: { code?: string; cause?: { code?: string } }) => {
      // 23505: unique violation (the username is taken).
      if (err.code === '23505' || err.cause?.code === '23505') fail(`an account ${values.username} exists already`);
      throw err;
    },
  );
  process.stdout.write(`created account ${values.username} (id ${id})\n`);
} finally {
  await pool.end();
}
