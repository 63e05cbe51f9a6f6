import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { alice, bob, codeOf, realGit, tempDataDir } from './helpers.ts';

describe('GitIndexStore', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let index: GitIndexStore;

  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
    index = new GitIndexStore({ dataDir });
    await index.init();
  });
  afterEach(async () => {
    await index.idle();
    await cleanup();
  });

  it('lives in a bare repo at $dataDir/index.git with a root commit on main', async () => {
    expect(index.repoPath()).toBe(join(dataDir, 'index.git'));
    const head = await index.head();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(realGit(['-C', index.repoPath(), 'rev-parse', 'refs/heads/main']).trim()).toBe(head);
    expect(await index.list('')).toEqual([]);
  });

  it('init is idempotent, also when raced by several instances', async () => {
    const head = await index.head();
    await index.init();
    await Promise.all([1, 2, 3].map(() => new GitIndexStore({ dataDir }).init()));
    expect(await index.head()).toBe(head);
    const fresh = await tempDataDir();
    try {
      const heads = await Promise.all([1, 2, 3, 4].map(async () => {
        const s = new GitIndexStore({ dataDir: fresh.dir });
        await s.init();
        return s.head();
      }));
      expect(new Set(heads).size).toBe(1);
    } finally {
      await fresh.cleanup();
    }
  });

  it('commits changes as one commit and reads them back at HEAD', async () => {
    const before = await index.head();
    const oid = await index.commit(
      [
        { path: 'designs/acme/widget.json', content: '{"owners":["alice"]}\n' },
        { path: 'designs/acme/widget.jsonl', content: '{"version":"1.0.0"}\n' },
        { path: 'certifications/OHC-000001.json', content: '{}\n' },
      ],
      alice,
      'publish acme/widget 1.0.0',
    );
    expect(await index.head()).toBe(oid);
    expect(realGit(['-C', index.repoPath(), 'log', '-1', '--format=%P|%an <%ae>|%s', oid]).trim()).toBe(`${before}|alice <alice@example.org>|publish acme/widget 1.0.0`);
    expect(await index.read('designs/acme/widget.json')).toBe('{"owners":["alice"]}\n');
    expect(await index.read('designs/acme/widget.jsonl')).toBe('{"version":"1.0.0"}\n');
    expect(await index.read('designs/acme/nothing.json')).toBeUndefined();
    expect(await index.read('designs/acme')).toBeUndefined();
    expect(await index.read('../config')).toBeUndefined();
    expect(realGit(['-C', index.repoPath(), 'show', 'main:designs/acme/widget.json'])).toBe('{"owners":["alice"]}\n');
  });

  it('lists the files under a folder as full paths, recursively and sorted', async () => {
    await index.commit(
      ['designs/zeta/one.json', 'designs/acme/widget.jsonl', 'designs/acme/widget.json', 'certifications/OHC-000001.json'].map((path) => ({ path, content: 'x' })),
      alice,
      'seed',
    );
    const designs = ['designs/acme/widget.json', 'designs/acme/widget.jsonl', 'designs/zeta/one.json'];
    expect(await index.list('designs/')).toEqual(designs);
    expect(await index.list('designs')).toEqual(designs);
    expect(await index.list('designs/acme')).toEqual(designs.slice(0, 2));
    expect(await index.list('')).toEqual(['certifications/OHC-000001.json', ...designs]);
    expect(await index.list('nothing/')).toEqual([]);
    expect(await index.list('designs/zeta/one.json')).toEqual([]);
  });

  it('deletes files with content null, and drops folders left empty', async () => {
    await index.commit([{ path: 'designs/acme/widget.json', content: 'a' }, { path: 'designs/zeta/one.json', content: 'b' }], alice, 'add');
    await index.commit([{ path: 'designs/acme/widget.json', content: null }, { path: 'designs/acme/never-there.json', content: null }], alice, 'remove');
    expect(await index.read('designs/acme/widget.json')).toBeUndefined();
    expect(await index.list('')).toEqual(['designs/zeta/one.json']);
    expect(realGit(['-C', index.repoPath(), 'ls-tree', '--name-only', 'main:designs']).trim()).toBe('zeta');
  });

  it('makes no commit when nothing changes and returns the current head', async () => {
    const first = await index.commit([{ path: 'designs/acme/widget.json', content: 'same' }], alice, 'one');
    expect(await index.commit([{ path: 'designs/acme/widget.json', content: 'same' }], bob, 'again')).toBe(first);
    expect(await index.commit([], bob, 'empty')).toBe(first);
    expect(await index.commit([{ path: 'designs/acme/absent.json', content: null }], bob, 'delete nothing')).toBe(first);
    expect(await index.head()).toBe(first);
  });

  it('refuses bad paths and contradictory changes without committing', async () => {
    const head = await index.head();
    for (const changes of [
      [{ path: '../escape', content: 'x' }],
      [{ path: '.git/config', content: 'x' }],
      [{ path: 'a//b', content: 'x' }],
      [{ path: 'a', content: 'x' }, { path: 'a', content: 'y' }],
      [{ path: 'a', content: 'x' }, { path: 'a/b', content: 'y' }],
    ]) {
      expect(await codeOf(index.commit(changes, alice, 'bad'))).toBe('INVALID_REQUEST');
    }
    await index.commit([{ path: 'designs/acme/widget.json', content: 'x' }], alice, 'ok');
    expect(await codeOf(index.commit([{ path: 'designs/acme/widget.json/inner', content: 'x' }], alice, 'through a file'))).toBe('INVALID_REQUEST');
    expect(await codeOf(index.commit([{ path: 'designs/acme', content: 'x' }], alice, 'onto a folder'))).toBe('INVALID_REQUEST');
    expect(await index.head()).not.toBe(head);
    expect(await index.list('')).toEqual(['designs/acme/widget.json']);
  });

  it('lands concurrent commits in call order without losing any', async () => {
    const n = 30;
    const oids = await Promise.all(
      Array.from({ length: n }, (_, i) => index.commit([{ path: `certifications/OHC-${String(i).padStart(6, '0')}.json`, content: `${i}\n` }, { path: 'counter', content: `${i}\n` }], alice, `event ${i}`)),
    );
    expect(new Set(oids).size).toBe(n);
    expect(await index.list('certifications')).toHaveLength(n);
    expect(await index.read('counter')).toBe(`${n - 1}\n`);
    const log = realGit(['-C', index.repoPath(), 'log', '--format=%H %s', 'main']).trim().split('\n').reverse().slice(1);
    expect(log).toEqual(oids.map((o, i) => `${o} event ${i}`));
  });

  it('lands concurrent commits from several store instances (CAS retry)', async () => {
    const stores = [index, new GitIndexStore({ dataDir }), new GitIndexStore({ dataDir })];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => stores[i % 3]!.commit([{ path: `certifications/c${i}.json`, content: `${i}` }], alice, `c${i}`)),
    );
    await Promise.all(stores.map((s) => s.idle()));
    expect(await index.list('certifications')).toHaveLength(24);
    expect(realGit(['-C', index.repoPath(), 'rev-list', '--count', 'main']).trim()).toBe('25');
    realGit(['-C', index.repoPath(), 'fsck', '--full', '--strict', '--no-progress']);
  });

  it('gives the history of one file, oldest first, with author, message and content', async () => {
    const path = 'certifications/OHC-000001.json';
    const c1 = await index.commit([{ path, content: '{"state":"submitted"}' }], alice, 'submit');
    await index.commit([{ path: 'designs/acme/widget.json', content: 'other file' }], bob, 'unrelated');
    const c2 = await index.commit([{ path, content: '{"state":"in-review"}' }], bob, 'review\n\nwith a body');
    await index.commit([{ path, content: '{"state":"in-review"}' }], bob, 'no change: no commit');
    const c3 = await index.commit([{ path, content: null }], alice, 'withdraw');
    const c4 = await index.commit([{ path, content: '{"state":"submitted"}' }], alice, 'resubmit');
    const history = await index.history(path);
    expect(history.map((h) => [h.commit, h.author.name, h.message, h.content])).toEqual([
      [c1, 'alice', 'submit', '{"state":"submitted"}'],
      [c2, 'bob', 'review\n\nwith a body', '{"state":"in-review"}'],
      [c3, 'alice', 'withdraw', undefined],
      [c4, 'alice', 'resubmit', '{"state":"submitted"}'],
    ]);
    expect(history[0]!.author).toEqual(alice);
    expect(Date.parse(history[0]!.date)).toBeGreaterThan(Date.now() - 60_000);
    expect(await index.history('designs/never.json')).toEqual([]);
  });

  it('keeps working after git gc packs the repo', async () => {
    for (let i = 0; i < 5; i++) await index.commit([{ path: `designs/acme/w${i}.json`, content: `${i}` }], alice, `c${i}`);
    await index.maintain({ full: true });
    expect(realGit(['-C', index.repoPath(), 'count-objects', '-v'])).toMatch(/^count: 0$/m);
    expect(await index.read('designs/acme/w3.json')).toBe('3');
    expect((await index.history('designs/acme/w2.json')).map((h) => h.message)).toEqual(['c2']);
    await index.commit([{ path: 'designs/acme/w9.json', content: '9' }], alice, 'after gc');
    expect(await index.list('designs')).toHaveLength(6);
  });
});
