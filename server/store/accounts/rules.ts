/**
 * The account rules every account store applies: token shape and hashing, scopes a role allows,
 * and the checks on emails, token names and roles. Storage-free, so the rules live in one place.
 *
 * - Tokens: `ohw_<id>_<secret>` with a 16-hex-digit public id (what `DELETE /tokens/:id` takes)
 *   and 32 random bytes of secret. Only `sha256:<hex>` of the whole token is stored. A fast hash
 *   is right here, unlike for passwords: with 256 bits of entropy no amount of hashing speed makes
 *   guessing feasible, and authenticate() runs on every request.
 * - Scopes ⊆ {publish, review, admin}: `admin` needs the admin role, `review` the reviewer or
 *   admin role. Roles are checked again at every authenticate(), so taking a role away takes
 *   effect at once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OhwError } from '../../../schema/errors.ts';
import { NAME_SEGMENT_MAX_LENGTH, NAME_SEGMENT_PATTERN } from '../../../schema/names.ts';
import type { Role, Scope } from '../ports.ts';

export const SCOPES: readonly Scope[] = ['publish', 'review', 'admin'];
export const ROLES: readonly Role[] = ['reviewer', 'admin'];

/** Token id under which `OHW_ADMIN_TOKEN`'s hash is kept (see ensureAdmin). */
export const ADMIN_ENV_TOKEN_ID = 'admin-env';
/** The account ensureAdmin creates. Reserved, so nobody else can register it. */
export const BOOTSTRAP_ADMIN = 'admin';

export const TOKEN_PATTERN = /^ohw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
export const TOKEN_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const MAX_TOKEN_LENGTH = 512;
const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
const MAX_EMAIL_LENGTH = 254;
const MAX_TOKEN_NAME_LENGTH = 100;

/** ASCII-only lowercasing: `K` (Kelvin sign) must not become `k`. */
export const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Canonical account name for a lookup, or undefined when it cannot name an account. */
export function lookupName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = lowerAscii(name);
  return lower.length <= NAME_SEGMENT_MAX_LENGTH && NAME_SEGMENT_PATTERN.test(lower) ? lower : undefined;
}

const sha256 = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
export const tokenHash = (token: string): string => `sha256:${sha256(token).toString('hex')}`;

export function hashMatches(token: string, stored: string): boolean {
  const m = /^sha256:([0-9a-f]{64})$/.exec(stored);
  if (!m) return false;
  return timingSafeEqual(sha256(token), Buffer.from(m[1]!, 'hex'));
}

export function newToken(): { id: string; token: string } {
  const id = randomBytes(8).toString('hex');
  return { id, token: `ohw_${id}_${randomBytes(32).toString('base64url')}` };
}

/** Scopes an account with `roles` may hold. */
export function allowedScopes(roles: readonly Role[]): Scope[] {
  const isAdmin = roles.includes('admin');
  return SCOPES.filter((s) => s === 'publish' || (s === 'review' && (isAdmin || roles.includes('reviewer'))) || (s === 'admin' && isAdmin));
}

/** The scopes asked for, checked against the account's roles, in canonical order. */
export function checkScopes(account: { name: string; roles: readonly Role[] }, scopes: unknown): Scope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new OhwError('INVALID_REQUEST', `scopes must be a non-empty list of: ${SCOPES.join(', ')}`);
  }
  const unknown = scopes.find((s) => !SCOPES.includes(s as Scope));
  if (unknown !== undefined) {
    throw new OhwError('INVALID_REQUEST', `unknown scope ${JSON.stringify(unknown)}; scopes are: ${SCOPES.join(', ')}`);
  }
  const allowed = allowedScopes(account.roles);
  if (scopes.includes('admin') && !allowed.includes('admin')) {
    throw new OhwError('FORBIDDEN', `the "admin" scope needs the admin role, which account "${account.name}" does not have`);
  }
  if (scopes.includes('review') && !allowed.includes('review')) {
    throw new OhwError('FORBIDDEN', `the "review" scope needs the reviewer role (granted by an admin), which account "${account.name}" does not have`);
  }
  return SCOPES.filter((s) => scopes.includes(s));
}

export function normalizeRoles(roles: unknown): Role[] {
  if (!Array.isArray(roles)) throw new OhwError('INVALID_REQUEST', `roles must be a list of: ${ROLES.join(', ')}`);
  const bad = roles.find((r) => !ROLES.includes(r as Role));
  if (bad !== undefined) throw new OhwError('INVALID_REQUEST', `unknown role ${JSON.stringify(bad)}; roles are: ${ROLES.join(', ')}`);
  return ROLES.filter((r) => roles.includes(r));
}

export function checkEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim() : '';
  if (e.length === 0 || e.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(e)) {
    throw new OhwError('INVALID_REQUEST', `email must look like name@example.org (at most ${MAX_EMAIL_LENGTH} characters)`);
  }
  return e;
}

export function checkTokenName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0 || n.length > MAX_TOKEN_NAME_LENGTH || /\p{Cc}/u.test(n)) {
    throw new OhwError('INVALID_REQUEST', `token name must be 1–${MAX_TOKEN_NAME_LENGTH} characters without control characters`);
  }
  return n;
}
