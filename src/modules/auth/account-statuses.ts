import { gt, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffAccounts } from '../../db/schema/auth.js';
import type { Principal } from './tokens.js';

interface AccountStatus {
  disabled: boolean;
  tokenVersion: number;
}

/**
 * Which accounts' tokens must be refused, as this process last read them: disabled accounts, and accounts whose
 * token version was raised (enabled again, roles changed) so that tokens issued before are refused. An access token
 * carries its holder's roles and lives JWT_TTL_SECONDS (an hour by default); without this a disabled officer's token
 * would keep opening dossiers until it expired. The list is read again when it is older than `refreshMs`, so every
 * process refuses such a token within that time (login refuses a disabled account at once). Only accounts that
 * were ever changed are read: a small list.
 */
export class AccountStatuses {
  private statuses = new Map<number, AccountStatus>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly refreshMs: number,
  ) {}

  /** Whether a verified token must still be refused: its account disabled, or re-issued under a newer version. */
  async refuses(principal: Pick<Principal, 'sub' | 'ver'>): Promise<boolean> {
    if (performance.now() - this.readAt >= this.refreshMs) await this.read();
    const status = this.statuses.get(principal.sub);
    return status !== undefined && (status.disabled || (principal.ver ?? 0) < status.tokenVersion);
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
        .select({ id: staffAccounts.id, disabledAt: staffAccounts.disabledAt, tokenVersion: staffAccounts.tokenVersion })
        .from(staffAccounts)
        .where(or(isNotNull(staffAccounts.disabledAt), gt(staffAccounts.tokenVersion, 0)));
      this.statuses = new Map(rows.map((r) => [r.id, { disabled: r.disabledAt !== null, tokenVersion: r.tokenVersion }]));
      this.readAt = startedAt;
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }
}
