/**
 * Every table, as Kysely sees it. Each group of tables is declared next to the migration that
 * creates it (tables/*.ts), so a feature adds its tables without touching another's.
 */
import type { AccountTables } from './tables/accounts.ts';
import type { DerivedTables } from './tables/derived.ts';
import type { ProductionTables } from './tables/production.ts';
import type { ThrottleTables } from './tables/throttles.ts';
import type { WebTables } from './tables/web.ts';

export interface MetaTables {
  schema_migrations: { id: string; applied_at: string };
  /** Small facts about the database itself: watermarks, one-time imports. */
  meta: { key: string; value: string };
}

export interface Tables extends MetaTables, AccountTables, DerivedTables, WebTables, ThrottleTables, ProductionTables {}
