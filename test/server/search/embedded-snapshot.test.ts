/**
 * The embedded engine keeps documents out of memory (they are read from the database for a
 * result page) and saves its index on close, so a restart loads it instead of rebuilding; after
 * a restart search returns the same hits in the same order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSearchIndex } from '../../../server/services/derived-views.ts';
import { parseSearchQuery } from '../../../server/domain/search-query.ts';
import type { Deps } from '../../../server/services/deps.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;

beforeEach(async () => {
  reg = await makeRegistry();
  const alice = await reg.account('alice');
  for (const n of ['lamp', 'lantern', 'desk-lamp']) {
    expect((await publish(reg.app, alice, `alice/${n}`, '1.0.0', await designArchive(`alice/${n}`, '1.0.0'))).status).toBe(201);
  }
});
afterEach(() => reg.cleanup());

/** What a restart sees: new adapters over the same data dir. */
const restart = () => reg.reopen();

const snapshot = () => path.join(reg.dataDir, 'search', 'embedded-index.json');
const ids = async (deps: Deps, q: Record<string, string>) => (await deps.search.search(parseSearchQuery(q))).hits.map((h) => h.id);

describe('the embedded index across a restart', () => {
  it('is saved on close and loaded at the next start, answering the same hits in the same order', async () => {
    const queries: Array<Record<string, string>> = [{ q: 'lamp' }, { q: '' }, { q: 'test', sort: 'updated' }];
    const before = await Promise.all(queries.map((q) => ids(reg.deps, q)));
    expect(before[0]!.length).toBeGreaterThan(0);
    await reg.deps.search.close();
    expect(fs.existsSync(snapshot())).toBe(true);

    const deps = await restart();
    const restored = await deps.search.restore!();
    expect(restored?.size).toBe(3);
    expect(await loadSearchIndex(deps, restored)).toEqual({ documents: 3, reindexed: 0 });
    expect(await Promise.all(queries.map((q) => ids(deps, q)))).toEqual(before);
    // Used once: a crash later must not bring back this older index.
    expect(fs.existsSync(snapshot())).toBe(false);
  });

  it('re-indexes only the documents that changed since it was saved, and drops removed ones', async () => {
    await reg.deps.search.close();
    const deps = await restart();
    const restored = (await deps.search.restore!())!;
    restored.set('alice--lamp', 'a digest of an older document');
    restored.set('alice--gone', 'a design that no longer exists');
    expect(await loadSearchIndex(deps, restored)).toEqual({ documents: 3, reindexed: 2 });
    expect((await ids(deps, { q: '' })).sort()).toEqual(['alice--desk-lamp', 'alice--lamp', 'alice--lantern']);
  });

  it('rebuilds from the stored documents when the saved index is torn', async () => {
    await reg.deps.search.close();
    fs.writeFileSync(snapshot(), '{"format":1,"mini":');
    const deps = await restart();
    const restored = await deps.search.restore!();
    expect(restored).toBeUndefined();
    expect(await loadSearchIndex(deps, restored)).toEqual({ documents: 3, reindexed: 3 });
    expect((await ids(deps, { q: 'lantern' }))[0]).toBe('alice--lantern');
  });
});
