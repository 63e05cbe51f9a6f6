import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Records the cost parameters of every scrypt call, so work can be compared without a clock. */
const scryptCalls: Array<{ N?: number; r?: number; p?: number; keylen: number }> = vi.hoisted(() => []);
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const scrypt = (...args: unknown[]) => {
    const opts = (typeof args[3] === 'object' ? args[3] : {}) as { N?: number; r?: number; p?: number };
    scryptCalls.push({ N: opts.N, r: opts.r, p: opts.p, keylen: args[2] as number });
    return (real.scrypt as (...a: unknown[]) => void)(...args);
  };
  return { ...real, default: { ...real, scrypt }, scrypt };
});
import { OhwError } from '../../../schema/errors.ts';
import { ADMIN_ENV_TOKEN_ID } from '../../../server/store/accounts/rules.ts';
import { ensureAdmin } from '../../../server/store/accounts/ensure-admin.ts';
import { SqlAccountStore } from '../../../server/store/sql/account-store.ts';
import { databasePath, openDatabase, type Database } from '../../../server/store/sql/database.ts';
import { migrate } from '../../../server/store/sql/migrate.ts';
import { hashPassword } from '../../../server/store/accounts/password.ts';

const PASSWORD = 'correct horse battery staple';

let dataDir: string;
let store: SqlAccountStore;
let opened: Database[] = [];

/** A connection to the data dir's database (the same file for every call, as two processes would see it). */
async function connect(): Promise<Database> {
  const db = openDatabase(databasePath(dataDir));
  await migrate(db);
  opened.push(db);
  return db;
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ohw-accounts-'));
  store = new SqlAccountStore({ db: await connect() });
});

afterEach(async () => {
  for (const db of opened) await db.close();
  opened = [];
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** One row, read straight from the database file. */
async function row(table: 'accounts' | 'tokens', key: string, value: string): Promise<Record<string, unknown>> {
  const db = opened[0]!;
  return db.sqlite.prepare(`select * from ${table} where ${key} = ?`).get(value) as Record<string, unknown>;
}

async function refusal(p: Promise<unknown>): Promise<OhwError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OhwError);
    return e as OhwError;
  }
  throw new Error('expected a refusal, got none');
}

/** Every file under `dir`, recursively. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(p, ...(await walk(p)));
    else out.push(p);
  }
  return out;
}

const alice = { name: 'alice', email: 'alice@example.org', password: PASSWORD };

describe('accounts', () => {
  it('creates an account and reads it back without any secret', async () => {
    const created = await store.create(alice);
    expect(created).toEqual({ name: 'alice', email: 'alice@example.org', roles: [], createdAt: expect.any(String) });
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    expect(await store.get('alice')).toEqual(created);
  });

  it('lowercases names: stored lowercase, found in any case', async () => {
    const created = await store.create({ ...alice, name: 'Alice' });
    expect(created.name).toBe('alice');
    expect(await store.get('ALICE')).toEqual(created);
    expect((await row('accounts', 'name', 'alice')).name).toBe('alice');
  });

  it('answers undefined for unknown and impossible names', async () => {
    expect(await store.get('nobody-here')).toBeUndefined();
    expect(await store.get('../accounts/alice')).toBeUndefined();
    expect(await store.get('')).toBeUndefined();
  });

  it('keeps roles given at creation', async () => {
    const a = await store.create({ ...alice, roles: ['reviewer', 'reviewer'] });
    expect(a.roles).toEqual(['reviewer']);
  });

  it('refuses a name taken, in any case, with NAME_TAKEN', async () => {
    await store.create(alice);
    for (const name of ['alice', 'ALICE', 'Alice']) {
      const e = await refusal(store.create({ ...alice, name }));
      expect(e.code).toBe('NAME_TAKEN');
      expect(e.message).toBe('the account name "alice" is taken');
    }
  });

  it('refuses a look-alike of an existing account name (0se next to ose, rnaker next to maker) with NAME_TOO_SIMILAR, storing nothing', async () => {
    await store.create({ ...alice, name: 'ose' });
    await store.create({ ...alice, name: 'maker', email: 'maker@example.org' });
    for (const [name, similar] of [['0se', 'ose'], ['rnaker', 'maker']] as const) {
      const e = await refusal(store.create({ ...alice, name, email: `${name}@example.org` }));
      expect(e.code).toBe('NAME_TOO_SIMILAR');
      expect(e.message).toContain(`"${similar}"`);
      expect(await store.get(name)).toBeUndefined();
    }
    expect((await store.create({ ...alice, name: 'osprey', email: 'o@example.org' })).name).toBe('osprey');
  });

  it('lets exactly one of many concurrent creates win, across two connections', async () => {
    const other = new SqlAccountStore({ db: await connect() });
    const attempts = Array.from({ length: 8 }, (_, i) =>
      (i % 2 ? other : store).create({ name: i % 3 ? 'bob' : 'BOB', email: `bob${i}@example.org`, password: PASSWORD }),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const r of lost) expect((r.reason as OhwError).code).toBe('NAME_TAKEN');
    const winner = (won[0] as PromiseFulfilledResult<{ email: string }>).value;
    expect((await store.get('bob'))?.email).toBe(winner.email);
    expect(await store.verifyPassword('bob', PASSWORD)).toBeDefined();
  });

  describe('refusals on create', () => {
    it.each([
      ['bad_name', 'account name must be lowercase letters, digits and single hyphens; "_" is not allowed'],
      ['-bob', 'account name must not start or end with a hyphen'],
      ['', 'account name must not be empty'],
      ['admin', 'account name "admin" is reserved'],
      ['Admin', 'account name "admin" is reserved'],
      ['adm1n', 'account name "adm1n" is too similar to the reserved word "admin"'],
      ['\u212Aate', 'account name must be lowercase letters, digits and single hyphens; "\u212A" is not allowed'],
    ])('refuses the name %j', async (name, message) => {
      const e = await refusal(store.create({ ...alice, name }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe(message);
    });

    it.each(['not-an-email', 'a@b', 'a b@example.org', '@example.org', 'alice@', `${'a'.repeat(250)}@example.org`])(
      'refuses the email %j',
      async (email) => {
        const e = await refusal(store.create({ ...alice, email }));
        expect(e.code).toBe('INVALID_REQUEST');
        expect(e.message).toBe('email must look like name@example.org (at most 254 characters)');
      },
    );

    it('refuses a password shorter than 10 characters', async () => {
      const e = await refusal(store.create({ ...alice, password: 'short-pw1' }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('password must be at least 10 characters (it has 9)');
    });

    it('accepts exactly 10 and 1024 characters, refuses 1025', async () => {
      await store.create({ ...alice, password: 'x'.repeat(10) });
      await store.create({ ...alice, name: 'alice2', password: 'y'.repeat(1024) });
      const e = await refusal(store.create({ ...alice, name: 'alice3', password: 'z'.repeat(1025) }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('password must be at most 1024 characters (it has 1025)');
    });

    it('counts characters, not UTF-16 units', async () => {
      const e = await refusal(store.create({ ...alice, password: '🔧'.repeat(9) }));
      expect(e.message).toBe('password must be at least 10 characters (it has 9)');
    });

    it('refuses the account name or the email as password', async () => {
      const e = await refusal(store.create({ ...alice, name: 'alice-longname', password: 'Alice-Longname' }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('password must not be the account name or the email address');
      const e2 = await refusal(store.create({ ...alice, password: 'alice@example.org' }));
      expect(e2.message).toBe('password must not be the account name or the email address');
    });

    it('refuses unknown roles', async () => {
      const e = await refusal(store.create({ ...alice, roles: ['wizard' as never] }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('unknown role "wizard"; roles are: reviewer, admin');
    });

    it('leaves nothing on disk after a refusal', async () => {
      await refusal(store.create({ ...alice, password: 'short' }));
      expect(await store.get('alice')).toBeUndefined();
    });
  });

  describe('verifyPassword', () => {
    beforeEach(async () => {
      await store.create(alice);
    });

    it('returns the account for the right password, in any name case', async () => {
      expect(await store.verifyPassword('alice', PASSWORD)).toMatchObject({ name: 'alice', email: 'alice@example.org' });
      expect(await store.verifyPassword('ALICE', PASSWORD)).toMatchObject({ name: 'alice' });
    });

    it('returns undefined for a wrong password, an unknown account and an impossible name', async () => {
      expect(await store.verifyPassword('alice', `${PASSWORD}!`)).toBeUndefined();
      expect(await store.verifyPassword('alice', '')).toBeUndefined();
      expect(await store.verifyPassword('mallory', PASSWORD)).toBeUndefined();
      expect(await store.verifyPassword('../../etc/passwd', PASSWORD)).toBeUndefined();
      expect(await store.verifyPassword('alice', 'x'.repeat(100_000))).toBeUndefined();
    });

    it('treats canonically equivalent Unicode passwords alike (NFKC)', async () => {
      await store.create({ ...alice, name: 'bob', password: 'caf\u00e9-password' });
      expect(await store.verifyPassword('bob', 'cafe\u0301-password')).toBeDefined();
    });

    it('spends the same scrypt work on an unknown account as on a wrong password', async () => {
      // Counted, not timed: an unknown name must cost one full scrypt like a wrong password does.
      scryptCalls.length = 0;
      await store.verifyPassword('alice', 'wrong password!');
      const wrong = [...scryptCalls];
      scryptCalls.length = 0;
      await store.verifyPassword('mallory', 'wrong password!');
      expect(wrong).toHaveLength(1);
      expect(scryptCalls).toEqual(wrong);
    });

    it('stores the password as scrypt$N$r$p$salt$hash with N=2^14', async () => {
      const rec = await row('accounts', 'name', 'alice');
      expect(rec.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    });

    it('rehashes a password stored with older parameters at the next login', async () => {
      const weak = await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
      opened[0]!.sqlite.prepare('update accounts set password_hash = ? where name = ?').run(weak, 'alice');
      expect(await store.verifyPassword('alice', PASSWORD)).toBeDefined();
      expect((await row('accounts', 'name', 'alice')).password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(await store.verifyPassword('alice', PASSWORD)).toBeDefined();
    });
  });

  describe('setRoles', () => {
    it('replaces the roles and returns the account', async () => {
      await store.create(alice);
      expect((await store.setRoles('Alice', ['admin', 'reviewer'])).roles).toEqual(['reviewer', 'admin']);
      expect((await store.get('alice'))?.roles).toEqual(['reviewer', 'admin']);
      expect((await store.setRoles('alice', [])).roles).toEqual([]);
    });

    it('refuses an unknown account with NOT_FOUND', async () => {
      const e = await refusal(store.setRoles('ghost', ['reviewer']));
      expect(e.code).toBe('NOT_FOUND');
      expect(e.message).toBe('account "ghost" not found');
    });

    it('refuses an unknown role with INVALID_REQUEST', async () => {
      await store.create(alice);
      const e = await refusal(store.setRoles('alice', ['owner' as never]));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('unknown role "owner"; roles are: reviewer, admin');
    });
  });
});

describe('tokens', () => {
  beforeEach(async () => {
    await store.create(alice);
    await store.create({ name: 'bob', email: 'bob@example.org', password: PASSWORD });
  });

  it('issues ohw_<id>_<secret> tokens whose id is the public TokenInfo id', async () => {
    const { token, info } = await store.issueToken('alice', { name: 'laptop', scopes: ['publish'] });
    expect(token).toMatch(/^ohw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(token.split('_')[1]).toBe(info.id);
    expect(info).toEqual({ id: info.id, name: 'laptop', scopes: ['publish'], createdAt: expect.any(String) });
  });

  it('authenticates an issued token as its account', async () => {
    const { token, info } = await store.issueToken('ALICE', { name: 'laptop', scopes: ['publish'] });
    const found = await store.authenticate(token);
    expect(found?.account).toMatchObject({ name: 'alice', email: 'alice@example.org', roles: [] });
    expect(found?.token).toEqual(info);
  });

  it('gives each token a distinct id and secret', async () => {
    const a = await store.issueToken('alice', { name: 'one', scopes: ['publish'] });
    const b = await store.issueToken('alice', { name: 'two', scopes: ['publish'] });
    expect(a.info.id).not.toBe(b.info.id);
    expect(a.token).not.toBe(b.token);
  });

  it('returns undefined for unknown, malformed and tampered tokens', async () => {
    const { token } = await store.issueToken('alice', { name: 'laptop', scopes: ['publish'] });
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const [, id, secret] = /^ohw_([0-9a-f]{16})_(.+)$/.exec(token)!;
    const otherId = id!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const bad of [
      `${token.slice(0, -1)}${last}`, // secret changed
      `ohw_${otherId}_${secret}`, // id changed
      `${token}x`,
      token.slice(0, -1),
      token.toUpperCase(),
      `ohw_${id}_`,
      'ohw_',
      '',
      'Bearer',
      `ohw_../../accounts/alice_${secret}`,
      'x'.repeat(100_000),
    ]) {
      expect(await store.authenticate(bad), bad.slice(0, 60)).toBeUndefined();
    }
    expect(await store.authenticate(token)).toBeDefined();
  });

  it('stops authenticating a revoked token and lists it as revoked', async () => {
    const { token, info } = await store.issueToken('alice', { name: 'laptop', scopes: ['publish'] });
    await store.revokeToken('alice', info.id);
    expect(await store.authenticate(token)).toBeUndefined();
    const listed = await store.listTokens('alice');
    expect(listed).toEqual([{ ...info, revokedAt: expect.any(String) }]);
    await store.revokeToken('alice', info.id); // again: no-op
    expect((await store.listTokens('alice'))[0]?.revokedAt).toBe(listed[0]?.revokedAt);
  });

  it("refuses to revoke someone else's token or an unknown one with NOT_FOUND", async () => {
    const { token, info } = await store.issueToken('alice', { name: 'laptop', scopes: ['publish'] });
    for (const [who, id] of [['bob', info.id], ['alice', '0123456789abcdef'], ['alice', '../alice'], ['ghost', info.id]] as const) {
      const e = await refusal(store.revokeToken(who, id));
      expect(e.code).toBe('NOT_FOUND');
      expect(e.message).toBe(`token ${JSON.stringify(id)} not found`);
    }
    expect(await store.authenticate(token)).toBeDefined();
  });

  it('lists only the account\'s own tokens, oldest first', async () => {
    let t = 0;
    const timed = new SqlAccountStore({ db: await connect(), now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, t++)) });
    const a1 = await timed.issueToken('alice', { name: 'one', scopes: ['publish'] });
    await timed.issueToken('bob', { name: 'bobs', scopes: ['publish'] });
    const a2 = await timed.issueToken('alice', { name: 'two', scopes: ['publish'] });
    expect((await timed.listTokens('alice')).map((i) => i.name)).toEqual(['one', 'two']);
    expect((await timed.listTokens('alice')).map((i) => i.id)).toEqual([a1.info.id, a2.info.id]);
    expect(await timed.listTokens('bob')).toHaveLength(1);
  });

  it('refuses tokens for and lists of an unknown account with NOT_FOUND', async () => {
    const e = await refusal(store.issueToken('ghost', { name: 'x', scopes: ['publish'] }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('account "ghost" not found');
    expect((await refusal(store.listTokens('ghost'))).code).toBe('NOT_FOUND');
  });

  it('refuses an empty or overlong token name', async () => {
    for (const name of ['', '   ', 'x'.repeat(101), 'a\nb']) {
      const e = await refusal(store.issueToken('alice', { name, scopes: ['publish'] }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('token name must be 1–100 characters without control characters');
    }
  });

  describe('scopes', () => {
    it('refuses an empty scope list and unknown scopes with INVALID_REQUEST', async () => {
      const e = await refusal(store.issueToken('alice', { name: 'x', scopes: [] }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('scopes must be a non-empty list of: publish, review, admin');
      const e2 = await refusal(store.issueToken('alice', { name: 'x', scopes: ['publish', 'root' as never] }));
      expect(e2.code).toBe('INVALID_REQUEST');
      expect(e2.message).toBe('unknown scope "root"; scopes are: publish, review, admin');
    });

    it('refuses the admin scope without the admin role with FORBIDDEN', async () => {
      const e = await refusal(store.issueToken('alice', { name: 'x', scopes: ['publish', 'admin'] }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.message).toBe('the "admin" scope needs the admin role, which account "alice" does not have');
    });

    it('refuses the review scope without the reviewer role with FORBIDDEN', async () => {
      const e = await refusal(store.issueToken('alice', { name: 'x', scopes: ['review'] }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.message).toBe('the "review" scope needs the reviewer role (granted by an admin), which account "alice" does not have');
    });

    it('grants review to reviewers, and review and admin to admins', async () => {
      await store.setRoles('alice', ['reviewer']);
      const r = await store.issueToken('alice', { name: 'x', scopes: ['review', 'publish', 'review'] });
      expect(r.info.scopes).toEqual(['publish', 'review']);
      await store.setRoles('bob', ['admin']);
      const a = await store.issueToken('bob', { name: 'x', scopes: ['admin', 'review'] });
      expect((await store.authenticate(a.token))?.token.scopes).toEqual(['review', 'admin']);
    });

    it('drops scopes at authentication once the role that allowed them is gone', async () => {
      await store.setRoles('bob', ['admin']);
      const { token } = await store.issueToken('bob', { name: 'x', scopes: ['publish', 'review', 'admin'] });
      await store.setRoles('bob', []);
      const found = await store.authenticate(token);
      expect(found?.account.roles).toEqual([]);
      expect(found?.token.scopes).toEqual(['publish']);
      expect((await store.listTokens('bob'))[0]?.scopes).toEqual(['publish', 'review', 'admin']);
    });
  });
});

describe('in the database file', () => {
  it('holds no plaintext password or token, only hashes', async () => {
    const password = 'a very distinctive passphrase 42';
    await store.create({ name: 'carol', email: 'carol@example.org', password });
    const { token, info } = await store.issueToken('carol', { name: 'ci', scopes: ['publish'] });
    const secret = token.split('_').slice(2).join('_');
    opened[0]!.sqlite.pragma('wal_checkpoint(FULL)');
    const files = (await walk(dataDir)).filter((f) => !f.endsWith('/'));
    expect(files.some((f) => f.endsWith('ohw.db'))).toBe(true);
    for (const f of files) {
      if ((await fs.stat(f)).isDirectory()) continue;
      const bytes = await fs.readFile(f);
      for (const needle of [password, token, secret, Buffer.from(password).toString('base64')]) {
        expect(bytes.includes(Buffer.from(needle)), `${f} contains a secret`).toBe(false);
      }
    }
    expect(await row('tokens', 'id', info.id)).toEqual({
      id: info.id, account: 'carol', name: 'ci', scopes: 'publish', created_at: info.createdAt, revoked_at: null,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
  });

  it('is readable by its owner only (0600)', async () => {
    await store.create(alice);
    expect((await fs.stat(databasePath(dataDir))).mode & 0o777).toBe(0o600);
  });
});

describe('ensureAdmin', () => {
  const ENV_TOKEN = 'operator-chosen-admin-token-0123456789';

  function logger() {
    const lines: string[] = [];
    return { lines, log: (l: string) => void lines.push(l) };
  }

  describe('with OHW_ADMIN_TOKEN', () => {
    it('creates account admin and makes exactly that token authenticate with every scope', async () => {
      const { lines, log } = logger();
      const r = await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log });
      expect(r).toEqual({ source: 'env', account: 'admin', changed: true });
      expect(lines).toEqual(['admin token from OHW_ADMIN_TOKEN installed for account "admin"']);
      const found = await store.authenticate(ENV_TOKEN);
      expect(found?.account).toMatchObject({ name: 'admin', roles: ['admin'] });
      expect(found?.token).toMatchObject({ id: ADMIN_ENV_TOKEN_ID, scopes: ['publish', 'review', 'admin'] });
      expect(await store.authenticate(`${ENV_TOKEN}x`)).toBeUndefined();
      await expect(fs.access(path.join(dataDir, 'admin-token'))).rejects.toThrow();
      expect(JSON.stringify(await row('tokens', 'id', ADMIN_ENV_TOKEN_ID))).not.toContain(ENV_TOKEN);
    });

    it('gives the admin account no usable password', async () => {
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      expect(await store.verifyPassword('admin', '!')).toBeUndefined();
      expect(await store.verifyPassword('admin', '')).toBeUndefined();
    });

    it('is idempotent on restart', async () => {
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      const { lines, log } = logger();
      const again = await ensureAdmin(new SqlAccountStore({ db: await connect() }), { dataDir, adminToken: ENV_TOKEN, log });
      expect(again).toEqual({ source: 'env', account: 'admin', changed: false });
      expect(lines).toEqual([]);
      expect(await store.listTokens('admin')).toHaveLength(1);
    });

    it('replaces the token when the value changes', async () => {
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      const next = 'a-rotated-admin-token-abcdefghij';
      await ensureAdmin(store, { dataDir, adminToken: next, log: () => {} });
      expect(await store.authenticate(ENV_TOKEN)).toBeUndefined();
      expect((await store.authenticate(next))?.account.name).toBe('admin');
    });

    it('restores a revoked env token on restart, and an admin role taken away', async () => {
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      await store.revokeToken('admin', ADMIN_ENV_TOKEN_ID);
      await store.setRoles('admin', []);
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      expect((await store.authenticate(ENV_TOKEN))?.token.scopes).toEqual(['publish', 'review', 'admin']);
    });

    it('works with an operator token shaped like a generated one', async () => {
      const shaped = `ohw_0123456789abcdef_${'A'.repeat(43)}`;
      await ensureAdmin(store, { dataDir, adminToken: shaped, log: () => {} });
      expect((await store.authenticate(shaped))?.account.name).toBe('admin');
    });

    it('refuses a short token or one with whitespace', async () => {
      for (const adminToken of ['too-short', 'has whitespace in the middle']) {
        const e = await refusal(ensureAdmin(store, { dataDir, adminToken, log: () => {} }));
        expect(e.code).toBe('INVALID_REQUEST');
        expect(e.message).toBe('OHW_ADMIN_TOKEN must be 16–512 characters without whitespace (e.g. `openssl rand -base64 32`)');
      }
    });
  });

  describe('without OHW_ADMIN_TOKEN', () => {
    const tokenFile = () => path.join(dataDir, 'admin-token');

    it('generates an admin token into $dataDir/admin-token (0600) and says where in one line', async () => {
      const { lines, log } = logger();
      const r = await ensureAdmin(store, { dataDir, log });
      expect(r).toEqual({ source: 'file', account: 'admin', tokenFile: tokenFile(), changed: true });
      expect(lines).toEqual([`admin token written to ${tokenFile()}`]);
      expect((await fs.stat(tokenFile())).mode & 0o777).toBe(0o600);
      const token = (await fs.readFile(tokenFile(), 'utf8')).trim();
      const found = await store.authenticate(token);
      expect(found?.account).toMatchObject({ name: 'admin', roles: ['admin'] });
      expect(found?.token.scopes).toEqual(['publish', 'review', 'admin']);
    });

    it('is idempotent on restart: the same token, no log line', async () => {
      await ensureAdmin(store, { dataDir, log: () => {} });
      const before = await fs.readFile(tokenFile(), 'utf8');
      const { lines, log } = logger();
      const r = await ensureAdmin(new SqlAccountStore({ db: await connect() }), { dataDir, log });
      expect(r).toEqual({ source: 'file', account: 'admin', tokenFile: tokenFile(), changed: false });
      expect(lines).toEqual([]);
      expect(await fs.readFile(tokenFile(), 'utf8')).toBe(before);
      expect(await store.listTokens('admin')).toHaveLength(1);
    });

    it('does not regenerate after the file is deleted while its token still works', async () => {
      await ensureAdmin(store, { dataDir, log: () => {} });
      const token = (await fs.readFile(tokenFile(), 'utf8')).trim();
      await fs.rm(tokenFile());
      const { lines, log } = logger();
      expect(await ensureAdmin(store, { dataDir, log })).toEqual({ source: 'existing' });
      expect(lines).toEqual([]);
      await expect(fs.access(tokenFile())).rejects.toThrow();
      expect(await store.authenticate(token)).toBeDefined();
    });

    it('generates a new token when no admin token works any more', async () => {
      await ensureAdmin(store, { dataDir, log: () => {} });
      const old = (await fs.readFile(tokenFile(), 'utf8')).trim();
      const found = await store.authenticate(old);
      await store.revokeToken('admin', found!.token.id);
      const { lines, log } = logger();
      await ensureAdmin(store, { dataDir, log });
      expect(lines).toEqual([`admin token written to ${tokenFile()}`]);
      const fresh = (await fs.readFile(tokenFile(), 'utf8')).trim();
      expect(fresh).not.toBe(old);
      expect((await store.authenticate(fresh))?.token.scopes).toContain('admin');
    });

    it('revokes the env token once OHW_ADMIN_TOKEN is unset, then falls back to the file', async () => {
      await ensureAdmin(store, { dataDir, adminToken: ENV_TOKEN, log: () => {} });
      const { lines, log } = logger();
      await ensureAdmin(store, { dataDir, log });
      expect(lines).toEqual([
        'OHW_ADMIN_TOKEN is no longer set: its admin token was revoked',
        `admin token written to ${tokenFile()}`,
      ]);
      expect(await store.authenticate(ENV_TOKEN)).toBeUndefined();
      expect(await store.authenticate((await fs.readFile(tokenFile(), 'utf8')).trim())).toBeDefined();
    });
  });
});
