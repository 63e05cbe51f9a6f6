/**
 * The operational database: one SQLite file in the data dir, reached through Kysely so that the
 * queries are typed and the dialect is a setting (DESIGN "Data on disk"; PostgreSQL later).
 *
 * Opened with WAL (readers never wait for the writer), foreign keys on, a busy timeout, and
 * `synchronous=FULL`: every commit that acknowledges a user action is on disk before the answer.
 * A file that SQLite cannot read refuses the start with the path, SQLite's own words and the way
 * back (`npm run restore`); the registry never starts half-working.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { Tables } from './tables.ts';

export const DATABASE_FILE = 'ohw.db';

export interface Database {
  kysely: Kysely<Tables>;
  /** The driver, for what the query builder does not cover: pragmas and the online backup API. */
  sqlite: BetterSqlite3.Database;
  file: string;
  close(): Promise<void>;
}

/** The start cannot go on: the message is for the operator (it names paths, unlike HTTP errors). */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

const BUSY_TIMEOUT_MS = 5_000;

/**
 * On some errors (SQLITE_FULL among them) SQLite rolls the transaction back by itself; Kysely's
 * ROLLBACK then fails with "no transaction is active" and would hide the real error (a full disk
 * would read as an internal error). A rollback of nothing is already done.
 */
class RollbackSafeDriver extends SqliteDriver {
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (e) {
      if (!/no transaction is active/.test((e as Error).message)) throw e;
    }
  }
}

class RollbackSafeDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new RollbackSafeDriver(this.#config);
  }
}

export function databasePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), DATABASE_FILE);
}

export function openDatabase(file: string, opts: { readonly?: boolean } = {}): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = FULL');
    // A torn or foreign file fails here rather than on the first request.
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
  } catch (e) {
    sqlite?.close();
    throw new DatabaseOpenError(
      `cannot open the database ${file}: ${(e as Error).message}. ` +
      'The file is damaged or is not an Open Hardware Commons database. Restore the data dir from a backup ' +
      '(npm run restore -- <backup-dir>), or move the file away to start over.',
    );
  }
  if (!opts.readonly) fs.chmodSync(file, 0o600);
  const kysely = new Kysely<Tables>({ dialect: new RollbackSafeDialect({ database: sqlite }) });
  return {
    kysely,
    sqlite,
    file,
    async close() {
      // Kysely's destroy closes the driver's database too.
      await kysely.destroy();
    },
  };
}
