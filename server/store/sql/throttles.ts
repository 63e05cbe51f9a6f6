/**
 * Throttles on rate-limiter-flexible, with its SQLite store on the operational database, so
 * counters and locks survive a restart and are shared by every front door (API and web sign-in).
 * The table is created by migration 005.
 */
import { BurstyRateLimiter, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import { OhwError } from '../../../schema/errors.ts';
import type { BurstKind, BurstRate, RateLimits, Throttles } from '../throttle-port.ts';
import type { Database } from './database.ts';

const TABLE = 'throttles';

function limited(what: string, ms: number): OhwError {
  const retryAfter = Math.max(1, Math.ceil(ms / 1000));
  return new OhwError('RATE_LIMITED', `${what}; try again in ${retryAfter} s`, { details: { retryAfter } });
}

/**
 * A token bucket built from two fixed windows: the steady limiter allows one use per interval,
 * and when it refuses, a burst limiter lends up to `burst - 1` more, refilled over as many
 * intervals. So `burst` uses go at once, then one per interval.
 */
class Burst {
  readonly steady: RateLimiterSQLite;
  readonly extra: RateLimiterSQLite | undefined;
  readonly bursty: BurstyRateLimiter | undefined;

  constructor(db: Database, prefix: string, readonly rate: BurstRate) {
    const store = { storeClient: db.sqlite, storeType: 'better-sqlite3', tableName: TABLE, tableCreated: true };
    this.steady = new RateLimiterSQLite({ ...store, keyPrefix: `${prefix}`, points: 1, duration: rate.everySeconds });
    if (rate.burst > 1) {
      this.extra = new RateLimiterSQLite({ ...store, keyPrefix: `${prefix}-burst`, points: rate.burst - 1, duration: (rate.burst - 1) * rate.everySeconds });
      this.bursty = new BurstyRateLimiter(this.steady, this.extra);
    }
  }

  /** Milliseconds until one more use is allowed; 0 when one is allowed now. */
  async wait(key: string): Promise<number> {
    const steady = await this.steady.get(key);
    if (!steady || steady.remainingPoints > 0) return 0;
    if (!this.extra) return steady.msBeforeNext;
    const extra = await this.extra.get(key);
    if (!extra || extra.remainingPoints > 0) return 0;
    return Math.min(steady.msBeforeNext, extra.msBeforeNext);
  }

  async consume(key: string): Promise<void> {
    try {
      await (this.bursty ?? this.steady).consume(key);
    } catch (e) {
      // Over the limit after a check let a concurrent use through: the use happened, keep going.
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }
}

const WHAT: Record<BurstKind, string> = {
  newDesigns: 'too many new designs from this account',
  versions: 'too many versions published from this account',
  yanks: 'too many yanks and un-yanks from this account',
};

export class SqlThrottles implements Throttles {
  readonly #address: RateLimiterSQLite;
  readonly #account: RateLimiterSQLite;
  readonly #bursts: Record<BurstKind, Burst>;

  constructor(db: Database, readonly limits: RateLimits) {
    // Counters whose window ended are dead weight: swept once per start (the library's own
    // sweeper is a timer that would outlive a closed database).
    db.sqlite.prepare(`DELETE FROM ${TABLE} WHERE expire IS NOT NULL AND expire < ?`).run(Date.now());
    const store = { storeClient: db.sqlite, storeType: 'better-sqlite3', tableName: TABLE, tableCreated: true };
    this.#address = new RateLimiterSQLite({ ...store, keyPrefix: 'auth-address', points: limits.authPerAddressPerMinute, duration: 60 });
    this.#account = new RateLimiterSQLite({
      ...store, keyPrefix: 'login-account', points: limits.loginFailuresPerAccount, duration: 3600, blockDuration: limits.loginLockSeconds,
    });
    this.#bursts = {
      newDesigns: new Burst(db, 'new-designs', limits.newDesigns),
      versions: new Burst(db, 'versions', limits.versions),
      yanks: new Burst(db, 'yanks', limits.yanks),
    };
  }

  async attemptFrom(address: string): Promise<void> {
    try {
      await this.#address.consume(address);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw limited('too many attempts from this address', e.msBeforeNext);
      throw e;
    }
  }

  async assertLoginOpen(account: string): Promise<void> {
    const res = await this.#account.get(account.toLowerCase());
    if (res && res.consumedPoints > this.limits.loginFailuresPerAccount) {
      throw limited('this account is locked for a while after too many wrong passwords', res.msBeforeNext);
    }
  }

  async loginFailed(account: string): Promise<void> {
    try {
      await this.#account.consume(account.toLowerCase());
    } catch (e) {
      // Going over the limit is what locks the account (blockDuration); the refusal comes next time.
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }

  async assertAllowance(kind: BurstKind, account: string): Promise<void> {
    const ms = await this.#bursts[kind].wait(account);
    if (ms > 0) {
      const { burst, everySeconds } = this.limits[kind];
      throw limited(`${WHAT[kind]} (${burst} at once, then one every ${everySeconds} s)`, ms);
    }
  }

  async used(kind: BurstKind, account: string): Promise<void> {
    await this.#bursts[kind].consume(account);
  }
}
