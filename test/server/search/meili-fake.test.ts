/**
 * The SearchIndex contract against the fake Meilisearch (./fake-meili.ts), which answers like a
 * real v1.x server on ranking-rule order, query syntax, limits and errors. Runs always, so a
 * regression in the adapter shows without a real server (meili.test.ts runs the same suite
 * against MEILI_HOST).
 */
import { afterAll, beforeAll } from 'vitest';
import { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { runSearchContract } from './contract.ts';
import { FakeMeili } from './fake-meili.ts';

const fake = new FakeMeili();
let n = 0;

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});

runSearchContract('meilisearch (fake server)', async () => {
  n += 1;
  return new MeiliSearchIndex({ host: fake.url, indexName: `contract_${n}`, retryIntervalMs: 0, pollIntervalMs: 1 });
});
