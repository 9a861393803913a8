import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffAccounts } from '../../db/schema/auth.js';
import { BoundedMap } from '../../lib/bounded-map.js';

/**
 * Staff members' full names by username, for the forms a citizen is handed ("Người tiếp nhận", "Cán bộ", "Người
 * ký") and the control slip, which name the officer, not an account. Kept per process: a name rarely
 * changes, and an intake must not wait for it. An account that is not found (a system actor) keeps its username.
 */
export class StaffNames {
  private readonly names = new BoundedMap<string, string>(5000);

  constructor(private readonly db: Db) {}

  async of(username: string): Promise<string> {
    return (await this.ofAll([username])).get(username) ?? username;
  }

  async ofAll(usernames: readonly string[]): Promise<Map<string, string>> {
    const missing = [...new Set(usernames)].filter((u) => u && !this.names.has(u));
    if (missing.length) {
      const rows = await this.db.select({ username: staffAccounts.username, fullName: staffAccounts.fullName }).from(staffAccounts).where(inArray(staffAccounts.username, missing));
      for (const r of rows) this.names.set(r.username, r.fullName);
    }
    return new Map(usernames.map((u) => [u, this.names.get(u) ?? u]));
  }
}
