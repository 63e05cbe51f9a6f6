/** `npm run db:migrate` and `npm run db:status`. */
import { databasePath, openDatabase } from '../store/sql/database.ts';
import { migrate, migrationStatus } from '../store/sql/migrate.ts';
import { MIGRATIONS } from '../store/sql/migrations/index.ts';

export async function dbMigrate(dataDir: string, log: (l: string) => void): Promise<void> {
  const db = openDatabase(databasePath(dataDir));
  try {
    const ran = await migrate(db);
    log(ran.length ? `applied ${ran.join(', ')}` : 'the database is up to date');
  } finally {
    await db.close();
  }
}

export async function dbStatus(dataDir: string, log: (l: string) => void): Promise<number> {
  const db = openDatabase(databasePath(dataDir));
  try {
    const s = await migrationStatus(db);
    log(`database: ${db.file}`);
    for (const m of s.applied) log(`  applied  ${m.id}  (${m.appliedAt})`);
    for (const id of s.pending) log(`  pending  ${id}`);
    for (const id of s.unknown) log(`  unknown  ${id}  (written by newer code)`);
    log(`schema: ${s.applied.at(-1)?.id ?? 'empty'}; this code knows ${MIGRATIONS.at(-1)!.id}`);
    return s.unknown.length ? 1 : 0;
  } finally {
    await db.close();
  }
}
