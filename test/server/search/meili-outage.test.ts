/**
 * The Meilisearch adapter when its server is down: a fake Meilisearch at the HTTP boundary
 * (./fake-meili.ts) plays a healthy server, one that answers 500, one that is gone (connection
 * refused), and one whose document tasks fail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import type { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { FakeMeili } from './fake-meili.ts';
import { AQ_SENSOR, LIFETRAC, MICROSCOPE } from './fixtures.ts';
import { ids, makeIndex, searchError } from './meili-helpers.ts';

let fake: FakeMeili;
let index: MeiliSearchIndex;

beforeEach(async () => {
  fake = new FakeMeili();
  await fake.start();
});

afterEach(async () => {
  await index?.close();
  await fake.stop();
});

describe('MeiliSearchIndex against a healthy server', () => {
  it('init creates the index and applies settings; a second init sends no settings again', async () => {
    index = makeIndex(fake);
    await index.init();
    await index.init();
    const settings = fake.indexes.get('designs')?.settings;
    expect(settings?.typoTolerance.disableOnAttributes).toEqual(['mpns', 'licenses']);
    expect(settings?.filterableAttributes).toContain('processes');
    expect(fake.count('PATCH /indexes/designs/settings')).toBe(1);
    expect(await index.health()).toMatchObject({ ok: true, status: 'ok' });
  });

  it('replaceAll builds a temporary index and swaps it in', async () => {
    index = makeIndex(fake);
    await index.init();
    await index.upsert([LIFETRAC]);
    await index.replaceAll([AQ_SENSOR, MICROSCOPE]);
    expect(ids(fake.docs())).toEqual(ids([AQ_SENSOR, MICROSCOPE]));
    expect(fake.log).toContain('POST /swap-indexes');
    expect(fake.indexes.has('designs_rebuild')).toBe(false);
    expect(fake.indexes.get('designs')?.settings.rankingRules[0]).toBe('sort');
  });
});

describe('MeiliSearchIndex when Meilisearch is down', () => {
  it('search → SEARCH_UNAVAILABLE while the server answers 500; health says down, without the URL', async () => {
    index = makeIndex(fake);
    await index.init();
    fake.mode = 'error500';
    const e = await searchError(index);
    expect(e.code).toBe('SEARCH_UNAVAILABLE');
    expect(e.message).not.toContain(fake.url);
    const h = await index.health();
    expect(h).toMatchObject({ ok: false, status: 'down', engine: 'meilisearch' });
    expect(h.reason).not.toContain('127.0.0.1');
  });

  it('search → SEARCH_UNAVAILABLE when nothing listens (connection refused)', async () => {
    index = makeIndex(fake);
    await fake.stop();
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
  });

  it('init, upsert and remove do not throw while down; queued writes are applied once it is back', async () => {
    fake.mode = 'error500';
    index = makeIndex(fake);
    await index.init();
    await index.upsert([LIFETRAC, AQ_SENSOR]);
    await index.remove([AQ_SENSOR.id]);
    expect(index.pendingCounts()).toMatchObject({ full: false, upserts: 1, removes: 1 });
    expect(fake.docs()).toEqual([]);

    fake.mode = 'up';
    // The index was never created: a search says so (503) and reconnecting starts in the
    // background, which creates the index with its settings and applies the queued writes.
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    await expect.poll(() => ids(fake.docs())).toEqual([LIFETRAC.id]);
    expect((await index.search(defaultSearchQuery())).total).toBe(1);
    await expect.poll(() => index.pendingCounts()).toEqual({ full: false, upserts: 0, removes: 0, inflight: 0 });
    expect(fake.indexes.get('designs')?.settings.filterableAttributes).toContain('tools');
  });

  it('the latest intent per id wins: upsert after remove re-adds, newer upsert replaces older', async () => {
    index = makeIndex(fake);
    await index.init();
    await index.upsert([MICROSCOPE]);
    fake.mode = 'error500';
    await index.remove([MICROSCOPE.id]);
    await index.upsert([{ ...MICROSCOPE, title: 'v2' }]);
    await index.upsert([{ ...MICROSCOPE, title: 'v3' }]);
    expect(index.pendingCounts()).toMatchObject({ full: false, upserts: 1, removes: 0 });
    fake.mode = 'up';
    await index.search(defaultSearchQuery());
    await expect.poll(() => fake.docs().map((d) => d.title)).toEqual(['v3']);
  });

  it('a replaceAll while down becomes a full rebuild on recovery, with later upserts applied on top', async () => {
    index = makeIndex(fake);
    await index.init();
    await index.upsert([LIFETRAC]);
    await fake.stop();
    await index.replaceAll([AQ_SENSOR]);
    await index.upsert([MICROSCOPE]);
    expect(index.pendingCounts()).toMatchObject({ full: true, upserts: 1 });
    await fake.start(fake.port);
    await index.search(defaultSearchQuery());
    await expect.poll(() => ids(fake.docs())).toEqual(ids([AQ_SENSOR, MICROSCOPE]));
    await expect.poll(() => index.pendingCounts()).toEqual({ full: false, upserts: 0, removes: 0, inflight: 0 });
  });

  it('catches up in the background without any request once the server is back', async () => {
    fake.mode = 'error500';
    index = makeIndex(fake, { retryIntervalMs: 20 });
    await index.upsert([LIFETRAC]);
    fake.mode = 'up';
    await expect.poll(() => ids(fake.docs()), { timeout: 2_000, interval: 20 }).toEqual([LIFETRAC.id]);
    expect(index.pendingCounts().upserts).toBe(0);
  });

  it('a task that fails (a refusal, not an outage) is reported as INTERNAL and not retried forever', async () => {
    index = makeIndex(fake);
    await index.init();
    fake.mode = 'failTasks';
    await expect(index.upsert([LIFETRAC])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(index.pendingCounts()).toMatchObject({ upserts: 0, inflight: 0 });
    fake.mode = 'up';
    const r = await index.search(defaultSearchQuery());
    expect(r.total).toBe(0);
  });
});

describe('MeiliSearchIndex.drop', () => {
  it('deletes the index', async () => {
    index = makeIndex(fake);
    await index.init();
    await index.upsert([LIFETRAC]);
    await index.drop();
    expect(fake.indexes.has('designs')).toBe(false);
  });
});
