/**
 * Password policy and hashing.
 *
 * Hash: scrypt, stored as `scrypt$N$r$p$<salt>$<key>` (salt and key base64url, 16 and 32 bytes).
 * Parameters N=2^14, r=8, p=1 — Percival's "interactive login" setting: 16 MiB of memory and
 * about 50 ms per hash on a small server core (measured 49 ms), so a login stays fast while an
 * offline guess costs the same 16 MiB × 50 ms. They are stored with each hash, so raising them
 * later is a constant change here: verifyPassword reports `needsRehash` and the store rewrites the
 * hash at the next successful login. scrypt runs on the libuv pool (async), never on the event loop.
 *
 * Unicode: passwords are NFKC-normalised before hashing and length checks (NIST SP 800-63B
 * §5.1.1.2), so the same password typed on two keyboards gives the same hash.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { OhwError } from '../../../schema/errors.ts';

export interface ScryptParams { N: number; r: number; p: number }

export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 14, r: 8, p: 1 });
const SALT_BYTES = 16;
const KEY_BYTES = 32;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;

/** Marks an account that cannot log in with a password (the bootstrap `admin`: tokens only). */
export const NO_PASSWORD = '!';

function scryptAsync(password: string, salt: Buffer, keyLen: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses when 128·N·r exceeds maxmem (default 32 MiB); allow exactly what N and r need, twice.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const normalize = (password: string): string => password.normalize('NFKC');
const codePoints = (s: string): number => [...s].length;

/** Throws INVALID_REQUEST naming the rule a new password breaks. */
export function checkPasswordPolicy(password: unknown, account: { name: string; email: string }): void {
  if (typeof password !== 'string') throw new OhwError('INVALID_REQUEST', 'password must be a string');
  const n = codePoints(normalize(password));
  if (n < PASSWORD_MIN_LENGTH) {
    throw new OhwError('INVALID_REQUEST', `password must be at least ${PASSWORD_MIN_LENGTH} characters (it has ${n})`);
  }
  if (n > PASSWORD_MAX_LENGTH) {
    throw new OhwError('INVALID_REQUEST', `password must be at most ${PASSWORD_MAX_LENGTH} characters (it has ${n})`);
  }
  const lower = password.toLowerCase();
  if (lower === account.name.toLowerCase() || lower === account.email.toLowerCase()) {
    throw new OhwError('INVALID_REQUEST', 'password must not be the account name or the email address');
  }
}

/** A password long enough to be refused by the policy is never hashed at login either. */
export const isPlausiblePassword = (password: unknown): password is string =>
  typeof password === 'string' && password.length <= PASSWORD_MAX_LENGTH * 8;

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(normalize(password), salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash { params: ScryptParams; salt: Buffer; key: Buffer }

/** Bounds keep a tampered record from turning one login into a memory or CPU bomb. */
function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, key] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0) return undefined;
  if (!Number.isInteger(R) || R < 1 || R > 32 || !Number.isInteger(P) || P < 1 || P > 16) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(salt ?? '') || !/^[A-Za-z0-9_-]+$/.test(key ?? '')) return undefined;
  const saltBuf = Buffer.from(salt!, 'base64url');
  const keyBuf = Buffer.from(key!, 'base64url');
  if (saltBuf.length < 8 || keyBuf.length < 16 || keyBuf.length > 64) return undefined;
  return { params: { N, r: R, p: P }, salt: saltBuf, key: keyBuf };
}

// Verifying against a missing account does the same scrypt work, against this throwaway hash.
const DUMMY: ParsedHash = { params: { ...SCRYPT_PARAMS }, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };

/**
 * Whether `password` matches `stored`. `stored` undefined (no such account), NO_PASSWORD or
 * unparseable runs the same scrypt against a dummy hash and answers false: one timing path.
 */
export async function verifyPasswordHash(
  password: string,
  stored: string | undefined,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  const parsed = stored === undefined ? undefined : parseHash(stored);
  const target = parsed ?? DUMMY;
  const key = await scryptAsync(normalize(password), target.salt, target.key.length, target.params);
  const equal = timingSafeEqual(key, target.key);
  if (!parsed) return { ok: false, needsRehash: false };
  const current = parsed.params.N === SCRYPT_PARAMS.N && parsed.params.r === SCRYPT_PARAMS.r && parsed.params.p === SCRYPT_PARAMS.p;
  return { ok: equal, needsRehash: equal && (!current || parsed.key.length !== KEY_BYTES) };
}
