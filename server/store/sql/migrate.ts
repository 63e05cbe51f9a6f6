/**
 * Versioned migrations, run at start. All pending migrations run in one transaction with the
 * record of what ran, so a crash or a failing migration leaves the schema as it was.
 */
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { DatabaseOpenError, type Database } from './database.ts';

export interface MigrationStatus {
  applied: Array<{ id: string; appliedAt: string }>;
  pending: string[];
  /** Ids the database has run that this code does not know: the database is newer. */
  unknown: string[];
}

async function ensureLedger(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('schema_migrations').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
}

export async function migrationStatus(db: Database, known: readonly Migration[] = MIGRATIONS): Promise<MigrationStatus> {
  const raw = db.kysely as unknown as Kysely<unknown>;
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'schema_migrations'`.execute(raw);
  const rows = exists.rows[0]!.n
    ? await db.kysely.selectFrom('schema_migrations').select(['id', 'applied_at']).orderBy('id').execute()
    : [];
  const done = new Set(rows.map((r) => r.id));
  const ids = new Set(known.map((m) => m.id));
  return {
    applied: rows.map((r) => ({ id: r.id, appliedAt: r.applied_at })),
    pending: known.filter((m) => !done.has(m.id)).map((m) => m.id),
    unknown: rows.filter((r) => !ids.has(r.id)).map((r) => r.id),
  };
}

/** Bring the schema up to date; refuses a database written by newer code. Returns the ids run. */
export async function migrate(db: Database, now: () => Date = () => new Date(), known: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  const status = await migrationStatus(db, known);
  if (status.unknown.length) {
    throw new DatabaseOpenError(
      `the database ${db.file} has schema version ${status.unknown.at(-1)}, newer than this code knows ` +
      `(${known.at(-1)?.id ?? 'none'}). Run the newer version of the registry, or restore a backup made by this one.`,
    );
  }
  if (!status.pending.length) return [];
  await db.kysely.transaction().execute(async (trx) => {
    const raw = trx as unknown as Kysely<unknown>;
    await ensureLedger(raw);
    for (const m of known.filter((x) => status.pending.includes(x.id))) {
      await m.up(raw);
      await trx.insertInto('schema_migrations').values({ id: m.id, applied_at: now().toISOString() }).execute();
    }
  });
  return status.pending;
}
