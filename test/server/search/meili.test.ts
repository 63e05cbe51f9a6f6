/**
 * The contract against a real Meilisearch. Runs only when MEILI_HOST is set (and MEILI_MASTER_KEY
 * when the server needs one); otherwise every test reports as skipped. The same suite always runs
 * against the fake server (meili-fake.test.ts), which answers like a real one on what matters here.
 *   MEILI_HOST=http://127.0.0.1:7700 MEILI_MASTER_KEY=… npx vitest run test/server/search
 */
import { describe } from 'vitest';
import { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { runSearchContract } from './contract.ts';

const host = process.env.MEILI_HOST;
let n = 0;

describe.skipIf(!host)('Meilisearch (MEILI_HOST)', () => {
  runSearchContract('meilisearch', async () => {
    n += 1;
    const opts: ConstructorParameters<typeof MeiliSearchIndex>[0] = {
      host: host!,
      indexName: `ohc_test_${process.pid}_${n}`,
      retryIntervalMs: 0,
    };
    if (process.env.MEILI_MASTER_KEY) opts.apiKey = process.env.MEILI_MASTER_KEY;
    const index = new MeiliSearchIndex(opts);
    // Leave no test indexes behind: the contract closes every index it makes.
    const close = index.close.bind(index);
    index.close = async () => {
      await index.drop();
      await close();
    };
    return index;
  });
});
