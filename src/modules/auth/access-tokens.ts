import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { BoundedMap } from '../../lib/bounded-map.js';
import { AccountStatuses } from './account-statuses.js';
import { verifyToken, type Principal } from './tokens.js';

/**
 * Bearer token → the staff member it stands for, or null: signature, expiry, and an existing account of that id and
 * username, not disabled, holding the roles claimed under the token's version (AccountStatuses).
 * Used by the API's authentication hook and by the queue dashboard's cookie.
 */
export class AccessTokens {
  // Token → its verified claims. The key is the whole token, signature included, so a hit is a token this process
  // verified under the same secret; expiry is still checked on every request. Verifying (HMAC, base64, JSON and the
  // claims' schema) was a tenth of an intake's CPU in the API (bench/intake).
  private readonly verified = new BoundedMap<string, Principal>(5000);
  private readonly statuses: AccountStatuses;

  constructor(
    db: Db,
    private readonly config: Pick<Config, 'JWT_SECRET' | 'ACCOUNT_STATUS_REFRESH_MS'>,
  ) {
    this.statuses = new AccountStatuses(db, config.ACCOUNT_STATUS_REFRESH_MS);
  }

  async principalOf(token: string): Promise<Principal | null> {
    // Token expiry is wall-clock time, not the business clock (deps.now), which tests and replays move.
    const now = new Date();
    let principal = this.verified.get(token) ?? null;
    if (principal) {
      if (principal.exp <= now.getTime() / 1000) return null;
    } else {
      principal = verifyToken(token, this.config.JWT_SECRET, now);
      if (!principal) return null;
      this.verified.set(token, principal);
    }
    return (await this.statuses.refuses(principal)) ? null : principal;
  }

  /** An account changed through this process: its earlier tokens are refused here at once, not after the refresh. */
  accountChanged() {
    this.statuses.changed();
  }
}
