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
