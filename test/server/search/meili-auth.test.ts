/**
 * Configuration errors are not outages: Meilisearch answering 401 (no key) or 403 (wrong key) is
 * logged once, naming MEILI_MASTER_KEY, shown in health, and queued writes stay bounded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import type { SearchDocument } from '../../../server/domain/search-document.ts';
import type { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { FakeMeili } from './fake-meili.ts';
import { LIFETRAC, PI_CASE } from './fixtures.ts';
import { ids, makeIndex, searchError } from './meili-helpers.ts';

let fake: FakeMeili;
let index: MeiliSearchIndex;
let logs: string[];
const settles = { timeout: 5_000, interval: 10 };

beforeEach(async () => {
  fake = new FakeMeili();
  fake.masterKey = 'the-right-key';
  await fake.start();
  logs = [];
});

afterEach(async () => {
  await index.close();
  await fake.stop();
});

describe.each([
  ['no key (401 missing_authorization_header)', undefined],
  ['a wrong key (403 invalid_api_key)', 'a-wrong-key'],
])('Meilisearch refusing %s', (_name, apiKey) => {
  it('is a configuration error: logged once naming MEILI_MASTER_KEY, health down saying so, searches 503', async () => {
    index = makeIndex(fake, { log: (l) => logs.push(l), ...(apiKey ? { apiKey } : {}) });
    await index.init();
    await index.upsert([LIFETRAC]);
    await index.remove([PI_CASE.id]);
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');

    const h = await index.health();
    expect(h).toMatchObject({ ok: false, status: 'down' });
    expect(h.reason).toContain('MEILI_MASTER_KEY');
    expect(h.reason).not.toContain(fake.url);
    expect(h.reason).not.toMatch(/Authorization header|provided API key/);
    expect(h.detail).toMatch(/HTTP 40[13]/); // the operator detail names the real cause
    expect(logs.filter((l) => l.includes('MEILI_MASTER_KEY'))).toHaveLength(1);
    expect(index.pendingCounts()).toMatchObject({ upserts: 1, removes: 1 });
  });
});

describe('while the key is refused', () => {
  it('queued writes stay bounded: past the bound they become one rebuild from the registry', async () => {
    const registry: SearchDocument[] = Array.from({ length: 10 }, (_, i) => ({ ...PI_CASE, id: `acme--case-${i}`, package: `acme/case-${i}` }));
    index = makeIndex(fake, { apiKey: 'a-wrong-key', maxPendingWrites: 3, retryIntervalMs: 20, source: async () => registry, log: (l) => logs.push(l) });
    await index.init();
    for (const d of registry) await index.upsert([d]);
    expect(index.pendingCounts().upserts).toBeLessThanOrEqual(3);
    expect(index.pendingCounts().full).toBe(true);

    // The operator fixes the key (here: the server stops asking for one); the retry catches up.
    fake.masterKey = undefined;
    await expect.poll(() => ids(fake.docs()), settles).toEqual(ids(registry));
    await expect.poll(async () => (await index.health()).status, settles).toBe('ok');
    expect((await index.search(defaultSearchQuery({ limit: 100 }))).total).toBe(registry.length);
  });
});
