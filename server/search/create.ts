/**
 * Pick the search engine from the environment (SPEC §6): MEILI_HOST (+ MEILI_MASTER_KEY) →
 * Meilisearch; otherwise the embedded engine. The caller runs `init()` and then `replaceAll()` with
 * the documents rebuilt from git. `hooks.source` lets Meilisearch rebuild a lost index on its own
 * (the embedded engine lives in the process and cannot lose it); `hooks.log` gets configuration
 * errors and recoveries.
 */
import type { SearchDocument } from '../domain/search-document.ts';
import { EmbeddedSearchIndex } from './embedded.ts';
import { MeiliSearchIndex } from './meili.ts';
import type { SearchIndex } from './port.ts';

export interface SearchHooks {
  source?: () => Promise<SearchDocument[]>;
  /** Whole documents by id, for the embedded engine's result pages (it keeps none in memory). */
  fetch?: (ids: string[]) => Promise<SearchDocument[]>;
  /** Where the embedded engine writes its index on close, to load it at the next start. */
  snapshotFile?: string;
  log?: (line: string) => void;
}

export function createSearchIndex(env: Record<string, string | undefined> = process.env, hooks: SearchHooks = {}): SearchIndex {
  const host = env.MEILI_HOST?.trim();
  if (!host) {
    const opts: ConstructorParameters<typeof EmbeddedSearchIndex>[0] = {};
    if (hooks.fetch) opts.fetch = hooks.fetch;
    if (hooks.snapshotFile) opts.snapshotFile = hooks.snapshotFile;
    return new EmbeddedSearchIndex(opts);
  }
  const opts: ConstructorParameters<typeof MeiliSearchIndex>[0] = { host };
  const key = env.MEILI_MASTER_KEY?.trim();
  if (key) opts.apiKey = key;
  if (hooks.source) opts.source = hooks.source;
  if (hooks.log) opts.log = hooks.log;
  return new MeiliSearchIndex(opts);
}
