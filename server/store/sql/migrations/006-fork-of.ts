import { sql, type Kysely } from 'kysely';

export const id = '006-fork-of';

/**
 * The upstream of each design, as a column with an index, so "the forks of X" is one indexed
 * lookup. Before, the first package read after a start built that map by reading every design's
 * index file (about a minute at 10,000 designs, paid by the first publish). Filled from the
 * stored package reads, which carry `forkOf`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('design_packages').addColumn('fork_of', 'text').execute();
  await db.schema.createIndex('design_packages_fork_of').on('design_packages').column('fork_of').execute();
  await sql`UPDATE design_packages SET fork_of = json_extract(package_json, '$.forkOf.package')`.execute(db);
}
