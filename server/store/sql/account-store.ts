/**
 * AccountStore in the operational database. Passwords are scrypt hashes (accounts/password.ts),
 * tokens are stored as SHA-256 only (accounts/rules.ts). Uniqueness is the database's: of two
 * racing registrations of one name, the primary key lets exactly one in.
 */
import { OhwError } from '../../../schema/errors.ts';
import { assertAccountNameDistinct, checkNameSegment, similarityKey } from '../../../schema/names.ts';
import {
  NO_PASSWORD, checkPasswordPolicy, hashPassword, isPlausiblePassword, verifyPasswordHash,
} from '../accounts/password.ts';
import {
  ADMIN_ENV_TOKEN_ID, BOOTSTRAP_ADMIN, MAX_TOKEN_LENGTH, ROLES, SCOPES, TOKEN_ID_PATTERN, TOKEN_PATTERN,
  allowedScopes, checkEmail, checkScopes, checkTokenName, hashMatches, lookupName, lowerAscii, newToken,
  normalizeRoles, tokenHash,
} from '../accounts/rules.ts';
import type { AdminBootstrap } from '../accounts/ensure-admin.ts';
import type { Account, AccountStore, Role, Scope, TokenInfo } from '../ports.ts';
import type { Database } from './database.ts';
import { isUniqueViolation } from './errors.ts';

type TokenRow = { id: string; account: string; name: string; scopes: string; hash: string; created_at: string; revoked_at: string | null };

const parseScopes = (s: string): Scope[] => s.split(' ').filter((x): x is Scope => SCOPES.includes(x as Scope));

function toInfo(r: TokenRow, scopes: Scope[] = parseScopes(r.scopes)): TokenInfo {
  const info: TokenInfo = { id: r.id, name: r.name, scopes: [...scopes], createdAt: r.created_at };
  if (r.revoked_at !== null) info.revokedAt = r.revoked_at;
  return info;
}

export class SqlAccountStore implements AccountStore, AdminBootstrap {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(opts: { db: Database; now?: () => Date }) {
    this.#db = opts.db;
    this.#now = opts.now ?? (() => new Date());
  }

  get #k() { return this.#db.kysely; }

  async #account(name: unknown): Promise<(Account & { passwordHash: string }) | undefined> {
    const n = lookupName(name);
    if (n === undefined) return undefined;
    const row = await this.#k.selectFrom('accounts').selectAll().where('name', '=', n).executeTakeFirst();
    if (!row) return undefined;
    const roles = await this.#k.selectFrom('account_roles').select('role').where('account', '=', n).execute();
    return {
      name: row.name, email: row.email, createdAt: row.created_at, passwordHash: row.password_hash,
      roles: ROLES.filter((r) => roles.some((x) => x.role === r)),
    };
  }

  async #requireAccount(name: string) {
    const rec = await this.#account(name);
    if (!rec) throw new OhwError('NOT_FOUND', `account ${JSON.stringify(name)} not found`);
    return rec;
  }

  async create(input: { name: string; email: string; password: string; roles?: Role[] }): Promise<Account> {
    return (await this.#insertAccount(input)).account;
  }

  /** A new account and its first token, in one transaction: never an account without its token. */
  async register(input: { name: string; email: string; password: string }, token: { name: string; scopes: Scope[] }): Promise<{ account: Account; token: string; info: TokenInfo }> {
    const issued = await this.#insertAccount(input, token);
    return { account: issued.account, token: issued.token!.token, info: issued.token!.info };
  }

  async #insertAccount(input: { name: string; email: string; password: string; roles?: Role[] }, first?: { name: string; scopes: Scope[] }) {
    const name = typeof input.name === 'string' ? lowerAscii(input.name) : '';
    const reason = checkNameSegment(name, 'account name');
    if (reason !== null) throw new OhwError('INVALID_REQUEST', reason);
    const email = checkEmail(input.email);
    checkPasswordPolicy(input.password, { name, email });
    const roles = normalizeRoles(input.roles ?? []);
    const tokenName = first ? checkTokenName(first.name) : '';
    const scopes = first ? checkScopes({ name, roles }, first.scopes) : [];
    const taken = () => new OhwError('NAME_TAKEN', `the account name "${name}" is taken`);
    if (await this.#account(name)) throw taken();
    const account: Account = { name, email, roles, createdAt: this.#now().toISOString() };
    const passwordHash = await hashPassword(input.password);
    const issued = first ? newToken() : undefined;
    const row: TokenRow | undefined = issued && {
      id: issued.id, account: name, name: tokenName, scopes: scopes.join(' '), hash: tokenHash(issued.token), created_at: account.createdAt, revoked_at: null,
    };
    try {
      await this.#k.transaction().execute(async (trx) => {
        // Inside the transaction: of two look-alike registrations, the second sees the first.
        const alike = await trx.selectFrom('accounts').select('name').where('similarity_key', '=', similarityKey(name)).execute();
        assertAccountNameDistinct(name, alike.map((r) => r.name).filter((n) => n !== name));
        await trx.insertInto('accounts').values({ name, email, similarity_key: similarityKey(name), password_hash: passwordHash, created_at: account.createdAt }).execute();
        for (const role of roles) await trx.insertInto('account_roles').values({ account: name, role }).execute();
        if (row) await trx.insertInto('tokens').values(row).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e) && (await this.#account(name))) throw taken();
      throw e;
    }
    return { account, token: issued && row ? { token: issued.token, info: toInfo(row) } : undefined };
  }

  async get(name: string): Promise<Account | undefined> {
    const rec = await this.#account(name);
    if (!rec) return undefined;
    const { passwordHash: _, ...account } = rec;
    return account;
  }

  /** Every account name, for look-alike checks on registration. */
  async names(): Promise<string[]> {
    return (await this.#k.selectFrom('accounts').select('name').execute()).map((r) => r.name);
  }

  async verifyPassword(name: string, password: string): Promise<Account | undefined> {
    // Independent of the account, so answering early reveals nothing about it.
    if (!isPlausiblePassword(password)) return undefined;
    const rec = await this.#account(name);
    const stored = rec && rec.passwordHash !== NO_PASSWORD ? rec.passwordHash : undefined;
    const { ok, needsRehash } = await verifyPasswordHash(password, stored);
    if (!ok || !rec) return undefined;
    if (needsRehash) {
      // Best effort: the login succeeds either way.
      await hashPassword(password)
        .then((h) => this.#k.updateTable('accounts').set({ password_hash: h }).where('name', '=', rec.name).execute())
        .catch(() => {});
    }
    const { passwordHash: _, ...account } = rec;
    return account;
  }

  async setRoles(name: string, roles: Role[]): Promise<Account> {
    const normalized = normalizeRoles(roles);
    const rec = await this.#requireAccount(name);
    await this.#k.transaction().execute(async (trx) => {
      await trx.deleteFrom('account_roles').where('account', '=', rec.name).execute();
      for (const role of normalized) await trx.insertInto('account_roles').values({ account: rec.name, role }).execute();
    });
    return { name: rec.name, email: rec.email, roles: normalized, createdAt: rec.createdAt };
  }

  async issueToken(account: string, input: { name: string; scopes: Scope[] }): Promise<{ token: string; info: TokenInfo }> {
    const rec = await this.#requireAccount(account);
    const name = checkTokenName(input.name);
    const scopes = checkScopes(rec, input.scopes);
    for (let attempt = 0; attempt < 5; attempt++) {
      const { id, token } = newToken();
      const row: TokenRow = { id, account: rec.name, name, scopes: scopes.join(' '), hash: tokenHash(token), created_at: this.#now().toISOString(), revoked_at: null };
      try {
        await this.#k.insertInto('tokens').values(row).execute();
        return { token, info: toInfo(row) };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    throw new OhwError('INTERNAL', 'could not allocate a token id');
  }

  async authenticate(token: string): Promise<{ account: Account; token: TokenInfo } | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const m = TOKEN_PATTERN.exec(token);
    // A token of another shape can only be OHW_ADMIN_TOKEN; an ohw_ token whose record does not
    // match might be too (an operator may pick any string).
    const candidates = m ? [m[1]!, ADMIN_ENV_TOKEN_ID] : [ADMIN_ENV_TOKEN_ID];
    for (const id of candidates) {
      const row = await this.#k.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || !hashMatches(token, row.hash)) continue;
      if (row.revoked_at !== null) return undefined;
      const account = await this.get(row.account);
      if (!account) return undefined;
      const allowed = allowedScopes(account.roles);
      return { account, token: toInfo(row, parseScopes(row.scopes).filter((s) => allowed.includes(s))) };
    }
    return undefined;
  }

  async revokeToken(account: string, id: string): Promise<void> {
    const owner = lookupName(account);
    const notFound = () => new OhwError('NOT_FOUND', `token ${JSON.stringify(id)} not found`);
    if (owner === undefined || typeof id !== 'string' || !TOKEN_ID_PATTERN.test(id)) throw notFound();
    const row = await this.#k.selectFrom('tokens').select(['account', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    // Someone else's token answers exactly like a missing one.
    if (!row || row.account !== owner) throw notFound();
    if (row.revoked_at !== null) return;
    await this.#k.updateTable('tokens').set({ revoked_at: this.#now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  /** Revoke whichever live token this string is (a leaked token found in published content). */
  async revokeTokenString(token: string): Promise<{ account: string; id: string } | undefined> {
    const found = await this.authenticate(token);
    if (!found) return undefined;
    await this.revokeToken(found.account.name, found.token.id);
    return { account: found.account.name, id: found.token.id };
  }

  /** The account's tokens, revoked ones included, oldest first; scopes as issued. */
  async listTokens(account: string): Promise<TokenInfo[]> {
    const rec = await this.#requireAccount(account);
    const rows = await this.#k.selectFrom('tokens').selectAll().where('account', '=', rec.name).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => toInfo(r));
  }

  // ---- bootstrap (ensureAdmin) ----

  async ensureBootstrapAdmin(): Promise<void> {
    const now = this.#now().toISOString();
    await this.#k.transaction().execute(async (trx) => {
      await trx.insertInto('accounts').values({ name: BOOTSTRAP_ADMIN, email: 'admin@localhost', similarity_key: similarityKey(BOOTSTRAP_ADMIN), password_hash: NO_PASSWORD, created_at: now })
        .onConflict((oc) => oc.column('name').doNothing()).execute();
      await trx.insertInto('account_roles').values({ account: BOOTSTRAP_ADMIN, role: 'admin' })
        .onConflict((oc) => oc.columns(['account', 'role']).doNothing()).execute();
    });
  }

  async installEnvAdminToken(token: string): Promise<'installed' | 'unchanged'> {
    await this.ensureBootstrapAdmin();
    const cur = await this.#k.selectFrom('tokens').selectAll().where('id', '=', ADMIN_ENV_TOKEN_ID).executeTakeFirst();
    if (cur && cur.account === BOOTSTRAP_ADMIN && cur.revoked_at === null && hashMatches(token, cur.hash)
      && SCOPES.every((s) => parseScopes(cur.scopes).includes(s))) {
      return 'unchanged';
    }
    const row = { id: ADMIN_ENV_TOKEN_ID, account: BOOTSTRAP_ADMIN, name: 'OHW_ADMIN_TOKEN', scopes: SCOPES.join(' '), hash: tokenHash(token), created_at: this.#now().toISOString(), revoked_at: null };
    await this.#k.insertInto('tokens').values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ account: row.account, name: row.name, scopes: row.scopes, hash: row.hash, created_at: row.created_at, revoked_at: null }))
      .execute();
    return 'installed';
  }

  async revokeEnvAdminToken(): Promise<boolean> {
    const r = await this.#k.updateTable('tokens').set({ revoked_at: this.#now().toISOString() })
      .where('id', '=', ADMIN_ENV_TOKEN_ID).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async hasUsableAdminToken(): Promise<boolean> {
    const row = await this.#k.selectFrom('tokens')
      .innerJoin('account_roles', 'account_roles.account', 'tokens.account')
      .select('tokens.id')
      .where('tokens.revoked_at', 'is', null)
      .where('account_roles.role', '=', 'admin')
      .where('tokens.scopes', 'like', '%admin%')
      .executeTakeFirst();
    return row !== undefined;
  }
}
