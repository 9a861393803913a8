/**
 * Domain errors carry a code; one handler (src/app.ts) maps codes to HTTP and renders
 * `{ error: { code, message, requestId } }`.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNIT_NOT_FOUND: 404,
  DESK_NOT_FOUND: 404,
  AGENCY_NOT_FOUND: 404,
  PROCEDURE_NOT_FOUND: 404,
  CALENDAR_DAY_NOT_FOUND: 404,
  CONFLICT: 409,
  DOSSIER_NOT_FOUND: 404,
  TRANSITION_NOT_ALLOWED: 409,
  /** The dossier changed since the version the client acted on (expectedVersion, or a concurrent act won). */
  VERSION_CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  TOO_MANY_REQUESTS: 429,
  DECISION_CONFLICT: 409,
  APOLOGY_ALREADY_ISSUED: 409,
  OUT_OF_RANGE: 400,
  SERVICE_UNAVAILABLE: 503,
  /** PostgreSQL is restarting or unreachable: the request wrote nothing that was acknowledged; retry (Retry-After). */
  DATABASE_UNAVAILABLE: 503,
  SIGNATURE_INVALID: 401,
  SIGNATURE_EXPIRED: 401,
  REPLAYED: 401,
  PARTNER_NOT_FOUND: 404,
  SHIPMENT_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  PARTNER_EXISTS: 409,
  WEBHOOK_NOT_DEAD: 409,
  FILE_NOT_FOUND: 404,
  /** A file larger than FILE_MAX_BYTES, or one that takes the dossier past FILE_DOSSIER_MAX_BYTES. */
  FILE_TOO_LARGE: 413,
  /** Not a PDF, JPEG or PNG by its content. */
  UNSUPPORTED_FILE_TYPE: 415,
  /** The multipart body ended before the file did (a client that stopped sending). */
  UPLOAD_INCOMPLETE: 400,
  FILE_ALREADY_ON_DOSSIER: 409,
  DIGITISATION_ALREADY_RECORDED: 409,
  /** A result link past its expiry (FILE_LINK_TTL_SECONDS): ask the lookup for a new one. */
  LINK_EXPIRED: 410,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (code: ErrorCode, message: string) => new DomainError(code, message);
