/**
 * One-time move of the accounts written by the JSON-file store (before the database) into the
 * database: every account, role and token hash, in one transaction. Afterwards the folder is
 * renamed to `accounts.imported-<time>` as a backup and never read again. A damaged file stops
 * the start with its path, with nothing imported: an account must never silently disappear.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { similarityKey } from '../../../schema/names.ts';
import { ROLES, SCOPES } from '../accounts/rules.ts';
import type { Role, Scope } from '../ports.ts';
import { DatabaseOpenError, type Database } from './database.ts';

const MARKER = 'json_accounts_imported_at';

interface JsonAccount { name: string; email: string; roles: Role[]; createdAt: string; passwordHash: string }
interface JsonToken { id: string; account: string; name: string; scopes: Scope[]; createdAt: string; revokedAt?: string; hash: string }

async function readRecords<T>(dir: string, check: (r: Partial<T>) => boolean): Promise<T[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: T[] = [];
  for (const e of entries) {
    // Temporary files of an interrupted atomic write were never acknowledged.
    if (!e.isFile() || !e.name.endsWith('.json') || e.name.startsWith('.')) continue;
    const file = path.join(dir, e.name);
    let rec: Partial<T>;
    try {
      rec = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<T>;
    } catch (err) {
      throw new DatabaseOpenError(`cannot import ${file}: ${(err as Error).message}. Repair or remove the file, then start again; nothing was imported.`);
    }
    if (!rec || typeof rec !== 'object' || !check(rec)) {
      throw new DatabaseOpenError(`cannot import ${file}: it is not an account or token record. Repair or remove the file, then start again; nothing was imported.`);
    }
    out.push(rec as T);
  }
  return out;
}

const str = (v: unknown) => typeof v === 'string';

/** Import `$dataDir/accounts/` if it is there; returns the counts (zero when there was nothing). */
export async function importJsonAccounts(db: Database, dataDir: string, now: () => Date = () => new Date()): Promise<{ accounts: number; tokens: number; backup?: string }> {
  const dir = path.join(path.resolve(dataDir), 'accounts');
  try {
    await fs.access(dir);
  } catch {
    return { accounts: 0, tokens: 0 };
  }
  const accounts = await readRecords<JsonAccount>(dir, (r) => str(r.name) && str(r.email) && str(r.passwordHash) && str(r.createdAt) && Array.isArray(r.roles));
  const tokens = await readRecords<JsonToken>(path.join(dir, 'tokens'), (r) => str(r.id) && str(r.account) && str(r.name) && str(r.hash) && str(r.createdAt) && Array.isArray(r.scopes));
  const at = now().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    // Re-running after a crash between the commit and the rename imports nothing twice.
    const done = await trx.selectFrom('meta').select('value').where('key', '=', MARKER).executeTakeFirst();
    if (done) return;
    for (const a of accounts) {
      await trx.insertInto('accounts').values({ name: a.name, email: a.email, similarity_key: similarityKey(a.name), password_hash: a.passwordHash, created_at: a.createdAt }).execute();
      for (const role of ROLES.filter((r) => a.roles.includes(r))) await trx.insertInto('account_roles').values({ account: a.name, role }).execute();
    }
    for (const t of tokens) {
      await trx.insertInto('tokens').values({
        id: t.id, account: t.account, name: t.name, scopes: SCOPES.filter((s) => t.scopes.includes(s)).join(' '),
        hash: t.hash, created_at: t.createdAt, revoked_at: t.revokedAt ?? null,
      }).execute();
    }
    await trx.insertInto('meta').values({ key: MARKER, value: at }).execute();
  });
  const backup = `${dir}.imported-${at.replace(/[:.]/g, '-')}`;
  await fs.rename(dir, backup);
  return { accounts: accounts.length, tokens: tokens.length, backup };
}
