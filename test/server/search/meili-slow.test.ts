/**
 * Slow is not down: a Meilisearch task that takes longer than a write call waits is still queued
 * on the server. The adapter follows it by uid, never sends it again, and does not count the
 * server as down. Full rebuilds run in the background; searches never wait for them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import type { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { FakeMeili } from './fake-meili.ts';
import { AQ_SENSOR, LIFETRAC, MICROSCOPE } from './fixtures.ts';
import { ids, makeIndex, searchError } from './meili-helpers.ts';

let fake: FakeMeili;
let index: MeiliSearchIndex;
const everything = defaultSearchQuery({ limit: 100 });
const settles = { timeout: 5_000, interval: 10 };

beforeEach(async () => {
  fake = new FakeMeili();
  await fake.start();
  // Write calls wait 50 ms for their task, then return while it is still followed.
  index = makeIndex(fake, { taskTimeoutMs: 50 });
  await index.init();
});

afterEach(async () => {
  fake.releaseTasks();
  await index.close();
  await fake.stop();
});

describe('a task slower than the wait', () => {
  it('is followed by its uid until it succeeds: never resent, and the server is not reported down', async () => {
    fake.holdTasks();
    await index.upsert([LIFETRAC]);
    await expect.poll(() => fake.taskStatuses(), settles).toContain('processing');
    expect(index.pendingCounts()).toMatchObject({ upserts: 0, inflight: 1 });
    expect(await index.health()).toMatchObject({ ok: true, status: 'ok' });
    // Searches answer meanwhile, from the index as it is.
    expect((await index.search(everything)).total).toBe(0);

    fake.releaseTasks();
    await expect.poll(() => ids(fake.docs()), settles).toEqual([LIFETRAC.id]);
    await expect.poll(() => index.pendingCounts().inflight, settles).toBe(0);
    expect(fake.count('POST /indexes/designs/documents')).toBe(1);
  });

  it('later writes queue behind it and follow once it is done, in order', async () => {
    fake.holdTasks();
    await index.upsert([LIFETRAC]);
    await index.remove([LIFETRAC.id]);
    await index.upsert([AQ_SENSOR]);
    await expect.poll(() => index.pendingCounts(), settles).toMatchObject({ inflight: 1, upserts: 1, removes: 1 });
    fake.releaseTasks();
    await expect.poll(() => ids(fake.docs()), settles).toEqual([AQ_SENSOR.id]);
    expect(fake.count('POST /indexes/designs/documents')).toBe(2);
  });
});

describe('a full rebuild', () => {
  it('runs in the background against a temporary index: searches answer from the old one meanwhile', async () => {
    await index.replaceAll([LIFETRAC]);
    await expect.poll(() => index.pendingCounts().full, settles).toBe(false);
    fake.holdTasks();
    await index.replaceAll([AQ_SENSOR, MICROSCOPE]);
    expect(index.pendingCounts().full).toBe(true);
    const during = await Promise.all([index.search(everything), index.search(everything)]);
    for (const r of during) expect(r.hits.map((h) => h.id)).toEqual([LIFETRAC.id]);

    fake.releaseTasks();
    await expect.poll(() => index.pendingCounts().full, settles).toBe(false);
    expect(ids((await index.search(everything)).hits)).toEqual(ids([AQ_SENSOR, MICROSCOPE]));
    expect(fake.indexes.has('designs_rebuild')).toBe(false);
  });

  it('writes made during the rebuild are applied on top of the new index after the swap', async () => {
    await index.replaceAll([LIFETRAC]);
    await expect.poll(() => index.pendingCounts().full, settles).toBe(false);
    fake.holdTasks();
    await index.replaceAll([AQ_SENSOR]);
    await index.upsert([MICROSCOPE]);
    await index.remove([AQ_SENSOR.id]);
    fake.releaseTasks();
    await expect.poll(() => index.pendingCounts(), settles).toEqual({ full: false, upserts: 0, removes: 0, inflight: 0 });
    expect(ids(fake.docs())).toEqual([MICROSCOPE.id]);
  });
});

describe('a search slower than the request timeout', () => {
  it('answers 503 for that search without counting the server as down', async () => {
    await index.close();
    index = makeIndex(fake, { requestTimeoutMs: 100 });
    await index.init();
    fake.searchDelayMs = 1_000;
    expect((await searchError(index)).code).toBe('SEARCH_UNAVAILABLE');
    fake.searchDelayMs = 0;
    expect(await index.health()).toMatchObject({ status: 'ok' });
    expect((await index.search(everything)).total).toBe(0);
  });
});
