import type { NextFunction, Request, Response } from 'express';
import { OhwError } from '../../schema/errors.ts';

/**
 * A fixed-window limiter per client address, for the password-taking routes (register, log in),
 * where guessing is the threat. In memory: one server process per data dir (see README).
 */
export function rateLimit(opts: { windowMs: number; max: number }) {
  const hits = new Map<string, { start: number; count: number }>();
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = req.ip ?? 'unknown';
    const now = Date.now();
    const entry = hits.get(key);
    if (!entry || now - entry.start >= opts.windowMs) {
      hits.set(key, { start: now, count: 1 });
      if (hits.size > 10_000) hits.clear();
      return next();
    }
    entry.count += 1;
    if (entry.count > opts.max) {
      const retry = Math.ceil((entry.start + opts.windowMs - now) / 1000);
      return next(new OhwError('RATE_LIMITED', `too many attempts; try again in ${retry} s`, { details: { retryAfter: retry } }));
    }
    next();
  };
}
