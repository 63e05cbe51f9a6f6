/**
 * Issue 12, "Faults": a missing or damaged index head is repaired from what the repositories
 * hold; history is never silently dropped and certification records stay reachable.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { PackBuilder } from '../../../../server/store/git/pack-writer.ts';
import { identity } from '../../../../server/store/git/objects.ts';
import { alice, bob, realGit, tempDataDir } from './helpers.ts';

describe('a damaged index head', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let index: GitIndexStore;
  let head: string;
  const cert = 'certifications/acme/widget/1.0.0.json';

  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
    index = new GitIndexStore({ dataDir });
    await index.commit([{ path: 'designs/acme/widget.jsonl', content: '{"version":"1.0.0"}\n' }], alice, 'publish acme/widget@1.0.0');
    await index.commit([{ path: cert, content: '{"state":"requested"}\n' }], alice, 'request certification');
    await index.commit([{ path: cert, content: '{"state":"certified"}\n' }], bob, 'certify');
    head = (await index.head())!;
    await index.idle();
  });
  afterEach(() => cleanup());

  const branch = () => join(dataDir, 'index.git/refs/heads/main');

  async function reopened(): Promise<GitIndexStore> {
    const again = new GitIndexStore({ dataDir });
    await again.init();
    return again;
  }

  it('a deleted head is set back to the last commit, with the whole history', async () => {
    await fsp.rm(branch());
    const again = await reopened();
    expect(await again.head()).toBe(head);
    expect(again.repaired).toMatchObject({ problem: 'refs/heads/main is missing', restored: head, kept: 4 });
    expect((await again.history(cert)).map((c) => c.content)).toEqual(['{"state":"requested"}\n', '{"state":"certified"}\n']);
    // New commits continue that history instead of starting a new one.
    const next = await again.commit([{ path: 'designs/acme/gadget.jsonl', content: '{}\n' }], alice, 'next');
    expect(realGit(['-C', again.repoPath(), 'rev-list', '--count', next]).trim()).toBe('5');
    await again.idle();
  });

  it('a torn head (an empty ref file) is repaired the same way', async () => {
    await fsp.writeFile(branch(), '');
    const again = await reopened();
    expect(await again.head()).toBe(head);
    expect(await again.read(cert)).toBe('{"state":"certified"}\n');
  });

  it('a head pointing at a commit that cannot be read goes back to the newest history that reads, and says so', async () => {
    // A commit whose tree is missing (as if its pack had been lost) on top of the good history.
    const b = new PackBuilder();
    const who = identity(alice, new Date());
    const broken = b.commit({ tree: 'f'.repeat(40), parent: [head], author: who, committer: who, message: 'lost' });
    await b.write(index.repoPath(), { fsync: false });
    await fsp.writeFile(branch(), `${broken}\n`);
    const again = await reopened();
    expect(again.repaired?.problem).toContain('cannot be read');
    expect(await again.head()).toBe(head);
    expect((await again.history(cert)).length).toBe(2);
    realGit(['-C', again.repoPath(), 'fsck', '--no-dangling', 'refs/heads/main']);
  });

  it('a whole head is left alone', async () => {
    const again = await reopened();
    expect(again.repaired).toBeUndefined();
    expect(await again.head()).toBe(head);
  });
});
