import type { NextFunction, Request, Response } from 'express';
import type { Deps } from '../services/deps.ts';
import type { BurstKind } from '../store/throttle-port.ts';

/**
 * The HTTP side of the throttles (counters live in deps.throttles: rate-limiter-flexible on the
 * database). The client address is `req.ip`, which honours X-Forwarded-For only when
 * `OHW_TRUST_PROXY` says the proxy in front is trusted; refusals are 429 with `Retry-After`.
 */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Count a password-taking attempt (register) against the caller's address. */
export function attemptsByAddress(deps: Deps) {
  return (req: Request, _res: Response, next: NextFunction) => {
    deps.throttles.attemptFrom(clientAddress(req)).then(() => next(), next);
  };
}

/**
 * Run `work` within the account's allowance of `kind`: refused before it starts when none is
 * left, counted once it succeeded (a refused publish costs nothing).
 */
export async function withinAllowance<T>(deps: Deps, kind: BurstKind, account: string, work: () => Promise<T>): Promise<T> {
  await deps.throttles.assertAllowance(kind, account);
  const result = await work();
  await deps.throttles.used(kind, account);
  return result;
}
