import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { alice, initialState, normalize, publishInput, realGit, samplePackage, tempDataDir } from './helpers.ts';

describe('objects are written as packs and repacked once writes pause', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
  });
  afterEach(() => cleanup());

  const packFiles = async (gitdir: string) => (await readdir(join(gitdir, 'objects/pack'))).filter((f) => f.endsWith('.pack'));
  /** A store over the temp data dir with `acme/widget` created in it (default maintenance unless given). */
  const widgetStore = async (opts: { gcEvery?: number } = {}) => {
    const store = new GitDesignStore({ dataDir, ...opts });
    await store.create('acme/widget', initialState(), alice);
    return { store, gitdir: store.repoPath('acme/widget') };
  };
  const looseCount = (gitdir: string) => Number(/^count: (\d+)$/m.exec(realGit(['-C', gitdir, 'count-objects', '-v']))![1]);

  it('writes a publish as exactly one new pack and no loose object', async () => {
    const { store, gitdir } = await widgetStore({ gcEvery: 0 });
    const before = await packFiles(gitdir);
    const rec = await store.publish('acme/widget', publishInput('1.0.0'));
    const after = await packFiles(gitdir);
    expect(after.length).toBe(before.length + 1);
    expect(looseCount(gitdir)).toBe(0);
    // The new pack holds the tag, the commit, the trees and the blobs of the version.
    const added = after.find((p) => !before.includes(p))!;
    const listed = realGit(['-C', gitdir, 'verify-pack', '-v', join(gitdir, 'objects/pack', added.replace(/\.pack$/, '.idx'))]);
    for (const oid of [rec.tag, rec.commit, rec.tree]) expect(listed).toContain(oid);
    expect(normalize(await store.readFiles('acme/widget', '1.0.0'))).toEqual(normalize(samplePackage('1.0.0')));
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
  });

  it('consolidates a small repository into one pack with a bitmap once its writes pause (a clone reuses it whole)', async () => {
    const { store, gitdir } = await widgetStore();
    for (let i = 0; i < 12; i++) {
      await store.publish('acme/widget', publishInput(`1.${i}.0`));
      if (i % 4 === 3) await store.idle();
    }
    await store.idle();
    const files = await readdir(join(gitdir, 'objects/pack'));
    expect(await packFiles(gitdir)).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.bitmap'))).toEqual([(await packFiles(gitdir))[0]!.replace(/\.pack$/, '.bitmap')]);
    expect(files).not.toContain('multi-pack-index');
    expect(looseCount(gitdir)).toBe(0);
    // Reads through the same store keep working across the repacks (its caches were dropped).
    expect(normalize(await store.readFiles('acme/widget', '1.3.0'))).toEqual(normalize(samplePackage('1.3.0')));
    expect((await store.versions('acme/widget')).length).toBe(12);
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
  });

  it('rolls packs up beside a stream of writes that never pauses, without holding the writes back', async () => {
    const { store, gitdir } = await widgetStore();
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.publish('acme/widget', publishInput(`1.${i}.0`))));
    // 41 packs were written; roll-ups every 16 writes (or a pause) merged most of them.
    expect((await packFiles(gitdir)).length).toBeLessThan(30);
    await store.idle();
    expect(await packFiles(gitdir)).toHaveLength(1);
    expect((await store.versions('acme/widget')).length).toBe(40);
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
  });

  it('leaves a repository alone while another process holds its maintenance lock, and takes over a lock left by a crash', async () => {
    const { store, gitdir } = await widgetStore();
    const lock = join(gitdir, 'ohw-maintenance.lock');
    await writeFile(lock, '');
    await store.publish('acme/widget', publishInput('1.0.0'));
    await store.idle();
    expect(await packFiles(gitdir)).toHaveLength(2);
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lock, old, old);
    await store.publish('acme/widget', publishInput('1.1.0'));
    await store.idle();
    expect(await packFiles(gitdir)).toHaveLength(1);
    expect((await readdir(gitdir)).includes('ohw-maintenance.lock')).toBe(false);
  });

  it('rolls a repository up geometrically, with a multi-pack bitmap, when asked to maintain it', async () => {
    const { store, gitdir } = await widgetStore({ gcEvery: 0 });
    for (let i = 0; i < 6; i++) await store.publish('acme/widget', publishInput(`1.${i}.0`));
    expect(await packFiles(gitdir)).toHaveLength(7);
    await store.maintain('acme/widget');
    expect((await packFiles(gitdir)).length).toBeLessThan(7);
    expect((await readdir(join(gitdir, 'objects/pack'))).some((f) => f.endsWith('.bitmap'))).toBe(true);
    expect((await store.versions('acme/widget')).length).toBe(6);
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
  });

  it('packs a repository written before packs (loose objects) at its next write', async () => {
    const { store, gitdir } = await widgetStore();
    // An old repo: its objects loose, as isomorphic-git wrote them before.
    const [pack] = await packFiles(gitdir);
    const bytes = await readFile(join(gitdir, 'objects/pack', pack!));
    await rm(join(gitdir, 'objects/pack'), { recursive: true });
    execFileSync('git', ['-C', gitdir, 'unpack-objects', '-q'], { input: bytes });
    expect(looseCount(gitdir)).toBeGreaterThan(0);
    await store.publish('acme/widget', publishInput('1.0.0'));
    await store.idle();
    expect(looseCount(gitdir)).toBe(0);
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
  });

  it('commits the index as one pack per commit and repacks it too', async () => {
    const index = new GitIndexStore({ dataDir });
    for (let i = 0; i < 10; i++) {
      await index.commit([{ path: `designs/acme/w${i}.json`, content: `{"i":${i}}\n` }], alice, `add w${i}`);
      await index.idle();
    }
    expect(looseCount(index.repoPath())).toBe(0);
    expect(await packFiles(index.repoPath())).toHaveLength(1);
    expect(await index.read('designs/acme/w7.json')).toBe('{"i":7}\n');
  });
});
