import { isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffAccounts } from '../../db/schema/auth.js';

/**
 * The accounts that are disabled, as this process last read them. An access token carries its holder's roles and
 * lives JWT_TTL_SECONDS (an hour by default): without this list a disabled officer's token would keep opening
 * dossiers until it expired. The list is read again when it is older than `refreshMs`, so a disabled account is
 * refused by every process within that time (login refuses it at once).
 */
export class DisabledAccounts {
  private ids = new Set<number>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly refreshMs: number,
  ) {}

  async includes(accountId: number): Promise<boolean> {
    if (performance.now() - this.readAt >= this.refreshMs) await this.read();
    return this.ids.has(accountId);
  }

  /** One read at a time; requests that find the list stale meanwhile wait for that read. */
  private read(): Promise<void> {
    this.reading ??= (async () => {
      const startedAt = performance.now();
      const rows = await this.db.select({ id: staffAccounts.id }).from(staffAccounts).where(isNotNull(staffAccounts.disabledAt));
      this.ids = new Set(rows.map((r) => r.id));
      this.readAt = startedAt;
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }
}
