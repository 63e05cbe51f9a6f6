/**
 * The index disappears while the registry runs (Meilisearch restarted on an empty data dir, an
 * operator deleted it, or an upsert met a missing index and Meilisearch created a bare one): the
 * adapter answers 503, recreates the index with its settings, rebuilds it from the registry in the
 * background, and reports `degraded` with the reason until then.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import type { SearchDocument } from '../../../server/domain/search-document.ts';
import type { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { RANKING_RULES } from '../../../server/search/meili-settings.ts';
import { FakeMeili } from './fake-meili.ts';
import { AQ_SENSOR, LIFETRAC, MICROSCOPE } from './fixtures.ts';
import { ids, makeIndex, searchError } from './meili-helpers.ts';

let fake: FakeMeili;
let index: MeiliSearchIndex;
let logs: string[];
/** What the registry holds (its git repositories); the adapter's `source`. */
let registry: SearchDocument[];
const everything = defaultSearchQuery({ limit: 100 });
const settles = { timeout: 5_000, interval: 10 };
const rules = () => fake.indexes.get('designs')?.settings.rankingRules;
const status = async () => (await index.health()).status;

beforeEach(async () => {
  fake = new FakeMeili();
  await fake.start();
  logs = [];
  registry = [LIFETRAC, AQ_SENSOR, MICROSCOPE];
});

afterEach(async () => {
  await index.close();
  await fake.stop();
});

async function start(opts: Parameters<typeof makeIndex>[1] = {}): Promise<void> {
  index = makeIndex(fake, { source: async () => registry, log: (l) => logs.push(l), ...opts });
  await index.init();
  await index.replaceAll(registry);
  await expect.poll(() => index.pendingCounts().full, settles).toBe(false);
}

describe('a lost index', () => {
  it('deleted by an operator: 503, degraded with the reason, rebuilt from the registry in the background', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    await start({ source: async () => (await gate, registry) });
    fake.indexes.delete('designs');

    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    const h = await index.health();
    expect(h).toMatchObject({ ok: false, status: 'degraded' });
    expect(h.reason).toMatch(/lost.*rebuilt/);
    expect(h.reason).not.toContain(fake.url);
    // Until the rebuild is done, searches answer 503 rather than an empty result.
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    // A publish meanwhile: the write goes to the recreated index, which already has our settings,
    // and is applied again on top of the rebuilt one.
    registry = [{ ...LIFETRAC, title: 'LifeTrac 7' }, AQ_SENSOR, MICROSCOPE];
    await index.upsert([registry[0]!]);
    expect(rules()).toEqual(RANKING_RULES);

    open();
    await expect.poll(status, settles).toBe('ok');
    const titles = async () => (await index.search(everything)).hits.map((d) => d.title).sort();
    await expect.poll(titles, settles).toEqual(registry.map((d) => d.title).sort());
    expect(rules()).toEqual(RANKING_RULES);
    expect(logs.filter((l) => l.includes('lost'))).toHaveLength(1);
  });

  it('an upsert that met a missing index never leaves the bare index Meilisearch created on default settings', async () => {
    await start();
    // The worst moment: the index vanishes between our check and our upsert.
    fake.beforeTask = (t) => {
      if (t.type !== 'documentAdditionOrUpdate' || t.indexUid !== 'designs') return;
      fake.beforeTask = undefined;
      fake.indexes.delete('designs');
    };
    await index.upsert([{ ...AQ_SENSOR, title: 'Air sensor 2' }]);
    registry = [LIFETRAC, { ...AQ_SENSOR, title: 'Air sensor 2' }, MICROSCOPE];
    await expect.poll(rules, settles).toEqual(RANKING_RULES);
    await expect.poll(status, settles).toBe('ok');
    expect(ids(fake.docs())).toEqual(ids(registry));
    expect((await index.search(defaultSearchQuery({ text: 'tractr', sort: 'updated' }))).hits[0]?.id).toBe(LIFETRAC.id);
  });

  it('Meilisearch restarted on an empty data dir: settings checked again on reconnect, index rebuilt', async () => {
    await start({ retryIntervalMs: 20 });
    await fake.stop();
    fake.wipe();
    // Something else created the index meanwhile, with default settings and no documents.
    await fake.start(fake.port);
    fake.createIndex('designs');
    expect(rules()).not.toEqual(RANKING_RULES);

    // Sorting on that bare index fails: a 503, and the adapter checks the index again: not ours.
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    await expect.poll(() => ids(fake.docs()), settles).toEqual(ids(registry));
    expect(rules()).toEqual(RANKING_RULES);
    await expect.poll(status, settles).toBe('ok');
  });

  it('a write followed across a restart that lost it is sent again', async () => {
    await start({ retryIntervalMs: 20 });
    fake.holdTasks();
    await index.upsert([{ ...MICROSCOPE, title: 'Microscope 2' }]);
    await expect.poll(() => fake.taskStatuses(), settles).toContain('processing');
    registry = [LIFETRAC, AQ_SENSOR, { ...MICROSCOPE, title: 'Microscope 2' }];
    await fake.stop();
    fake.wipe();
    fake.releaseTasks();
    await fake.start(fake.port);
    await expect.poll(() => fake.docs().map((d) => d.title).sort(), settles).toEqual(registry.map((d) => d.title).sort());
    await expect.poll(status, settles).toBe('ok');
  });

  it('a health check finds a lost index before any search does', async () => {
    await start();
    fake.indexes.delete('designs');
    expect(await index.health()).toMatchObject({ status: 'degraded' });
    await expect.poll(status, settles).toBe('ok');
    expect(ids(fake.docs())).toEqual(ids(registry));
  });

  it('without a source: recreated with its settings, degraded until an operator rebuilds', async () => {
    await start({ source: undefined });
    fake.indexes.delete('designs');
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    await expect.poll(rules, settles).toEqual(RANKING_RULES);
    const h = await index.health();
    expect(h).toMatchObject({ status: 'degraded' });
    expect(h.reason).toMatch(/operator/);
    await index.replaceAll(registry);
    await expect.poll(status, settles).toBe('ok');
  });
});
