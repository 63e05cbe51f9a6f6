import type { Config } from './config.ts';
import type { Deps } from './services/deps.ts';
import { GitDesignStore } from './store/git/design-store.ts';
import { GitIndexStore } from './store/git/index-store.ts';
import { FsAccountStore } from './store/accounts-fs.ts';
import { createSearchIndex } from './search/create.ts';
import { ManifestCache } from './services/manifest-cache.ts';

/** Build the real adapters for a data dir. Used by main.ts, tests and benchmarks alike. */
export async function buildDeps(config: Pick<Config, 'dataDir' | 'limits' | 'quorum' | 'meili'>, log: (line: string) => void = () => {}): Promise<Deps> {
  const designs = new GitDesignStore({ dataDir: config.dataDir });
  const index = new GitIndexStore({ dataDir: config.dataDir });
  await index.init();
  const env: Record<string, string | undefined> = {};
  if (config.meili) {
    env.MEILI_HOST = config.meili.host;
    env.MEILI_MASTER_KEY = config.meili.apiKey;
  }
  const search = createSearchIndex(env);
  await search.init();
  return {
    designs,
    index,
    accounts: new FsAccountStore({ dataDir: config.dataDir }),
    search,
    manifests: new ManifestCache(designs),
    limits: config.limits,
    quorum: config.quorum,
    now: () => new Date(),
    log,
  };
}
