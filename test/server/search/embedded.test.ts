import { describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex, typoBudget } from '../../../server/search/embedded.ts';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import { runSearchContract } from './contract.ts';
import { FIXTURES, LIFETRAC } from './fixtures.ts';

runSearchContract('embedded (MiniSearch)', async () => new EmbeddedSearchIndex());

describe('EmbeddedSearchIndex specifics', () => {
  it('allows typos like Meilisearch: none under 5 characters, one from 5, two from 9', () => {
    expect([typoBudget('ceb'), typoBudget('pres'), typoBudget('tractr'), typoBudget('microscpoe')]).toEqual([false, false, 1, 2]);
  });

  it('can start from documents and reports its size in health', async () => {
    const index = new EmbeddedSearchIndex({ documents: FIXTURES });
    expect(index.size).toBe(FIXTURES.length);
    expect((await index.health()).detail).toContain(`${FIXTURES.length} documents`);
  });

  it('keeps its own copies: mutating a document after upsert or a hit after search changes nothing', async () => {
    const index = new EmbeddedSearchIndex();
    const doc = structuredClone(LIFETRAC);
    await index.upsert([doc]);
    doc.title = 'changed';
    const r = await index.search(defaultSearchQuery({ text: 'tractr' }));
    expect(r.hits[0]?.title).toBe(LIFETRAC.title);
    r.hits[0]!.title = 'changed again';
    expect((await index.search(defaultSearchQuery())).hits[0]?.title).toBe(LIFETRAC.title);
  });
});
