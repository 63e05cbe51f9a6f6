/**
 * The Meilisearch adapter when its server misbehaves. A fake Meilisearch at the HTTP boundary
 * (./fake-meili.ts) plays a healthy server, one that answers 500, one that is gone (connection
 * refused), and one whose tasks fail or never finish.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OhwError } from '../../../schema/errors.ts';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { FakeMeili } from './fake-meili.ts';
import { AQ_SENSOR, LIFETRAC, MICROSCOPE } from './fixtures.ts';

let fake: FakeMeili;
let index: MeiliSearchIndex;

function make(opts: Partial<ConstructorParameters<typeof MeiliSearchIndex>[0]> = {}): MeiliSearchIndex {
  return new MeiliSearchIndex({ host: fake.url, retryIntervalMs: 0, taskTimeoutMs: 2_000, requestTimeoutMs: 1_000, pollIntervalMs: 5, ...opts });
}

async function searchError(i: MeiliSearchIndex): Promise<OhwError> {
  try {
    await i.search(defaultSearchQuery());
  } catch (e) {
    expect(e).toBeInstanceOf(OhwError);
    return e as OhwError;
  }
  throw new Error('search did not fail');
}

beforeEach(async () => {
  fake = new FakeMeili();
  await fake.start();
});

afterEach(async () => {
  await index?.close();
  await fake.stop();
});

describe('MeiliSearchIndex against a healthy server', () => {
  it('init creates the index and applies settings; a second init is a no-op success', async () => {
    index = make();
    await index.init();
    await index.init();
    const settings = fake.indexes.get('designs')?.settings as { typoTolerance: { disableOnAttributes: string[] }; filterableAttributes: string[] };
    expect(settings.typoTolerance.disableOnAttributes).toEqual(['mpns', 'licenses']);
    expect(settings.filterableAttributes).toContain('processes');
    expect((await index.health()).ok).toBe(true);
  });

  it('replaceAll builds a temporary index and swaps it in', async () => {
    index = make();
    await index.init();
    await index.upsert([LIFETRAC]);
    await index.replaceAll([AQ_SENSOR, MICROSCOPE]);
    expect(fake.docs().map((d) => d.id).sort()).toEqual([AQ_SENSOR.id, MICROSCOPE.id].sort());
    expect(fake.log).toContain('POST /swap-indexes');
    expect(fake.indexes.has('designs_rebuild')).toBe(false);
    expect(fake.indexes.get('designs')?.settings).toHaveProperty('searchableAttributes');
  });
});

describe('MeiliSearchIndex when Meilisearch is down', () => {
  it('search → SEARCH_UNAVAILABLE while the server answers 500; health says why', async () => {
    index = make();
    await index.init();
    fake.mode = 'error500';
    const e = await searchError(index);
    expect(e.code).toBe('SEARCH_UNAVAILABLE');
    expect(e.message).not.toContain(fake.url);
    const h = await index.health();
    expect(h).toMatchObject({ ok: false, engine: 'meilisearch' });
  });

  it('search → SEARCH_UNAVAILABLE when nothing listens (connection refused)', async () => {
    index = make();
    await fake.stop();
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
  });

  it('init, upsert and remove do not throw while down; pending upserts are flushed once it is back', async () => {
    fake.mode = 'error500';
    index = make();
    await index.init();
    await index.upsert([LIFETRAC, AQ_SENSOR]);
    await index.remove([AQ_SENSOR.id]);
    expect(index.pendingCounts()).toEqual({ full: false, upserts: 1, removes: 1 });
    expect(fake.docs()).toEqual([]);

    fake.mode = 'up';
    const r = await index.search(defaultSearchQuery());
    expect(fake.docs().map((d) => d.id)).toEqual([LIFETRAC.id]);
    expect(r.hits.map((h) => h.id)).toEqual([LIFETRAC.id]);
    expect(index.pendingCounts()).toEqual({ full: false, upserts: 0, removes: 0 });
    // Settings were applied on recovery too.
    expect(fake.indexes.get('designs')?.settings).toHaveProperty('filterableAttributes');
  });

  it('the latest intent per id wins: upsert after remove re-adds, newer upsert replaces older', async () => {
    index = make();
    await index.init();
    await index.upsert([MICROSCOPE]);
    fake.mode = 'error500';
    await index.remove([MICROSCOPE.id]);
    await index.upsert([{ ...MICROSCOPE, title: 'v2' }]);
    await index.upsert([{ ...MICROSCOPE, title: 'v3' }]);
    expect(index.pendingCounts()).toEqual({ full: false, upserts: 1, removes: 0 });
    fake.mode = 'up';
    await index.search(defaultSearchQuery());
    expect(fake.docs().map((d) => d.title)).toEqual(['v3']);
  });

  it('a replaceAll while down becomes a full rebuild on recovery, with later upserts applied on top', async () => {
    index = make();
    await index.init();
    await index.upsert([LIFETRAC]);
    await fake.stop();
    await index.replaceAll([AQ_SENSOR]);
    await index.upsert([MICROSCOPE]);
    expect(index.pendingCounts()).toEqual({ full: true, upserts: 1, removes: 0 });
    await fake.start(fake.port);
    await index.search(defaultSearchQuery());
    expect(fake.docs().map((d) => d.id).sort()).toEqual([AQ_SENSOR.id, MICROSCOPE.id].sort());
    expect(index.pendingCounts()).toEqual({ full: false, upserts: 0, removes: 0 });
  });

  it('catches up in the background without any request once the server is back', async () => {
    fake.mode = 'error500';
    index = make({ retryIntervalMs: 20 });
    await index.upsert([LIFETRAC]);
    fake.mode = 'up';
    await expect.poll(() => fake.docs().map((d) => d.id), { timeout: 2_000, interval: 20 }).toEqual([LIFETRAC.id]);
    expect(index.pendingCounts().upserts).toBe(0);
  });

  it('a task that never finishes times out and stays pending (no hang)', async () => {
    index = make({ taskTimeoutMs: 150 });
    await index.init();
    fake.mode = 'stuckTasks';
    // Resolves (the test's own timeout would catch a hang) and keeps the write pending.
    await index.upsert([LIFETRAC]);
    expect(index.pendingCounts().upserts).toBe(1);
    fake.mode = 'up';
    await index.search(defaultSearchQuery());
    expect(fake.docs().map((d) => d.id)).toEqual([LIFETRAC.id]);
  });

  it('a task that fails (a refusal, not an outage) is reported as INTERNAL and not retried forever', async () => {
    index = make();
    await index.init();
    fake.mode = 'failTasks';
    await expect(index.upsert([LIFETRAC])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(index.pendingCounts().upserts).toBe(0);
    fake.mode = 'up';
    const r = await index.search(defaultSearchQuery());
    expect(r.total).toBe(0);
  });
});

describe('MeiliSearchIndex.drop', () => {
  it('deletes the index', async () => {
    index = make();
    await index.init();
    await index.upsert([LIFETRAC]);
    await index.drop();
    expect(fake.indexes.has('designs')).toBe(false);
  });
});
