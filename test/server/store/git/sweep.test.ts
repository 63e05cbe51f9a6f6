import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { sweepTemporaries } from '../../../../server/store/git/sweep.ts';
import { alice, codeOf, initialState, publishInput, realGit, tempDataDir } from './helpers.ts';

describe('temporary files left by a crash are removed at start', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
  });
  afterEach(() => cleanup());

  it('removes half-created repos, temporary packs and objects, and stale ref locks — and nothing else', async () => {
    const store = new GitDesignStore({ dataDir });
    await store.create('acme/widget', initialState(), alice);
    await store.publish('acme/widget', publishInput('1.0.0'));
    await new GitIndexStore({ dataDir }).init();
    await store.idle();
    const repo = store.repoPath('acme/widget');
    const packsBefore = (await readdir(join(repo, 'objects/pack'))).sort();
    // What a kill -9 in the middle of writes leaves behind.
    await mkdir(join(dataDir, 'designs/acme/.tmp-gadget.git-123-abc/objects'), { recursive: true });
    await writeFile(join(repo, 'objects/pack/tmp_pack_123-abc'), 'PACK half');
    await writeFile(join(repo, 'objects/pack/tmp_idx_123-abc'), 'idx half');
    await mkdir(join(repo, 'objects/ab'), { recursive: true });
    await writeFile(join(repo, 'objects/ab/cdef.tmp-123-abc'), 'torn loose object');
    await writeFile(join(repo, 'refs/tags/v2.0.0.lock'), '');
    await writeFile(join(dataDir, 'index.git/refs/heads/main.lock'), '');
    await writeFile(join(repo, 'ohw-maintenance.lock'), '');

    // A stale lock blocks its ref: the version cannot be published while it is there.
    expect(await codeOf(store.publish('acme/widget', publishInput('2.0.0')))).toBe('CONFLICT');

    const removed = await sweepTemporaries(dataDir);
    expect(removed.sort()).toEqual([
      'acme/widget: objects/ab/cdef.tmp-123-abc',
      'acme/widget: objects/pack/tmp_idx_123-abc',
      'acme/widget: objects/pack/tmp_pack_123-abc',
      'acme/widget: ohw-maintenance.lock',
      'acme/widget: refs/tags/v2.0.0.lock',
      'designs/acme/.tmp-gadget.git-123-abc',
      'index.git: refs/heads/main.lock',
    ]);
    expect((await readdir(join(repo, 'objects/pack'))).sort()).toEqual(packsBefore);
    expect(await readdir(join(dataDir, 'designs/acme'))).toEqual(['widget.git']);
    expect((await store.publish('acme/widget', publishInput('2.0.0'))).version).toBe('2.0.0');
    // The repack queued behind that publish writes packs: let it finish before looking (and before the folder is removed).
    await store.idle();
    realGit(['-C', repo, 'fsck', '--full', '--strict', '--no-dangling']);
    expect(await sweepTemporaries(dataDir)).toEqual([]);
  });

  it('at start sweeps only the designs a crash may have interrupted; beside a running server, only what is older than its start', async () => {
    const store = new GitDesignStore({ dataDir });
    await store.create('acme/widget', initialState(), alice);
    await store.create('acme/gadget', initialState(), alice);
    await store.idle();
    const widget = store.repoPath('acme/widget');
    const gadget = store.repoPath('acme/gadget');
    await writeFile(join(widget, 'refs/tags/v1.0.0.lock'), '');
    await writeFile(join(gadget, 'refs/tags/v1.0.0.lock'), '');
    // Only the pending design is swept before serving.
    expect(await sweepTemporaries(dataDir, { only: ['acme/widget'] })).toEqual(['acme/widget: refs/tags/v1.0.0.lock']);
    // A lock made after the server started (an in-flight write) is left alone by the background sweep.
    expect(await sweepTemporaries(dataDir, { olderThan: Date.now() - 60_000 })).toEqual([]);
    expect(await sweepTemporaries(dataDir, { olderThan: Date.now() + 1_000 })).toEqual(['acme/gadget: refs/tags/v1.0.0.lock']);
  });
});
