import { and, eq, gt, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { staffAccounts, staffRoles, type Role } from '../../db/schema/auth.js';
import { hashPassword } from './password.js';

export interface NewAccount {
  username: string;
  fullName: string;
  password: string;
  roles: { role: Role; scopeKind: 'unit' | 'agency'; scopeCode: string }[];
}

/** Creates a staff account with its roles, in one transaction. Used by the admin command and tests. */
export async function createAccount(db: DbOrTx, account: NewAccount) {
  const passwordHash = await hashPassword(account.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staffAccounts)
      .values({ username: account.username, fullName: account.fullName, passwordHash })
      .returning({ id: staffAccounts.id });
    if (!row) throw new Error('account insert returned nothing');
    if (account.roles.length) await tx.insert(staffRoles).values(account.roles.map((r) => ({ ...r, accountId: row.id })));
    return row.id;
  });
}

/** The account and the roles it holds on a local date (a role ended by a restructuring is no longer held). */
export async function findAccountWithRoles(db: DbOrTx, username: string, day: string) {
  const [account] = await db.select().from(staffAccounts).where(eq(staffAccounts.username, username));
  if (!account) return null;
  const held = await db
    .select({ role: staffRoles.role, scopeKind: staffRoles.scopeKind, scopeCode: staffRoles.scopeCode })
    .from(staffRoles)
    .where(and(eq(staffRoles.accountId, account.id), or(isNull(staffRoles.endsOn), gt(staffRoles.endsOn, day))));
  return { account, roles: held };
}

/** Tokens already issued to the account stop working (AccountStatuses), whatever else changes with it. */
const endIssuedTokens = { tokenVersion: sql`${staffAccounts.tokenVersion} + 1` };

/**
 * Disables a staff account (an officer who left or moved): login refuses it at once, its unexpired tokens within
 * ACCOUNT_STATUS_REFRESH_MS. The account and its roles stay, for the audit trail's names.
 */
export async function disableAccount(db: DbOrTx, username: string, at: Date): Promise<'disabled' | 'already_disabled' | 'unknown'> {
  const [row] = await db
    .update(staffAccounts)
    .set({ disabledAt: at, ...endIssuedTokens })
    .where(and(eq(staffAccounts.username, username), isNull(staffAccounts.disabledAt)))
    .returning({ id: staffAccounts.id });
  if (row) return 'disabled';
  return (await accountExists(db, username)) ? 'already_disabled' : 'unknown';
}

/** Enables a disabled account again: it logs in anew; tokens issued before it was disabled stay refused. */
export async function enableAccount(db: DbOrTx, username: string): Promise<'enabled' | 'not_disabled' | 'unknown'> {
  const [row] = await db
    .update(staffAccounts)
    .set({ disabledAt: null, ...endIssuedTokens })
    .where(and(eq(staffAccounts.username, username), isNotNull(staffAccounts.disabledAt)))
    .returning({ id: staffAccounts.id });
  if (row) return 'enabled';
  return (await accountExists(db, username)) ? 'not_disabled' : 'unknown';
}

/**
 * Replaces an account's roles (a move to another unit or agency, a new duty), in one transaction. A token carries
 * the roles it was issued with, so the account's tokens are refused from now on: the officer logs in again.
 */
export async function setAccountRoles(db: DbOrTx, username: string, roles: NewAccount['roles']): Promise<'changed' | 'unknown'> {
  return db.transaction(async (tx) => {
    const [account] = await tx.update(staffAccounts).set(endIssuedTokens).where(eq(staffAccounts.username, username)).returning({ id: staffAccounts.id });
    if (!account) return 'unknown';
    await tx.delete(staffRoles).where(eq(staffRoles.accountId, account.id));
    if (roles.length) await tx.insert(staffRoles).values(roles.map((r) => ({ ...r, accountId: account.id })));
    return 'changed';
  });
}

/**
 * Sets an account's password (the officer's own change, or an administrator's reset). Every token issued before
 * is refused from now on, on every process (a password changed because it leaked must end the sessions opened
 * with it); the caller gives the officer a new one where it is theirs.
 */
export async function setPassword(db: DbOrTx, username: string, password: string): Promise<{ tokenVersion: number } | 'unknown'> {
  const passwordHash = await hashPassword(password);
  const [row] = await db
    .update(staffAccounts)
    .set({ passwordHash, ...endIssuedTokens })
    .where(eq(staffAccounts.username, username))
    .returning({ tokenVersion: staffAccounts.tokenVersion });
  return row ?? 'unknown';
}

async function accountExists(db: DbOrTx, username: string) {
  const [existing] = await db.select({ id: staffAccounts.id }).from(staffAccounts).where(eq(staffAccounts.username, username));
  return existing !== undefined;
}
