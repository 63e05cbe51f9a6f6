import type { Kysely } from 'kysely';

export const id = '002-derived';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('design_versions')
    .addColumn('pkg', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('commit_oid', 'text', (c) => c.notNull())
    .addColumn('tree', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('publisher', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('meta_json', 'text', (c) => c.notNull())
    .addColumn('manifest_json', 'text', (c) => c.notNull())
    .addColumn('files_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('design_versions_pk', ['pkg', 'version'])
    .execute();
  await db.schema.createTable('design_packages')
    .addColumn('pkg', 'text', (c) => c.primaryKey())
    .addColumn('package_json', 'text', (c) => c.notNull())
    .addColumn('search_doc_json', 'text')
    .addColumn('search_doc_digest', 'text')
    .addColumn('latest', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('design_dependencies')
    .addColumn('dependent', 'text', (c) => c.notNull())
    .addColumn('dependent_version', 'text', (c) => c.notNull())
    .addColumn('dependency', 'text', (c) => c.notNull())
    .addColumn('range', 'text', (c) => c.notNull())
    .addColumn('resolved', 'text', (c) => c.notNull())
    .addColumn('yanked', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('design_dependencies_pk', ['dependent', 'dependent_version', 'dependency'])
    .execute();
  await db.schema.createIndex('design_dependencies_by_dependency').on('design_dependencies').column('dependency').execute();
  await db.schema.createTable('derived_pending')
    .addColumn('pkg', 'text', (c) => c.primaryKey())
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();
}
