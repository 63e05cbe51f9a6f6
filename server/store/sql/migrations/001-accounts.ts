import { sql, type Kysely } from 'kysely';

export const id = '001-accounts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('accounts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('similarity_key', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_similarity_key').on('accounts').column('similarity_key').execute();
  await db.schema.createTable('account_roles')
    .addColumn('account', 'text', (c) => c.notNull().references('accounts.name').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('reviewer', 'admin')`))
    .addPrimaryKeyConstraint('account_roles_pk', ['account', 'role'])
    .execute();
  await db.schema.createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull().references('accounts.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('tokens_account').on('tokens').columns(['account', 'created_at']).execute();
}
