/**
 * AccountStore on the filesystem (DESIGN "Data on disk": `accounts/`, hashes only, atomic writes).
 *
 *   $dataDir/accounts/<name>.json            {name, email, roles, createdAt, passwordHash}
 *   $dataDir/accounts/tokens/<tokenId>.json  {id, account, name, scopes, createdAt, revokedAt?, hash}
 *
 * - Account names are lowercased (ASCII) and follow `checkNameSegment(…, 'account name')`, reserved
 *   words included. Creation is exclusive (temp file + `link`), so of two racing registrations of
 *   one name exactly one wins and the other gets NAME_TAKEN — across processes too.
 * - Passwords: scrypt (see accounts/password.ts); an unknown account runs the same scrypt.
 * - Tokens: `ohw_<id>_<secret>` with a 16-hex-digit public id (file name, O(1) lookup, what
 *   `DELETE /tokens/:id` takes) and 32 random bytes of secret. Only `sha256:<hex>` of the whole
 *   token is stored. A fast hash is right here, unlike for passwords: with 256 bits of entropy no
 *   amount of hashing speed makes guessing feasible, and authenticate() runs on every request.
 * - Scopes ⊆ {publish, review, admin}. Asking for an unknown scope is INVALID_REQUEST; asking for
 *   one the account's roles do not allow is FORBIDDEN: `admin` needs the admin role, `review` the
 *   reviewer or admin role. Roles are checked again at every authenticate(): a token keeps only
 *   the scopes its account's current roles allow, so taking a role away takes effect at once.
 * - Read-modify-write updates are serialised per file in this process (one writer process per
 *   data dir, README).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OhwError } from '../../schema/errors.ts';
import { NAME_SEGMENT_MAX_LENGTH, NAME_SEGMENT_PATTERN, checkNameSegment } from '../../schema/names.ts';
import {
  createFileExclusive,
  ensureDir,
  isTempName,
  readJsonFile,
  writeFileAtomic,
} from './accounts/atomic-file.ts';
import { KeyedMutex } from './accounts/keyed-mutex.ts';
import {
  NO_PASSWORD,
  checkPasswordPolicy,
  hashPassword,
  isPlausiblePassword,
  verifyPasswordHash,
} from './accounts/password.ts';
import type { Account, AccountStore, Role, Scope, TokenInfo } from './ports.ts';

export const SCOPES: readonly Scope[] = ['publish', 'review', 'admin'];
export const ROLES: readonly Role[] = ['reviewer', 'admin'];

/** Token id under which `OHW_ADMIN_TOKEN`'s hash is kept (see ensureAdmin). */
export const ADMIN_ENV_TOKEN_ID = 'admin-env';
/** The account ensureAdmin creates. Reserved, so nobody else can register it. */
export const BOOTSTRAP_ADMIN = 'admin';

const TOKEN_PATTERN = /^ohw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const TOKEN_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
const MAX_TOKEN_LENGTH = 512;
const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
const MAX_EMAIL_LENGTH = 254;
const MAX_TOKEN_NAME_LENGTH = 100;

interface AccountRecord {
  name: string;
  email: string;
  roles: Role[];
  createdAt: string;
  /** `scrypt$N$r$p$salt$key`, or NO_PASSWORD for a token-only account. */
  passwordHash: string;
}

interface TokenRecord {
  id: string;
  account: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt?: string;
  /** `sha256:<hex>` of the whole token. */
  hash: string;
}

/** ASCII-only lowercasing: `K` (Kelvin sign) must not become `k`. */
const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Canonical account name for a lookup, or undefined when it cannot name an account file. */
function lookupName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = lowerAscii(name);
  return lower.length <= NAME_SEGMENT_MAX_LENGTH && NAME_SEGMENT_PATTERN.test(lower) ? lower : undefined;
}

const sha256 = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
const tokenHash = (token: string): string => `sha256:${sha256(token).toString('hex')}`;

function hashMatches(token: string, stored: string): boolean {
  const m = /^sha256:([0-9a-f]{64})$/.exec(stored);
  if (!m) return false;
  return timingSafeEqual(sha256(token), Buffer.from(m[1]!, 'hex'));
}

const toAccount = (r: AccountRecord): Account => ({ name: r.name, email: r.email, roles: [...r.roles], createdAt: r.createdAt });

function toInfo(r: TokenRecord, scopes: Scope[] = r.scopes): TokenInfo {
  const info: TokenInfo = { id: r.id, name: r.name, scopes: [...scopes], createdAt: r.createdAt };
  if (r.revokedAt !== undefined) info.revokedAt = r.revokedAt;
  return info;
}

/** Scopes an account with `roles` may hold. */
export function allowedScopes(roles: readonly Role[]): Scope[] {
  const isAdmin = roles.includes('admin');
  return SCOPES.filter((s) => s === 'publish' || (s === 'review' && (isAdmin || roles.includes('reviewer'))) || (s === 'admin' && isAdmin));
}

function corrupt(what: string): never {
  // No path in the message: it may reach a client through the error table.
  throw new OhwError('INTERNAL', `the stored ${what} is damaged; see the server log`);
}

function asAccountRecord(raw: unknown): AccountRecord {
  const r = raw as Partial<AccountRecord> | null;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.email !== 'string'
    || !Array.isArray(r.roles) || typeof r.createdAt !== 'string' || typeof r.passwordHash !== 'string') {
    return corrupt('account record');
  }
  return { name: r.name, email: r.email, roles: r.roles.filter((x): x is Role => ROLES.includes(x)), createdAt: r.createdAt, passwordHash: r.passwordHash };
}

function asTokenRecord(raw: unknown): TokenRecord {
  const r = raw as Partial<TokenRecord> | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.account !== 'string' || typeof r.name !== 'string'
    || !Array.isArray(r.scopes) || typeof r.createdAt !== 'string' || typeof r.hash !== 'string') {
    return corrupt('token record');
  }
  const rec: TokenRecord = {
    id: r.id, account: r.account, name: r.name, createdAt: r.createdAt, hash: r.hash,
    scopes: r.scopes.filter((x): x is Scope => SCOPES.includes(x)),
  };
  if (typeof r.revokedAt === 'string') rec.revokedAt = r.revokedAt;
  return rec;
}

function normalizeRoles(roles: unknown): Role[] {
  if (!Array.isArray(roles)) throw new OhwError('INVALID_REQUEST', `roles must be a list of: ${ROLES.join(', ')}`);
  const bad = roles.find((r) => !ROLES.includes(r as Role));
  if (bad !== undefined) throw new OhwError('INVALID_REQUEST', `unknown role ${JSON.stringify(bad)}; roles are: ${ROLES.join(', ')}`);
  return ROLES.filter((r) => roles.includes(r));
}

function checkEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim() : '';
  if (e.length === 0 || e.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(e)) {
    throw new OhwError('INVALID_REQUEST', `email must look like name@example.org (at most ${MAX_EMAIL_LENGTH} characters)`);
  }
  return e;
}

function checkTokenName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0 || n.length > MAX_TOKEN_NAME_LENGTH || /\p{Cc}/u.test(n)) {
    throw new OhwError('INVALID_REQUEST', `token name must be 1–${MAX_TOKEN_NAME_LENGTH} characters without control characters`);
  }
  return n;
}

export interface FsAccountStoreOptions {
  dataDir: string;
  /** Clock, for tests. */
  now?: () => Date;
}

export class FsAccountStore implements AccountStore {
  readonly dir: string;
  readonly tokensDir: string;
  readonly #now: () => Date;
  readonly #locks = new KeyedMutex();
  #ready: Promise<void> | undefined;

  constructor(opts: FsAccountStoreOptions) {
    this.dir = path.join(path.resolve(opts.dataDir), 'accounts');
    this.tokensDir = path.join(this.dir, 'tokens');
    this.#now = opts.now ?? (() => new Date());
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await ensureDir(this.dir);
      await ensureDir(this.tokensDir);
    })().catch((e: unknown) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  #accountFile(name: string): string { return path.join(this.dir, `${name}.json`); }
  #tokenFile(id: string): string { return path.join(this.tokensDir, `${id}.json`); }

  async #readAccount(name: unknown): Promise<AccountRecord | undefined> {
    const n = lookupName(name);
    if (n === undefined) return undefined;
    await this.#init();
    const raw = await readJsonFile(this.#accountFile(n));
    return raw === undefined ? undefined : asAccountRecord(raw);
  }

  async #readToken(id: string): Promise<TokenRecord | undefined> {
    if (!TOKEN_ID_PATTERN.test(id)) return undefined;
    await this.#init();
    const raw = await readJsonFile(this.#tokenFile(id));
    return raw === undefined ? undefined : asTokenRecord(raw);
  }

  async #requireAccount(name: string): Promise<AccountRecord> {
    const rec = await this.#readAccount(name);
    if (!rec) throw new OhwError('NOT_FOUND', `account ${JSON.stringify(name)} not found`);
    return rec;
  }

  async #insertAccount(rec: AccountRecord): Promise<void> {
    await this.#init();
    const created = await createFileExclusive(this.#accountFile(rec.name), `${JSON.stringify(rec, null, 2)}\n`);
    if (!created) throw new OhwError('NAME_TAKEN', `the account name "${rec.name}" is taken`);
  }

  async create(input: { name: string; email: string; password: string; roles?: Role[] }): Promise<Account> {
    const name = typeof input.name === 'string' ? lowerAscii(input.name) : '';
    const reason = checkNameSegment(name, 'account name');
    if (reason !== null) throw new OhwError('INVALID_REQUEST', reason);
    const email = checkEmail(input.email);
    checkPasswordPolicy(input.password, { name, email });
    const roles = normalizeRoles(input.roles ?? []);
    // Cheap early answer; the exclusive create below is what decides a race.
    if (await this.#readAccount(name)) throw new OhwError('NAME_TAKEN', `the account name "${name}" is taken`);
    const rec: AccountRecord = {
      name, email, roles, createdAt: this.#now().toISOString(), passwordHash: await hashPassword(input.password),
    };
    await this.#insertAccount(rec);
    return toAccount(rec);
  }

  async get(name: string): Promise<Account | undefined> {
    const rec = await this.#readAccount(name);
    return rec && toAccount(rec);
  }

  async verifyPassword(name: string, password: string): Promise<Account | undefined> {
    // Independent of the account, so answering early reveals nothing about it.
    if (!isPlausiblePassword(password)) return undefined;
    const rec = await this.#readAccount(name);
    const stored = rec && rec.passwordHash !== NO_PASSWORD ? rec.passwordHash : undefined;
    const { ok, needsRehash } = await verifyPasswordHash(password, stored);
    if (!ok || !rec) return undefined;
    if (needsRehash) await this.#rehash(rec.name, password).catch(() => {}); // best effort; login still succeeds
    return toAccount(rec);
  }

  async #rehash(name: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.#locks.run(this.#accountFile(name), async () => {
      const rec = await this.#readAccount(name);
      if (!rec) return;
      await writeFileAtomic(this.#accountFile(name), `${JSON.stringify({ ...rec, passwordHash }, null, 2)}\n`);
    });
  }

  async setRoles(name: string, roles: Role[]): Promise<Account> {
    const normalized = normalizeRoles(roles);
    const n = lookupName(name);
    if (n === undefined) throw new OhwError('NOT_FOUND', `account ${JSON.stringify(name)} not found`);
    return this.#locks.run(this.#accountFile(n), async () => {
      const rec = await this.#requireAccount(n);
      const next: AccountRecord = { ...rec, roles: normalized };
      await writeFileAtomic(this.#accountFile(n), `${JSON.stringify(next, null, 2)}\n`);
      return toAccount(next);
    });
  }

  async issueToken(account: string, input: { name: string; scopes: Scope[] }): Promise<{ token: string; info: TokenInfo }> {
    const rec = await this.#requireAccount(account);
    const name = checkTokenName(input.name);
    const scopes = this.#checkScopes(rec, input.scopes);
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomBytes(8).toString('hex');
      const token = `ohw_${id}_${randomBytes(32).toString('base64url')}`;
      const record: TokenRecord = { id, account: rec.name, name, scopes, createdAt: this.#now().toISOString(), hash: tokenHash(token) };
      if (await createFileExclusive(this.#tokenFile(id), `${JSON.stringify(record, null, 2)}\n`)) {
        return { token, info: toInfo(record) };
      }
    }
    throw new OhwError('INTERNAL', 'could not allocate a token id');
  }

  #checkScopes(rec: AccountRecord, scopes: unknown): Scope[] {
    if (!Array.isArray(scopes) || scopes.length === 0) {
      throw new OhwError('INVALID_REQUEST', `scopes must be a non-empty list of: ${SCOPES.join(', ')}`);
    }
    const unknown = scopes.find((s) => !SCOPES.includes(s as Scope));
    if (unknown !== undefined) {
      throw new OhwError('INVALID_REQUEST', `unknown scope ${JSON.stringify(unknown)}; scopes are: ${SCOPES.join(', ')}`);
    }
    const allowed = allowedScopes(rec.roles);
    if (scopes.includes('admin') && !allowed.includes('admin')) {
      throw new OhwError('FORBIDDEN', `the "admin" scope needs the admin role, which account "${rec.name}" does not have`);
    }
    if (scopes.includes('review') && !allowed.includes('review')) {
      throw new OhwError('FORBIDDEN', `the "review" scope needs the reviewer role (granted by an admin), which account "${rec.name}" does not have`);
    }
    return SCOPES.filter((s) => scopes.includes(s));
  }

  async authenticate(token: string): Promise<{ account: Account; token: TokenInfo } | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const m = TOKEN_PATTERN.exec(token);
    // A token of another shape can only be OHW_ADMIN_TOKEN; an ohw_ token whose record does not
    // match might be too (an operator may pick any string).
    const candidates = m ? [m[1]!, ADMIN_ENV_TOKEN_ID] : [ADMIN_ENV_TOKEN_ID];
    for (const id of candidates) {
      const rec = await this.#readToken(id);
      if (!rec || !hashMatches(token, rec.hash)) continue;
      if (rec.revokedAt !== undefined) return undefined;
      const account = await this.#readAccount(rec.account);
      if (!account) return undefined;
      const allowed = allowedScopes(account.roles);
      return { account: toAccount(account), token: toInfo(rec, rec.scopes.filter((s) => allowed.includes(s))) };
    }
    return undefined;
  }

  async revokeToken(account: string, id: string): Promise<void> {
    const owner = lookupName(account);
    const notFound = () => new OhwError('NOT_FOUND', `token ${JSON.stringify(id)} not found`);
    if (owner === undefined || typeof id !== 'string' || !TOKEN_ID_PATTERN.test(id)) throw notFound();
    await this.#locks.run(this.#tokenFile(id), async () => {
      const rec = await this.#readToken(id);
      // Someone else's token answers exactly like a missing one.
      if (!rec || rec.account !== owner) throw notFound();
      if (rec.revokedAt !== undefined) return;
      await writeFileAtomic(this.#tokenFile(id), `${JSON.stringify({ ...rec, revokedAt: this.#now().toISOString() }, null, 2)}\n`);
    });
  }

  /** The account's tokens, revoked ones included, oldest first; scopes as issued. */
  async listTokens(account: string): Promise<TokenInfo[]> {
    const rec = await this.#requireAccount(account);
    return (await this.#allTokens()).filter((t) => t.account === rec.name).map((t) => toInfo(t));
  }

  async #allTokens(): Promise<TokenRecord[]> {
    await this.#init();
    const out: TokenRecord[] = [];
    for (const entry of await fs.readdir(this.tokensDir, { withFileTypes: true })) {
      if (!entry.isFile() || isTempName(entry.name) || !entry.name.endsWith('.json')) continue;
      const rec = await this.#readToken(entry.name.slice(0, -'.json'.length));
      if (rec) out.push(rec);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  // ---- bootstrap (ensureAdmin); not part of the AccountStore port ----

  /** Make sure account `admin` exists and has the admin role; it has no password (tokens only). */
  async ensureBootstrapAdmin(): Promise<Account> {
    return this.#locks.run(this.#accountFile(BOOTSTRAP_ADMIN), async () => {
      let rec = await this.#readAccount(BOOTSTRAP_ADMIN);
      if (!rec) {
        rec = { name: BOOTSTRAP_ADMIN, email: 'admin@localhost', roles: ['admin'], createdAt: this.#now().toISOString(), passwordHash: NO_PASSWORD };
        try {
          await this.#insertAccount(rec);
        } catch (e) {
          if (!(e instanceof OhwError && e.code === 'NAME_TAKEN')) throw e;
          rec = await this.#requireAccount(BOOTSTRAP_ADMIN);
        }
      }
      if (!rec.roles.includes('admin')) {
        rec = { ...rec, roles: normalizeRoles([...rec.roles, 'admin']) };
        await writeFileAtomic(this.#accountFile(BOOTSTRAP_ADMIN), `${JSON.stringify(rec, null, 2)}\n`);
      }
      return toAccount(rec);
    });
  }

  /**
   * Make `token` (any string) authenticate as `admin` with every scope, under ADMIN_ENV_TOKEN_ID,
   * replacing whatever was there. 'unchanged' when it already did.
   */
  async installEnvAdminToken(token: string): Promise<'installed' | 'unchanged'> {
    await this.ensureBootstrapAdmin();
    return this.#locks.run(this.#tokenFile(ADMIN_ENV_TOKEN_ID), async () => {
      const cur = await this.#readToken(ADMIN_ENV_TOKEN_ID);
      if (cur && cur.account === BOOTSTRAP_ADMIN && cur.revokedAt === undefined && hashMatches(token, cur.hash)
        && SCOPES.every((s) => cur.scopes.includes(s))) {
        return 'unchanged';
      }
      const rec: TokenRecord = {
        id: ADMIN_ENV_TOKEN_ID, account: BOOTSTRAP_ADMIN, name: 'OHW_ADMIN_TOKEN', scopes: [...SCOPES],
        createdAt: this.#now().toISOString(), hash: tokenHash(token),
      };
      await writeFileAtomic(this.#tokenFile(ADMIN_ENV_TOKEN_ID), `${JSON.stringify(rec, null, 2)}\n`);
      return 'installed';
    });
  }

  /** Revoke the OHW_ADMIN_TOKEN token if there is a live one; true when it was revoked now. */
  async revokeEnvAdminToken(): Promise<boolean> {
    return this.#locks.run(this.#tokenFile(ADMIN_ENV_TOKEN_ID), async () => {
      const cur = await this.#readToken(ADMIN_ENV_TOKEN_ID);
      if (!cur || cur.revokedAt !== undefined) return false;
      await writeFileAtomic(this.#tokenFile(ADMIN_ENV_TOKEN_ID), `${JSON.stringify({ ...cur, revokedAt: this.#now().toISOString() }, null, 2)}\n`);
      return true;
    });
  }

  /** Whether some live token carries the admin scope of an account that still has the admin role. */
  async hasUsableAdminToken(): Promise<boolean> {
    for (const t of await this.#allTokens()) {
      if (t.revokedAt !== undefined || !t.scopes.includes('admin')) continue;
      const account = await this.#readAccount(t.account);
      if (account?.roles.includes('admin')) return true;
    }
    return false;
  }
}

export interface EnsureAdminOptions {
  dataDir: string;
  /** OHW_ADMIN_TOKEN, when set. */
  adminToken?: string;
  log: (line: string) => void;
}

export type EnsureAdminResult =
  | { source: 'env'; account: string; changed: boolean }
  | { source: 'file'; account: string; tokenFile: string; changed: boolean }
  | { source: 'existing' };

export const ADMIN_TOKEN_MIN_LENGTH = 16;

/**
 * The first admin (SPEC §6), run at every start.
 *
 * With OHW_ADMIN_TOKEN: account `admin` exists with the admin role, and exactly that token
 * authenticates as it with every scope (its hash kept under token id `admin-env`; a changed value
 * replaces the old one, a revoked one is restored). It must be ≥ 16 characters without whitespace.
 *
 * Without it: a live `admin-env` token left from an earlier start is revoked (the environment is
 * its source of truth; removing the variable must disable it). Then, if no live admin token exists
 * at all — first start, or every admin token revoked — account `admin` is ensured, a token is
 * issued and written to `$dataDir/admin-token` (0600), and one line says where. While any admin
 * token works (the file's included, or one copied before the file was deleted), nothing changes.
 */
export async function ensureAdmin(accounts: AccountStore, opts: EnsureAdminOptions): Promise<EnsureAdminResult> {
  // Typed as the port so the composition root can hand over `deps.accounts`; the bootstrap needs
  // what the port does not offer (a password-less reserved account, a token under a fixed id).
  if (!(accounts instanceof FsAccountStore)) throw new Error('ensureAdmin needs the filesystem account store (FsAccountStore)');
  const store = accounts;
  if (opts.adminToken !== undefined) {
    const t = opts.adminToken;
    if (t.length < ADMIN_TOKEN_MIN_LENGTH || t.length > MAX_TOKEN_LENGTH || /\s|\p{Cc}/u.test(t)) {
      throw new OhwError('INVALID_REQUEST',
        `OHW_ADMIN_TOKEN must be ${ADMIN_TOKEN_MIN_LENGTH}–${MAX_TOKEN_LENGTH} characters without whitespace (e.g. \`openssl rand -base64 32\`)`);
    }
    const result = await store.installEnvAdminToken(t);
    if (result === 'installed') opts.log(`admin token from OHW_ADMIN_TOKEN installed for account "${BOOTSTRAP_ADMIN}"`);
    return { source: 'env', account: BOOTSTRAP_ADMIN, changed: result === 'installed' };
  }

  if (await store.revokeEnvAdminToken()) opts.log('OHW_ADMIN_TOKEN is no longer set: its admin token was revoked');
  const tokenFile = path.join(path.resolve(opts.dataDir), 'admin-token');
  if (await store.hasUsableAdminToken()) {
    return (await fileTokenWorks(store, tokenFile))
      ? { source: 'file', account: BOOTSTRAP_ADMIN, tokenFile, changed: false }
      : { source: 'existing' };
  }
  await store.ensureBootstrapAdmin();
  const { token } = await store.issueToken(BOOTSTRAP_ADMIN, { name: 'generated admin token', scopes: [...SCOPES] });
  await fs.mkdir(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  await writeFileAtomic(tokenFile, `${token}\n`);
  opts.log(`admin token written to ${tokenFile}`);
  return { source: 'file', account: BOOTSTRAP_ADMIN, tokenFile, changed: true };
}

async function fileTokenWorks(store: FsAccountStore, file: string): Promise<boolean> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return false;
  }
  const found = await store.authenticate(text.trim());
  return !!found && found.account.roles.includes('admin') && found.token.scopes.includes('admin');
}
