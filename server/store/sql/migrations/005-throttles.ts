import type { Kysely } from 'kysely';

export const id = '005-throttles';

/**
 * Rate-limit counters (issue 12). The shape is the one rate-limiter-flexible's SQLite store
 * reads and writes (`key`, `points`, `expire` in epoch ms); created here so that the schema
 * has one owner and the limiter runs with `tableCreated: true`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'integer')
    .execute();
}
