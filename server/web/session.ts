/**
 * Browser sessions and CSRF. The cookie holds a random id whose hash is the row in web_sessions;
 * it is HttpOnly, SameSite=Lax, Secure when the request came over HTTPS, and expires. Every form
 * carries a synchronizer token: the session's own token once signed in, and before that (the
 * login form) a random token also set as a short-lived cookie, compared on submit.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { allowedScopes } from '../store/accounts/rules.ts';
import type { Account } from '../store/ports.ts';
import type { WebSession } from '../store/web-session-port.ts';
import type { Actor, Deps } from '../services/deps.ts';

export const SESSION_COOKIE = 'ohw_session';
export const LOGIN_CSRF_COOKIE = 'ohw_login_csrf';
/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const LOGIN_CSRF_TTL_MS = 2 * 3600 * 1000;

export interface WebUser { actor: Actor; session: WebSession; sessionId: string }

declare module 'express-serve-static-core' {
  interface Request { webUser?: WebUser }
}

/** The Cookie header as a map; malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try { value = decodeURIComponent(value); } catch { continue; }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

const cookieFlags = (req: Request, maxAgeMs: number) => ({
  httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', maxAge: maxAgeMs,
});

/**
 * A web session's actor: the account as it is now (roles revoked since sign-in count at once),
 * with the scopes its roles allow, except admin — administration stays with tokens and the CLI.
 */
function actorOf(account: Account): Actor {
  return { name: account.name, email: account.email, roles: [...account.roles], scopes: allowedScopes(account.roles).filter((s) => s !== 'admin') };
}

export function loadSession(deps: Deps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (id) {
      const session = await deps.sessions.find(id);
      const account = session ? await deps.accounts.get(session.account) : undefined;
      if (session && account) req.webUser = { actor: actorOf(account), session, sessionId: id };
    }
    next();
  };
}

export async function signIn(deps: Deps, req: Request, res: Response, account: string): Promise<void> {
  // A new id at every sign-in: a session id planted before sign-in is never promoted.
  const old = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (old) await deps.sessions.remove(old);
  const { id } = await deps.sessions.create(account, SESSION_TTL_MS);
  res.cookie(SESSION_COOKIE, id, cookieFlags(req, SESSION_TTL_MS));
  res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
  // Occasional housekeeping; expired rows are already refused by find().
  if (Math.random() < 0.05) void deps.sessions.sweep().catch(() => undefined);
}

export async function signOut(deps: Deps, req: Request, res: Response): Promise<void> {
  if (req.webUser) await deps.sessions.remove(req.webUser.sessionId);
  res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.secure });
}

/** The token the login form carries: reused from its cookie, or new (and set as the cookie). */
export function loginCsrfToken(req: Request, res: Response): string {
  const existing = parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = crypto.randomBytes(32).toString('base64url');
  res.cookie(LOGIN_CSRF_COOKIE, token, cookieFlags(req, LOGIN_CSRF_TTL_MS));
  return token;
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const formToken = (req: Request): string | undefined => {
  const v = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof v === 'string' ? v : undefined;
};

/** The CSRF check of a POST: the session's token, or for sign-in the login cookie's token. */
export function csrfOk(req: Request, kind: 'session' | 'login'): boolean {
  if (kind === 'login') return sameToken(formToken(req), parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE));
  return sameToken(formToken(req), req.webUser?.session.csrfToken);
}
