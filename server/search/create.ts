/**
 * Pick the search engine from the environment (SPEC §6): MEILI_HOST (+ MEILI_MASTER_KEY) →
 * Meilisearch; otherwise the embedded engine. The caller runs `init()` and then `replaceAll()` with
 * the documents rebuilt from git.
 */
import { EmbeddedSearchIndex } from './embedded.ts';
import { MeiliSearchIndex } from './meili.ts';
import type { SearchIndex } from './port.ts';

export function createSearchIndex(env: Record<string, string | undefined> = process.env): SearchIndex {
  const host = env.MEILI_HOST?.trim();
  if (!host) return new EmbeddedSearchIndex();
  const opts: ConstructorParameters<typeof MeiliSearchIndex>[0] = { host };
  const key = env.MEILI_MASTER_KEY?.trim();
  if (key) opts.apiKey = key;
  return new MeiliSearchIndex(opts);
}
