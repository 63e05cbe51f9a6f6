/**
 * The index settings: an explicit sort wins over relevance, ties break by id, totals reach as
 * far as the API can page, and the settings in force are read back and compared.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchQuery, MAX_LIMIT, MAX_PAGE } from '../../../server/domain/search-query.ts';
import type { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { MEILI_SETTINGS, settingsDiff } from '../../../server/search/meili-settings.ts';
import { FakeMeili } from './fake-meili.ts';
import { FIXTURES } from './fixtures.ts';
import { makeIndex } from './meili-helpers.ts';

describe('MEILI_SETTINGS', () => {
  it('puts `sort` first (an explicit sort wins; without one the rule is skipped) and ends with updated desc, id asc', () => {
    expect(MEILI_SETTINGS.rankingRules).toEqual(['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'updatedAtTs:desc', 'id:asc']);
    expect(MEILI_SETTINGS.sortableAttributes).toContain('id');
  });

  it('lets Meilisearch count and serve every position the API can ask for', () => {
    expect(MEILI_SETTINGS.pagination?.maxTotalHits).toBeGreaterThanOrEqual(MAX_PAGE * MAX_LIMIT);
  });
});

describe('settingsDiff', () => {
  it('compares only what we set; sets as sets, lists in order, objects key by key', () => {
    const inForce = { ...structuredClone(MEILI_SETTINGS), stopWords: [], filterableAttributes: [...(MEILI_SETTINGS.filterableAttributes as string[])].sort() };
    expect(settingsDiff(MEILI_SETTINGS, inForce)).toEqual([]);
    expect(settingsDiff(MEILI_SETTINGS, { ...inForce, rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'] })).toEqual(['rankingRules']);
    expect(settingsDiff(MEILI_SETTINGS, { ...inForce, pagination: { maxTotalHits: 1000 } })).toEqual(['pagination']);
    const split = (MEILI_SETTINGS.rankingRules as string[]).flatMap((r) => (r === 'attribute' ? ['attributeRank', 'wordPosition'] : [r]));
    expect(settingsDiff(MEILI_SETTINGS, { ...inForce, rankingRules: split })).toEqual([]);
  });
});

describe('against the fake server', () => {
  let fake: FakeMeili;
  let index: MeiliSearchIndex;
  beforeEach(async () => {
    fake = new FakeMeili();
    await fake.start();
  });
  afterEach(async () => {
    await index.close();
    await fake.stop();
  });

  it('applies the settings at start and reads them back: they are in force', async () => {
    index = makeIndex(fake);
    await index.init();
    expect(settingsDiff(MEILI_SETTINGS, fake.indexes.get('designs')!.settings)).toEqual([]);
    expect(await index.health()).toMatchObject({ status: 'ok' });
  });

  it('a total Meilisearch stopped counting is flagged, not passed off as exact', async () => {
    index = makeIndex(fake, { maxTotalHits: 5 });
    await index.init();
    await index.replaceAll(FIXTURES);
    const r = await index.search(defaultSearchQuery());
    expect(r.total).toBe(5);
    expect(r.totalCapped).toBe(true);
    const few = await index.search(defaultSearchQuery({ filters: { certified: true } }));
    expect(few.total).toBe(3);
    expect(few.totalCapped).toBeUndefined();
  });
});
