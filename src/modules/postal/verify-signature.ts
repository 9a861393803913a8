import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { postalPartnerKeys, postalPartners } from '../../db/schema/index.js';
import { parseTimestamp, sha256Hex, sign, signatureMatches, SIGNATURE_WINDOW_SECONDS, withinWindow } from '../../domain/postal/signature.js';
import { DomainError } from '../../lib/errors.js';
import { decryptSecret } from './secrets.js';

/** The partner a request is signed by. */
export interface PartnerPrincipal {
  id: number;
  code: string;
  name: string;
  keyId: string;
}

export interface SignedRequest {
  method: string;
  /** Path with query string, exactly as sent (req.url). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

const header = (h: SignedRequest['headers'], name: string) => {
  const v = h[name];
  return typeof v === 'string' ? v.trim() : undefined;
};

/**
 * Checks a partner request's signature (scheme in src/domain/postal/signature.ts). 401 for: a header missing, an
 * unknown, expired or disabled key, a signature that does not match (SIGNATURE_INVALID); a timestamp more than
 * five minutes from now (SIGNATURE_EXPIRED); a signature already used (REPLAYED, remembered in Redis for longer
 * than the window). The timestamp is compared with the wall clock (it is a transport timestamp); a key's expiry
 * with the business clock (deps.now), like every other business instant.
 */
export async function verifyPartnerRequest(deps: Deps, req: SignedRequest): Promise<PartnerPrincipal> {
  const keyId = header(req.headers, 'x-partner-key');
  const timestamp = header(req.headers, 'x-timestamp');
  const signature = header(req.headers, 'x-signature');
  if (!keyId || !timestamp || !signature) {
    throw new DomainError('SIGNATURE_INVALID', 'Signed request required: X-Partner-Key, X-Timestamp and X-Signature headers');
  }
  const at = parseTimestamp(timestamp);
  if (at === null) throw new DomainError('SIGNATURE_INVALID', 'X-Timestamp must be unix seconds or an ISO 8601 instant with offset');
  if (!withinWindow(at, Date.now())) {
    throw new DomainError('SIGNATURE_EXPIRED', `X-Timestamp is more than ${SIGNATURE_WINDOW_SECONDS / 60} minutes away from the server's time`);
  }
  const [row] = await deps.db
    .select({ key: postalPartnerKeys, partner: postalPartners })
    .from(postalPartnerKeys)
    .innerJoin(postalPartners, eq(postalPartners.id, postalPartnerKeys.partnerId))
    .where(eq(postalPartnerKeys.id, keyId));
  const now = deps.now();
  if (!row || row.partner.disabledAt || (row.key.expiresAt && row.key.expiresAt.getTime() <= now.getTime())) {
    throw new DomainError('SIGNATURE_INVALID', 'Unknown or expired partner key');
  }
  const expected = sign(decryptSecret(row.key.secretEncrypted, deps.config.PERSONAL_DATA_KEY), req.method, req.url, timestamp, req.rawBody);
  if (!signatureMatches(expected, signature)) {
    throw new DomainError('SIGNATURE_INVALID', 'Signature does not match (HMAC-SHA256 of METHOD\\npath?query\\ntimestamp\\nsha256hex(body))');
  }
  let fresh: string | null;
  try {
    fresh = await deps.redis.set(`postal:sig:${sha256Hex(signature.toLowerCase())}`, keyId, 'EX', SIGNATURE_WINDOW_SECONDS * 2 + 60, 'NX');
  } catch {
    // Fail closed: without the replay record a captured request could be played again.
    throw new DomainError('SERVICE_UNAVAILABLE', 'Cannot check for replayed requests now; retry later');
  }
  if (fresh === null) throw new DomainError('REPLAYED', 'This signature was already used; sign each request afresh');
  return { id: row.partner.id, code: row.partner.code, name: row.partner.name, keyId };
}
