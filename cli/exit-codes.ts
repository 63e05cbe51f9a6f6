import type { ErrorCode } from '../schema/errors.ts';

/**
 * SPEC §4: 0 ok, 1 user error (bad input, not found, conflict), 2 usage, 3 network/server error.
 * `ohw certify verify` adds 4: the record is sound but the certificate does not hold (revoked,
 * suspended, withdrawn, expired); a tampered record is 1.
 */
export const EXIT = { ok: 0, user: 1, usage: 2, network: 3, notHolding: 4 } as const;

export const EXIT_OF: Record<ErrorCode, number> = {
  INVALID_MANIFEST: EXIT.user,
  INVALID_ARCHIVE: EXIT.user,
  INVALID_REQUEST: EXIT.user,
  VERSION_EXISTS: EXIT.user,
  NAME_TAKEN: EXIT.user,
  NAME_TOO_SIMILAR: EXIT.user,
  NOT_FOUND: EXIT.user,
  UNAUTHENTICATED: EXIT.user,
  FORBIDDEN: EXIT.user,
  CONFLICT: EXIT.user,
  INVALID_TRANSITION: EXIT.user,
  TOO_LARGE: EXIT.user,
  UNSUPPORTED_MEDIA_TYPE: EXIT.user,
  RATE_LIMITED: EXIT.network,
  SEARCH_UNAVAILABLE: EXIT.network,
  INTEGRITY: EXIT.network,
  INSUFFICIENT_STORAGE: EXIT.network,
  INTERNAL: EXIT.network,
};

/** A CLI-side failure that is not an API error: bad flags (usage) or an unreachable registry. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
