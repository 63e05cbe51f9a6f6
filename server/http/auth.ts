import type { NextFunction, Request, Response } from 'express';
import { OhwError } from '../../schema/errors.ts';
import type { Actor, Deps } from '../services/deps.ts';

declare module 'express-serve-static-core' {
  interface Request { actor?: Actor }
}

/** Resolve `Authorization: Bearer <token>` into req.actor; a bad token is refused outright. */
export function authenticate(deps: Deps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(new OhwError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"'));
    const found = await deps.accounts.authenticate(m[1]!);
    if (!found) return next(new OhwError('UNAUTHENTICATED', 'the token is invalid or has been revoked; log in again with `ohw login`'));
    req.actor = {
      name: found.account.name,
      email: found.account.email,
      roles: found.account.roles,
      scopes: found.token.scopes,
    };
    next();
  };
}

export function requireActor(req: Request): Actor {
  if (!req.actor) throw new OhwError('UNAUTHENTICATED', 'this needs a token: `ohw login`, or send Authorization: Bearer <token>');
  return req.actor;
}
