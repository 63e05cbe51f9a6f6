/**
 * Issue 12, "Faults": an acknowledged publish is durable across power loss — the pack, its index,
 * the refs and the folders holding them are flushed (fsync) before the write resolves.
 * Observed by watching every file handle the store opens and which of them it flushes.
 */
import { promises as fsp } from 'node:fs';
import { relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { alice, initialState, publishInput, tempDataDir } from './helpers.ts';

describe('fsync before a write resolves', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let synced: string[];
  const open = fsp.open;
  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
    synced = [];
    fsp.open = (async (...args: Parameters<typeof open>) => {
      const fh = await open(...args);
      const sync = fh.sync.bind(fh);
      fh.sync = async () => {
        await sync();
        synced.push(relative(dataDir, String(args[0])));
      };
      return fh;
    }) as typeof open;
  });
  afterEach(async () => {
    fsp.open = open;
    await cleanup();
  });

  /** Names with their random parts replaced, for comparison. */
  const shapes = () => [...new Set(synced.map((p) => p.replace(/pack-[0-9a-f]{40}/, 'pack-*').replace(/tmp_(pack|idx)_[\w-]+/, 'tmp_$1_*')))].sort();

  it('flushes the pack, its index, the new refs and their folders before publish resolves', async () => {
    const store = new GitDesignStore({ dataDir, gcEvery: 0 });
    await store.create('acme/widget', initialState(), alice);
    synced = [];
    await store.publish('acme/widget', publishInput('1.0.0'));
    expect(shapes()).toEqual([
      'designs/acme/widget.git/objects/pack',
      'designs/acme/widget.git/objects/pack/tmp_idx_*',
      'designs/acme/widget.git/objects/pack/tmp_pack_*',
      'designs/acme/widget.git/refs/heads',
      'designs/acme/widget.git/refs/heads/main.lock',
      'designs/acme/widget.git/refs/tags',
      'designs/acme/widget.git/refs/tags/v1.0.0.lock',
    ]);
  });

  it('flushes a whole new repository (and its parent folder) before create resolves, and index commits too', async () => {
    const store = new GitDesignStore({ dataDir, gcEvery: 0 });
    await store.create('acme/widget', initialState(), alice);
    expect(shapes()).toContain('designs/acme');
    expect(synced.some((p) => /^designs\/acme\/\.tmp-widget\.git-.*\/HEAD$/.test(p))).toBe(true);
    expect(synced.some((p) => /^designs\/acme\/\.tmp-widget\.git-.*\/refs\/meta\/registry\.lock$/.test(p))).toBe(true);
    const index = new GitIndexStore({ dataDir, gcEvery: 0 });
    await index.init();
    synced = [];
    await index.commit([{ path: 'designs/acme/widget.json', content: '{}\n' }], alice, 'add');
    expect(shapes()).toEqual(expect.arrayContaining(['index.git/objects/pack/tmp_pack_*', 'index.git/refs/heads/main.lock', 'index.git/refs/heads']));
  });

  it('flushes nothing when fsync is off (the benchmark measures the difference)', async () => {
    const store = new GitDesignStore({ dataDir, gcEvery: 0, fsync: false });
    await store.create('acme/widget', initialState(), alice);
    await store.publish('acme/widget', publishInput('1.0.0'));
    expect(synced).toEqual([]);
  });
});
