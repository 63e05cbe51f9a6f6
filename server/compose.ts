import path from 'node:path';
import type { Config } from './config.ts';
import type { Deps } from './services/deps.ts';
import { GitDesignStore } from './store/git/design-store.ts';
import { GitIndexStore } from './store/git/index-store.ts';
import { createSearchIndex } from './search/create.ts';
import { ManifestCache } from './services/manifest-cache.ts';
import { newServiceState } from './services/service-state.ts';
import { databasePath, openDatabase } from './store/sql/database.ts';
import { migrate } from './store/sql/migrate.ts';
import { SqlAccountStore } from './store/sql/account-store.ts';
import { SqlDerivedStore } from './store/sql/derived-store.ts';
import { importJsonAccounts } from './store/sql/import-json-accounts.ts';
import { FsArchiveStore } from './store/fs-archives.ts';
import { SqlProductionStore } from './store/sql/production-store.ts';
import { FsPhotoStore } from './store/fs-photos.ts';
import { SqlThrottles } from './store/sql/throttles.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './store/throttle-port.ts';
import { SqlWebSessionStore } from './store/sql/web-session-store.ts';

/**
 * Build the real adapters for a data dir. Used by main.ts, tests and benchmarks alike. Opens the
 * database (refusing a damaged or newer one), runs pending migrations, and moves accounts left by
 * the JSON-file store into it once.
 */
export async function buildDeps(config: Pick<Config, 'dataDir' | 'limits' | 'quorum' | 'meili'> & {
  rateLimits?: RateLimits;
  /** false only for generating benchmark data: no fsync of git writes, SQLite synchronous=OFF. */
  durable?: boolean;
}, log: (line: string) => void = () => {}): Promise<Deps> {
  const durable = config.durable ?? true;
  const db = openDatabase(databasePath(config.dataDir));
  try {
    const ran = await migrate(db);
    if (ran.length) log(`database migrated: ${ran.join(', ')}`);
    const imported = await importJsonAccounts(db, config.dataDir);
    if (imported.backup) log(`imported ${imported.accounts} accounts and ${imported.tokens} tokens from JSON files; the old files are kept in ${imported.backup}`);
  } catch (e) {
    await db.close();
    throw e;
  }
  if (!durable) db.sqlite.pragma('synchronous = OFF');
  const designs = new GitDesignStore({ dataDir: config.dataDir, fsync: durable });
  const index = new GitIndexStore({ dataDir: config.dataDir, fsync: durable });
  await index.init();
  const env: Record<string, string | undefined> = {};
  if (config.meili) {
    env.MEILI_HOST = config.meili.host;
    env.MEILI_MASTER_KEY = config.meili.apiKey;
  }
  const derived = new SqlDerivedStore(db);
  // The stored search documents let Meilisearch rebuild a lost index on its own.
  const search = createSearchIndex(env, {
    source: () => derived.searchDocuments(),
    fetch: (ids) => derived.searchDocumentsById(ids),
    snapshotFile: path.join(path.resolve(config.dataDir), 'search', 'embedded-index.json'),
    log,
  });
  await search.init();
  return {
    designs,
    index,
    accounts: new SqlAccountStore({ db }),
    derived,
    archives: new FsArchiveStore({ dataDir: config.dataDir }),
    db,
    sessions: new SqlWebSessionStore(db),
    search,
    production: new SqlProductionStore(db),
    photos: new FsPhotoStore({ dataDir: config.dataDir }),
    throttles: new SqlThrottles(db, config.rateLimits ?? DEFAULT_RATE_LIMITS),
    manifests: new ManifestCache(designs),
    state: newServiceState(),
    limits: config.limits,
    quorum: config.quorum,
    now: () => new Date(),
    log,
  };
}
