/**
 * Rate limits (issue 12). Counters are kept per key (a client address or an account name) and
 * survive a restart. A refusal is `RATE_LIMITED` with `details.retryAfter` in seconds, which the
 * HTTP layer sends as `Retry-After`.
 */

/** A burst, then a steady rate (like crates.io): `burst` uses at once, then one per `everySeconds`. */
export interface BurstRate { burst: number; everySeconds: number }

export interface RateLimits {
  /** Register and log-in attempts per client address per minute. */
  authPerAddressPerMinute: number;
  /** Wrong passwords for one account (from any address) within an hour; one more locks it… */
  loginFailuresPerAccount: number;
  /** …for this long. */
  loginLockSeconds: number;
  /** New designs per account (publishing a new name, forking). */
  newDesigns: BurstRate;
  /** Versions of existing designs per account. */
  versions: BurstRate;
  /** Yanks and un-yanks per account. */
  yanks: BurstRate;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  authPerAddressPerMinute: 30,
  loginFailuresPerAccount: 50,
  loginLockSeconds: 15 * 60,
  newDesigns: { burst: 5, everySeconds: 10 * 60 },
  versions: { burst: 30, everySeconds: 60 },
  yanks: { burst: 30, everySeconds: 60 },
};

export type BurstKind = 'newDesigns' | 'versions' | 'yanks';

export interface Throttles {
  readonly limits: RateLimits;
  /** Count one register/log-in attempt from `address`; refused when over the per-minute limit. */
  attemptFrom(address: string): Promise<void>;
  /** Refuse when `account` is locked by wrong passwords (does not count anything). */
  assertLoginOpen(account: string): Promise<void>;
  /** Count one wrong password for `account`. */
  loginFailed(account: string): Promise<void>;
  /** Refuse when `account` has no allowance of `kind` left (does not count anything). */
  assertAllowance(kind: BurstKind, account: string): Promise<void>;
  /** Count one use of `kind` by `account`, after it succeeded. */
  used(kind: BurstKind, account: string): Promise<void>;
}
