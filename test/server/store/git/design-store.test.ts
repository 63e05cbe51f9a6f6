import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir, stat, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { describeDesignStoreContract } from './design-store.contract.ts';
import { alice, bob, codeOf, initialState, normalize, publishInput, realGit, samplePackage, tempDataDir } from './helpers.ts';

describeDesignStoreContract('GitDesignStore', (dataDir) => new GitDesignStore({ dataDir }));

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../../../..');

describe('GitDesignStore on disk', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let store: GitDesignStore;

  beforeEach(async () => {
    ({ dir: dataDir, cleanup } = await tempDataDir());
    store = new GitDesignStore({ dataDir });
  });
  afterEach(async () => {
    await store.idle();
    await cleanup();
  });

  const fsck = (pkg: string) => realGit(['-C', store.repoPath(pkg), 'fsck', '--full', '--strict', '--no-progress']);

  it('keeps one bare repo per design at designs/<owner>/<name>.git', async () => {
    await store.create('acme/widget', initialState(), alice);
    expect(store.repoPath('acme/widget')).toBe(join(dataDir, 'designs', 'acme', 'widget.git'));
    expect(realGit(['-C', store.repoPath('acme/widget'), 'rev-parse', '--is-bare-repository']).trim()).toBe('true');
  });

  it('builds repo paths only from valid name segments', async () => {
    for (const bad of ['../etc/passwd', 'acme/../../x', 'acme', 'a/b/c', 'Acme/widget', 'acme/widget.git', 'acme/-x', 'acme/', '/acme/x', 'acme/a--b', `acme/${'a'.repeat(65)}`]) {
      expect(() => store.repoPath(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
      expect(await store.exists(bad), bad).toBe(false);
      expect(await codeOf(store.versions(bad)), bad).toBe('NOT_FOUND');
      expect(await codeOf(store.create(bad, initialState(), alice)), bad).toBe('INVALID_REQUEST');
    }
  });

  it('ignores leftovers that are not package repos when listing', async () => {
    await store.create('acme/widget', initialState(), alice);
    await mkdir(join(dataDir, 'designs', 'acme', '.tmp-widget.git-123-abc'), { recursive: true });
    await mkdir(join(dataDir, 'designs', 'acme', 'empty.git'), { recursive: true });
    await mkdir(join(dataDir, 'designs', 'Bad_Owner', 'x.git'), { recursive: true });
    expect(await store.list()).toEqual(['acme/widget']);
    // A failed concurrent create leaves no temp dirs behind.
    await Promise.all([1, 2, 3].map(() => codeOf(store.create('acme/gadget', initialState(), alice))));
    expect((await readdir(join(dataDir, 'designs', 'acme'))).sort()).toEqual(['.tmp-widget.git-123-abc', 'empty.git', 'gadget.git', 'widget.git']);
  });

  it('stores a version as an annotated tag v<semver> that real git can read', async () => {
    await store.create('acme/widget', initialState(), alice);
    const rec = await store.publish('acme/widget', publishInput('1.0.0'));
    const repo = store.repoPath('acme/widget');
    const tag = realGit(['-C', repo, 'cat-file', '-p', 'v1.0.0']);
    expect(tag).toContain(`object ${rec.commit}\ntype commit\ntag v1.0.0\ntagger alice <alice@example.org> 1714653296 +0000\n\nohw version 1.0.0\n\n`);
    expect(JSON.parse(tag.slice(tag.indexOf('ohw version 1.0.0\n\n') + 19))).toEqual(rec.meta);
    expect(realGit(['-C', repo, 'rev-parse', 'refs/tags/v1.0.0']).trim()).toBe(rec.tag);
    expect(realGit(['-C', repo, 'rev-parse', 'v1.0.0^{tree}']).trim()).toBe(rec.tree);
    expect(realGit(['-C', repo, 'log', '-1', '--format=%an <%ae> %s', 'v1.0.0']).trim()).toBe('alice <alice@example.org> Publish 1.0.0');
    expect(realGit(['-C', repo, 'ls-tree', '-r', 'v1.0.0']).split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0] + ' ' + l.split('\t')[1])).toEqual([
      '100644 README.md',
      '100644 cad/enclosure/base.step',
      '100644 cad/enclosure/lid.step',
      '100644 design.yaml',
      '100644 pcb/board.kicad_pcb',
      '100755 tools/flash.sh',
    ]);
    fsck('acme/widget');
  });

  it('can be cloned by real git, with the files (and executable bit) at the tag', async () => {
    await store.create('acme/widget', initialState(), alice);
    const files = samplePackage('clone');
    await store.publish('acme/widget', publishInput('1.0.0', files));
    const work = join(dataDir, 'clone');
    realGit(['clone', '--quiet', '--branch', 'v1.0.0', store.repoPath('acme/widget'), work]);
    for (const f of files) expect([...(await readFile(join(work, f.path)))], f.path).toEqual([...f.data]);
    expect((await stat(join(work, 'tools/flash.sh'))).mode & 0o111).not.toBe(0);
    expect((await stat(join(work, 'README.md'))).mode & 0o111).toBe(0);
  });

  it('chains each version to the highest lower version, so git log reads as history', async () => {
    await store.create('acme/widget', initialState(), alice);
    const v1 = await store.publish('acme/widget', publishInput('1.0.0'));
    const v2 = await store.publish('acme/widget', publishInput('2.0.0'));
    const v15 = await store.publish('acme/widget', publishInput('1.5.0'));
    const parents = (v: string) => realGit(['-C', store.repoPath('acme/widget'), 'log', '-1', '--format=%P', `v${v}`]).trim();
    expect(parents('1.0.0')).toBe('');
    expect(parents('2.0.0')).toBe(v1.commit);
    expect(parents('1.5.0')).toBe(v1.commit);
    expect(v15.commit).not.toBe(v2.commit);
  });

  it('records every state change as a commit by the actor on refs/meta/registry', async () => {
    await store.create('acme/widget', initialState('alice'), alice);
    await store.updateState('acme/widget', (s) => ({ ...s, owners: [...s.owners, 'bob'] }), alice, 'add owner bob');
    await store.updateState('acme/widget', (s) => ({ ...s, owners: ['bob'] }), bob, 'remove owner alice');
    await store.updateState('acme/widget', (s) => s, bob, 'no-op writes nothing');
    const log = realGit(['-C', store.repoPath('acme/widget'), 'log', '--format=%an|%s', 'refs/meta/registry']).trim().split('\n');
    expect(log).toEqual(['bob|remove owner alice', 'alice|add owner bob', 'alice|Create acme/widget']);
    const json = realGit(['-C', store.repoPath('acme/widget'), 'show', 'refs/meta/registry:state.json']);
    expect(JSON.parse(json).owners).toEqual(['bob']);
    fsck('acme/widget');
  });

  it('stays fsck-clean after lost races (their objects are only dangling)', async () => {
    await store.create('acme/widget', initialState(), alice);
    await Promise.all(Array.from({ length: 20 }, (_, i) => codeOf(store.publish('acme/widget', publishInput('1.0.0', samplePackage(`r${i}`))))));
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.updateState('acme/widget', (s) => ({ ...s, owners: [...s.owners, `o${i}`] }), alice, `add o${i}`)));
    const out = realGit(['-C', store.repoPath('acme/widget'), 'fsck', '--full', '--strict', '--no-progress', '--no-dangling']);
    expect(out).toBe('');
  });

  it('lets exactly one of 20 publishes from two separate processes win', { timeout: 60_000 }, async () => {
    await store.create('acme/widget', initialState(), alice);
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = join(here, 'fixtures', 'publish-child.ts');
    const children = ['A', 'B'].map((label) => {
      const child = spawn(tsx, [script, dataDir, 'acme/widget', '1.0.0', '10', label], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((res, rej) => {
        const poll = setInterval(() => {
          if (out.startsWith('ready\n')) (clearInterval(poll), res());
        }, 10);
        child.on('exit', () => (clearInterval(poll), rej(new Error(`child ${label} exited early: ${err}`))));
      });
      const done = new Promise<Array<{ label: string; code: string }>>((res, rej) =>
        child.on('exit', (code) => (code === 0 ? res(JSON.parse(out.slice('ready\n'.length))) : rej(new Error(`child ${label} failed (${code}): ${err}`)))),
      );
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end('go\n');
    const results = (await Promise.all(children.map((c) => c.done))).flat();
    expect(results).toHaveLength(20);
    const winners = results.filter((r) => r.code === 'OK');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.code === 'VERSION_EXISTS')).toHaveLength(19);
    expect(normalize(await store.readFiles('acme/widget', '1.0.0'))).toEqual(normalize(samplePackage(winners[0]!.label)));
    fsck('acme/widget');
  });

  it('forks with the upstream history under refs/upstream/tags, not as versions', async () => {
    await store.create('acme/widget', initialState('alice'), alice);
    const v1 = await store.publish('acme/widget', publishInput('1.0.0'));
    const v2 = await store.publish('acme/widget', publishInput('1.1.0'));
    await store.fork('acme/widget', 'bob/widget', { ...initialState('bob'), forkOf: { package: 'acme/widget', version: '1.1.0', at: '2024-07-01T00:00:00.000Z', by: 'bob' } }, bob);
    const repo = store.repoPath('bob/widget');
    const refs = realGit(['-C', repo, 'for-each-ref', '--format=%(refname) %(objectname)']).trim().split('\n').sort();
    expect(refs.filter((r) => !r.startsWith('refs/meta/registry '))).toEqual([`refs/upstream/tags/v1.0.0 ${v1.tag}`, `refs/upstream/tags/v1.1.0 ${v2.tag}`]);
    expect(realGit(['-C', repo, 'log', '--format=%H', 'refs/upstream/tags/v1.1.0']).trim().split('\n')).toEqual([v2.commit, v1.commit]);
    expect(realGit(['-C', repo, 'log', '--format=%an|%s', 'refs/meta/registry']).trim()).toBe('bob|Fork acme/widget as bob/widget');
    // The fork can be cloned, including the upstream history, by asking for it.
    const work = join(dataDir, 'fork-clone');
    realGit(['init', '--quiet', work]);
    realGit(['-C', work, 'fetch', '--quiet', repo, 'refs/upstream/tags/v1.1.0']);
    realGit(['-C', work, 'checkout', '--quiet', 'FETCH_HEAD']);
    expect(await readFile(join(work, 'README.md'), 'utf8')).toBe('# Widget 1.1.0\n');
    fsck('bob/widget');
  });

  it('relies on atomic rename and ref CAS, not on its queue: independent instances race correctly', async () => {
    // Separate instances share no in-process queue, like separate processes.
    const stores = Array.from({ length: 4 }, () => new GitDesignStore({ dataDir }));
    const creates = await Promise.all(stores.map((s, i) => codeOf(s.create('acme/widget', initialState(`user${i}`), alice))));
    expect(creates.filter((c) => c === 'OK')).toHaveLength(1);
    expect(creates.filter((c) => c === 'NAME_TAKEN')).toHaveLength(3);
    const names = Array.from({ length: 12 }, (_, i) => `owner${i}`);
    await Promise.all(names.map((n, i) => stores[i % 4]!.updateState('acme/widget', (st) => ({ ...st, owners: [...st.owners, n] }), alice, `add ${n}`)));
    // Each instance's maintenance (a repack, one process at a time) runs now; nothing may be lost to it.
    await Promise.all(stores.map((s) => s.idle()));
    expect((await store.state('acme/widget')).owners).toEqual(expect.arrayContaining(names));
    expect(realGit(['-C', store.repoPath('acme/widget'), 'rev-list', '--count', 'refs/meta/registry']).trim()).toBe('13');
    const publishes = await Promise.all(stores.map((s, i) => codeOf(s.publish('acme/widget', publishInput('1.0.0', samplePackage(`s${i}`))))));
    expect(publishes.filter((c) => c === 'OK')).toHaveLength(1);
    await Promise.all(stores.map((s) => s.idle()));
    fsck('acme/widget');
  });

  it('forks a package that has no versions yet', async () => {
    await store.create('acme/widget', initialState('alice'), alice);
    await store.fork('acme/widget', 'bob/widget', initialState('bob'), bob);
    expect(await store.versions('bob/widget')).toEqual([]);
    expect(await store.list()).toEqual(['acme/widget', 'bob/widget']);
    fsck('bob/widget');
  });

  it('keeps reading correctly after git gc packs the repo, also while gc runs', async () => {
    store = new GitDesignStore({ dataDir, gcEvery: 0 });
    await store.create('acme/widget', initialState(), alice);
    for (let i = 0; i < 5; i++) await store.publish('acme/widget', publishInput(`1.${i}.0`));
    const before = await store.versions('acme/widget');
    const repo = store.repoPath('acme/widget');
    const reads = Promise.all(Array.from({ length: 30 }, (_, i) => store.readFiles('acme/widget', `1.${i % 5}.0`)));
    await store.maintain('acme/widget', { full: true });
    await reads;
    expect(realGit(['-C', repo, 'count-objects', '-v'])).toMatch(/^count: 0$/m);
    expect(await store.versions('acme/widget')).toEqual(before);
    expect(normalize(await new GitDesignStore({ dataDir }).readFiles('acme/widget', '1.3.0'))).toEqual(normalize(samplePackage('1.3.0')));
    // Refs stay loose (gc.packRefs=false), objects are packed; writing on top of packs works.
    await store.publish('acme/widget', publishInput('2.0.0'));
    expect(normalize(await store.readFiles('acme/widget', '2.0.0'))).toEqual(normalize(samplePackage('2.0.0')));
    fsck('acme/widget');
  });
});
