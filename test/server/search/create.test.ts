import { describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../../server/search/create.ts';

describe('createSearchIndex', () => {
  it('embedded without MEILI_HOST', () => {
    expect(createSearchIndex({}).engine).toBe('embedded');
    expect(createSearchIndex({ MEILI_HOST: '  ' }).engine).toBe('embedded');
  });

  it('Meilisearch with MEILI_HOST (no connection is made until init)', async () => {
    const index = createSearchIndex({ MEILI_HOST: 'http://127.0.0.1:1', MEILI_MASTER_KEY: 'k' });
    expect(index.engine).toBe('meilisearch');
    await index.close();
  });
});

describe('createSearchIndex hooks', () => {
  it('hands `source` and `log` to Meilisearch: a lost index is rebuilt from the source and logged', async () => {
    const { FakeMeili } = await import('./fake-meili.ts');
    const { FIXTURES } = await import('./fixtures.ts');
    const { defaultSearchQuery } = await import('../../../server/domain/search-query.ts');
    const fake = new FakeMeili();
    await fake.start();
    const logs: string[] = [];
    const index = createSearchIndex({ MEILI_HOST: fake.url }, { source: async () => FIXTURES, log: (l) => logs.push(l) });
    try {
      await index.init();
      await index.replaceAll(FIXTURES);
      fake.indexes.delete('designs');
      await expect(index.search(defaultSearchQuery())).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE' });
      await expect.poll(async () => (await index.health()).status, { timeout: 10_000, interval: 20 }).toBe('ok');
      expect((await index.search(defaultSearchQuery())).total).toBe(FIXTURES.length);
      expect(logs.some((l) => l.includes('lost'))).toBe(true);
    } finally {
      await index.close();
      await fake.stop();
    }
  });
});
