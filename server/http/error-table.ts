import type { ErrorCode } from '../../schema/errors.ts';

/** The one place where error codes become HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, number> = {
  INVALID_MANIFEST: 400,
  INVALID_ARCHIVE: 400,
  INVALID_REQUEST: 400,
  VERSION_EXISTS: 409,
  NAME_TAKEN: 409,
  NAME_TOO_SIMILAR: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SEARCH_UNAVAILABLE: 503,
  INTERNAL: 500,
};
