import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { DatabaseOpenError, openDatabase, type Database } from '../../../../server/store/sql/database.ts';
import { migrate, migrationStatus } from '../../../../server/store/sql/migrate.ts';
import { MIGRATIONS, type Migration } from '../../../../server/store/sql/migrations/index.ts';

let dir: string;
let file: string;
const open: Database[] = [];
const connect = () => {
  const db = openDatabase(file);
  open.push(db);
  return db;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-db-'));
  file = path.join(dir, 'ohw.db');
});
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database) =>
  (db.sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>).map((r) => r.name);

describe('opening the database', () => {
  it('uses WAL, foreign keys, a busy timeout and synchronous=FULL', () => {
    const db = connect();
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a truncated file with its path, SQLite\'s words and the way back', async () => {
    const db = connect();
    await migrate(db);
    await db.close();
    open.pop();
    const size = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(size / 3) + 7);
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    let err: unknown;
    try { connect(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DatabaseOpenError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    expect(msg).toMatch(/malformed|not a database|corrupt|quick_check/i);
    expect(msg).toContain('npm run restore');
  });

  it('refuses a file that is not a database at all', () => {
    fs.writeFileSync(file, 'this is a text file, not SQLite '.repeat(200));
    expect(() => connect()).toThrow(/not a database/);
  });
});

describe('migrations', () => {
  it('bring a new database to the latest schema and record every version', async () => {
    const db = connect();
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
    const s = await migrationStatus(db);
    expect(s.applied.map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(s.pending).toEqual([]);
    expect(tables(db)).toEqual(expect.arrayContaining(['accounts', 'tokens', 'account_roles', 'design_versions', 'design_packages', 'schema_migrations', 'meta']));
  });

  it('run only what is pending, and nothing on the second start', async () => {
    const db = connect();
    await migrate(db, undefined, MIGRATIONS.slice(0, 1));
    expect((await migrationStatus(db)).pending).toEqual(MIGRATIONS.slice(1).map((m) => m.id));
    expect(await migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
  });

  it('leave the schema untouched when one of them fails: all pending run in one transaction', async () => {
    const db = connect();
    const failing: Migration = {
      id: '999-broken',
      async up(k: Kysely<unknown>) {
        await k.schema.createTable('half_done').addColumn('x', 'text').execute();
        throw new Error('boom');
      },
    };
    await expect(migrate(db, undefined, [...MIGRATIONS, failing])).rejects.toThrow('boom');
    expect(tables(db)).toEqual([]);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('006 fills the fork column of a database written before it, from the stored package reads', async () => {
    const db = connect();
    const before = MIGRATIONS.findIndex((m) => m.id === '006-fork-of');
    await migrate(db, undefined, MIGRATIONS.slice(0, before));
    const row = db.sqlite.prepare('insert into design_packages (pkg, package_json, latest, updated_at) values (?, ?, ?, ?)');
    row.run('alice/lamp', JSON.stringify({ package: 'alice/lamp', forkOf: null }), '1.0.0', '2026-01-01T00:00:00Z');
    row.run('bob/lamp', JSON.stringify({ package: 'bob/lamp', forkOf: { package: 'alice/lamp', version: '1.0.0' } }), null, '2026-01-01T00:00:00Z');
    await migrate(db);
    expect(db.sqlite.prepare('select pkg, fork_of from design_packages order by pkg').all()).toEqual([
      { pkg: 'alice/lamp', fork_of: null },
      { pkg: 'bob/lamp', fork_of: 'alice/lamp' },
    ]);
  });

  it('refuse a database written by newer code, naming both versions', async () => {
    const db = connect();
    await migrate(db);
    db.sqlite.prepare('insert into schema_migrations (id, applied_at) values (?, ?)').run('950-from-the-future', new Date().toISOString());
    const err = await migrate(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect((err as Error).message).toContain('950-from-the-future');
    expect((err as Error).message).toContain(MIGRATIONS.at(-1)!.id);
    expect((err as Error).message).toMatch(/newer than this code/);
  });
});
