import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { initBareRepo } from '../../../../server/store/git/repo.ts';
import { fs, identity } from '../../../../server/store/git/objects.ts';
import { PackBuilder, discardPack } from '../../../../server/store/git/pack-writer.ts';
import { alice, realGit, tempDataDir, text } from './helpers.ts';

describe('PackBuilder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let gitdir: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDataDir());
    gitdir = join(dir, 'r.git');
    await initBareRepo(gitdir);
  });
  afterEach(() => cleanup());

  const who = identity(alice, new Date('2024-05-01T10:00:00Z'));
  const entriesOf = (b: PackBuilder, files: Record<string, string>) =>
    Object.entries(files).map(([path, content]) => ({ mode: '100644', path, oid: b.blob(text(content)) }));

  it('encodes blobs, trees, commits and tags byte for byte as isomorphic-git does (old repos keep their shape)', async () => {
    const b = new PackBuilder();
    const leaf = entriesOf(b, { 'a.txt': 'a', 'a-b.txt': 'ab', 'ü.md': 'u' });
    const sub = b.tree(leaf);
    const tree = b.tree([...entriesOf(b, { 'a.txt': 'top', 'a0': 'x' }), { mode: '040000', path: 'a', oid: sub }, { mode: '100755', path: 'run.sh', oid: b.blob(text('#!/bin/sh\n')) }]);
    const commit = b.commit({ tree, parent: [], author: who, committer: who, message: '\n\nacme/widget 1.0.0\r\n\nsummary\n\n\n' });
    const tag = b.tag({ object: commit, type: 'commit', tag: 'v1.0.0', tagger: who, message: 'ohw version 1.0.0\n\n{}\n' });

    const iso = { fs, gitdir };
    type IsoTree = Parameters<typeof git.writeTree>[0]['tree'];
    const isoLeaf = await Promise.all(['a.txt', 'a-b.txt', 'ü.md'].map(async (path, i) => ({ mode: '100644', path, oid: await git.writeBlob({ ...iso, blob: text(['a', 'ab', 'u'][i]!) }) })));
    const isoSub = await git.writeTree({ ...iso, tree: isoLeaf as IsoTree });
    const isoTree = await git.writeTree({ ...iso, tree: [
      { mode: '100644', path: 'a.txt', oid: await git.writeBlob({ ...iso, blob: text('top') }) },
      { mode: '100644', path: 'a0', oid: await git.writeBlob({ ...iso, blob: text('x') }) },
      { mode: '040000', path: 'a', oid: isoSub },
      { mode: '100755', path: 'run.sh', oid: await git.writeBlob({ ...iso, blob: text('#!/bin/sh\n') }) },
    ] as IsoTree });
    const isoCommit = await git.writeCommit({ ...iso, commit: { tree: isoTree, parent: [], author: who, committer: who, message: '\n\nacme/widget 1.0.0\r\n\nsummary\n\n\n' } });
    const isoTag = await git.writeTag({ ...iso, tag: { object: isoCommit, type: 'commit', tag: 'v1.0.0', tagger: who, message: 'ohw version 1.0.0\n\n{}\n' } });
    expect([sub, tree, commit, tag]).toEqual([isoSub, isoTree, isoCommit, isoTag]);
  });

  it('writes one pack + index that real git reads and verifies, and no loose objects', async () => {
    const b = new PackBuilder();
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const tree = b.tree([...entriesOf(b, { 'README.md': '# hi\n' }), { mode: '100644', path: 'big.bin', oid: b.blob(big) }]);
    const commit = b.commit({ tree, parent: [], author: who, committer: who, message: 'one' });
    b.blob(text('# hi\n')); // the same object twice is stored once
    const written = await b.write(gitdir, { fsync: true });
    expect(written?.objects).toBe(4);
    realGit(['-C', gitdir, 'update-ref', 'refs/heads/main', commit]);
    expect(realGit(['-C', gitdir, 'verify-pack', '-v', written!.idx])).toContain(commit);
    realGit(['-C', gitdir, 'fsck', '--full', '--strict', '--no-dangling']);
    expect(realGit(['-C', gitdir, 'count-objects', '-v'])).toMatch(/^count: 0$/m);
    expect(realGit(['-C', gitdir, 'cat-file', '-s', `${commit}:big.bin`]).trim()).toBe('300000');
    expect((await readdir(join(gitdir, 'objects/pack'))).filter((f) => f.startsWith('tmp_'))).toEqual([]);
  });

  it('removes a discarded pack: its objects are gone, not merely unreferenced', async () => {
    const b = new PackBuilder();
    const oid = b.blob(text('lost race'));
    const written = await b.write(gitdir, { fsync: false });
    expect(realGit(['-C', gitdir, 'cat-file', '-t', oid]).trim()).toBe('blob');
    await discardPack(written);
    expect(() => realGit(['-C', gitdir, 'cat-file', '-t', oid])).toThrow();
    expect(await readdir(join(gitdir, 'objects/pack'))).toEqual([]);
  });
});
