import { eq, gt, inArray, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffAccounts, staffRoles } from '../../db/schema/auth.js';
import type { Principal } from './tokens.js';

interface AccountStatus {
  username: string;
  disabled: boolean;
  tokenVersion: number;
  /** The roles it holds, as rolesKey gives them. */
  roles: string;
}

/** Roles as one comparable text, whatever their order. */
const rolesKey = (roles: readonly { role: string; scopeKind: string; scopeCode: string }[]) =>
  roles
    .map((r) => `${r.role}@${r.scopeKind}:${r.scopeCode}`)
    .sort()
    .join(',');

/**
 * Whether a verified token still stands for an account: the account exists under the token's id and username, is
 * not disabled, its token version is the one the token was issued under and it holds the roles the token claims
 * (changing roles raises the version, so a genuine token always claims its account's roles). A signature alone
 * proves only that the token was made with JWT_SECRET; a token naming an account that does not exist, or roles
 * its account does not hold, is refused.
 *
 * An access token carries its holder's roles and lives JWT_TTL_SECONDS (an hour by default); without this a
 * disabled officer's token would keep opening dossiers until it expired. The accounts ever changed (disabled,
 * enabled again, roles or password changed: their token version raised) are read again when the list is older
 * than `refreshMs`, so every process refuses such a token within that time (login refuses a disabled account at
 * once). An account seen for the first time, or a token of a newer version than the one known here (issued by
 * another process after a change), is read from the database at once: one query per account and process.
 */
export class AccountStatuses {
  private statuses = new Map<number, AccountStatus>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;
  private readonly fetching = new Map<number, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly refreshMs: number,
  ) {}

  /** Whether a verified token must be refused: no such account, disabled, or issued under another version. */
  async refuses(principal: Pick<Principal, 'sub' | 'username' | 'ver' | 'roles'>): Promise<boolean> {
    if (performance.now() - this.readAt >= this.refreshMs) await this.read();
    const version = principal.ver ?? 0;
    let status = this.statuses.get(principal.sub);
    if (!status || version > status.tokenVersion) {
      await this.fetch(principal.sub);
      status = this.statuses.get(principal.sub);
    }
    return (
      !status ||
      status.disabled ||
      status.username !== principal.username ||
      version !== status.tokenVersion ||
      status.roles !== rolesKey(principal.roles)
    );
  }

  /** An account changed in this process (a password change): read the list again before the next answer. */
  changed() {
    this.readAt = Number.NEGATIVE_INFINITY;
  }

  /** One read at a time; requests that find the list stale meanwhile wait for that read. */
  private read(): Promise<void> {
    this.reading ??= (async () => {
      const startedAt = performance.now();
      const rows = await this.db
        .select({ id: staffAccounts.id, username: staffAccounts.username, disabledAt: staffAccounts.disabledAt, tokenVersion: staffAccounts.tokenVersion })
        .from(staffAccounts)
        .where(or(isNotNull(staffAccounts.disabledAt), gt(staffAccounts.tokenVersion, 0)));
      // Accounts read one by one stay known (an account is never deleted; the changed ones are replaced here).
      const held = await this.rolesOf(rows.map((r) => r.id));
      const next = new Map(this.statuses);
      for (const r of rows) next.set(r.id, { username: r.username, disabled: r.disabledAt !== null, tokenVersion: r.tokenVersion, roles: held.get(r.id) ?? '' });
      this.statuses = next;
      this.readAt = startedAt;
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** One account as it is now (absent: not known, and its tokens refused). Concurrent requests share the query. */
  private fetch(id: number): Promise<void> {
    let pending = this.fetching.get(id);
    if (!pending) {
      pending = (async () => {
        const [r] = await this.db
          .select({ username: staffAccounts.username, disabledAt: staffAccounts.disabledAt, tokenVersion: staffAccounts.tokenVersion })
          .from(staffAccounts)
          .where(eq(staffAccounts.id, id));
        const held = r ? await this.rolesOf([id]) : null;
        if (r) this.statuses.set(id, { username: r.username, disabled: r.disabledAt !== null, tokenVersion: r.tokenVersion, roles: held?.get(id) ?? '' });
        else this.statuses.delete(id);
      })().finally(() => this.fetching.delete(id));
      this.fetching.set(id, pending);
    }
    return pending;
  }

  private async rolesOf(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .select({ accountId: staffRoles.accountId, role: staffRoles.role, scopeKind: staffRoles.scopeKind, scopeCode: staffRoles.scopeCode })
      .from(staffRoles)
      .where(inArray(staffRoles.accountId, ids));
    const byAccount = new Map<number, typeof rows>();
    for (const r of rows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
    return new Map([...byAccount].map(([id, rs]) => [id, rolesKey(rs)]));
  }
}
