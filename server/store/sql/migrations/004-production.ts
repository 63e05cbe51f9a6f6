import { sql, type Kysely } from 'kysely';

export const id = '004-production';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('producer_profiles')
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('facility', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('lat', 'real')
    .addColumn('lon', 'real')
    .addColumn('facility_level', 'text', (c) => c.notNull())
    .addColumn('profile_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('producer_profiles_pk', ['account', 'facility'])
    .execute();
  await db.schema.createIndex('producer_profiles_by_lat_lon').on('producer_profiles').columns(['lat', 'lon']).execute();
  await db.schema.createTable('producer_regions')
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('facility', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('producer_regions_pk', ['account', 'facility', 'region'])
    .addForeignKeyConstraint('producer_regions_profile', ['account', 'facility'], 'producer_profiles', ['account', 'facility'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('producer_regions_by_region').on('producer_regions').columns(['region', 'account', 'facility']).execute();

  await db.schema.createTable('pledges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('pkg', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('max_unit_price', 'real')
    .addColumn('currency', 'text')
    .addColumn('needed_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The one-active-pledge rule, enforced where two concurrent requests cannot both pass it.
  await db.schema.createIndex('pledges_one_active').on('pledges').columns(['account', 'pkg', 'region']).unique()
    .where(sql.ref('status'), '=', 'active').execute();
  // Demand aggregates read only this index (covering): per design, region, currency and ceiling.
  await db.schema.createIndex('pledges_demand').on('pledges').columns(['pkg', 'status', 'region', 'currency', 'max_unit_price', 'quantity', 'account']).execute();
  await db.schema.createIndex('pledges_by_account').on('pledges').columns(['account', 'status']).execute();

  await db.schema.createTable('production_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('producer', 'text', (c) => c.notNull())
    .addColumn('facility', 'text')
    .addColumn('pkg', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('min_quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price', 'real', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('production_runs_by_pkg').on('production_runs').columns(['pkg', 'state']).execute();
  await db.schema.createIndex('production_runs_by_producer').on('production_runs').column('producer').execute();
  await db.schema.createTable('run_commitments')
    .addColumn('run_id', 'text', (c) => c.notNull().references('production_runs.id').onDelete('cascade'))
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('pledge_id', 'text', (c) => c.notNull().references('pledges.id'))
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_commitments_pk', ['run_id', 'account'])
    .execute();
  await db.schema.createIndex('run_commitments_by_account').on('run_commitments').column('account').execute();
  await db.schema.createTable('run_transitions')
    .addColumn('run_id', 'text', (c) => c.notNull().references('production_runs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_transitions_pk', ['run_id', 'seq'])
    .execute();

  await db.schema.createTable('producer_offers')
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('facility', 'text', (c) => c.notNull())
    .addColumn('pkg', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('offer_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('producer_offers_pk', ['account', 'facility', 'pkg', 'level'])
    .addForeignKeyConstraint('producer_offers_profile', ['account', 'facility'], 'producer_profiles', ['account', 'facility'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('producer_offers_by_pkg').on('producer_offers').column('pkg').execute();
}
