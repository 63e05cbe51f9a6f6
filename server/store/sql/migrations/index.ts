/**
 * The migrations, in order. Each is a plain numbered module (`id`, `up`); the list is what the
 * code knows, and a database that has run an id missing here is newer than the code.
 * Append only: a migration that has shipped is never edited.
 */
import type { Kysely } from 'kysely';
import * as m001 from './001-accounts.ts';
import * as m002 from './002-derived.ts';
import * as m003 from './003-web-sessions.ts';
import * as m004 from './004-production.ts';
import * as m005 from './005-throttles.ts';
import * as m006 from './006-fork-of.ts';

export interface Migration {
  id: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006];
