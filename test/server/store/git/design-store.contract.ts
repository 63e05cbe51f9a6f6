/**
 * Contract of the DesignStore port, written against the port only. Any adapter runs it with
 * `describeDesignStoreContract(label, dataDir => store)`; each test gets a fresh temp data dir.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesignStore } from '../../../../server/store/ports.ts';
import { alice, bob, codeOf, initialState, normalize, publishInput, samplePackage, tempDataDir, text } from './helpers.ts';

export type StoreFactory = (dataDir: string) => DesignStore & { idle?: () => Promise<void> };

export function describeDesignStoreContract(label: string, factory: StoreFactory): void {
  describe(`DesignStore contract: ${label}`, () => {
    let dataDir: string;
    let cleanup: () => Promise<void>;
    let store: ReturnType<StoreFactory>;

    beforeEach(async () => {
      ({ dir: dataDir, cleanup } = await tempDataDir());
      store = factory(dataDir);
    });
    afterEach(async () => {
      await store.idle?.();
      await cleanup();
    });

    describe('create', () => {
      it('creates a package with its initial state, visible in exists() and list()', async () => {
        expect(await store.exists('acme/widget')).toBe(false);
        await store.create('acme/widget', initialState('alice'), alice);
        expect(await store.exists('acme/widget')).toBe(true);
        expect(await store.state('acme/widget')).toEqual(initialState('alice'));
        expect(await store.versions('acme/widget')).toEqual([]);
      });

      it('refuses an existing name with NAME_TAKEN and keeps the first state', async () => {
        await store.create('acme/widget', initialState('alice'), alice);
        expect(await codeOf(store.create('acme/widget', initialState('bob'), bob))).toBe('NAME_TAKEN');
        expect((await store.state('acme/widget')).owners).toEqual(['alice']);
      });

      it('lets exactly one of many concurrent creates of the same name win', async () => {
        const owners = Array.from({ length: 10 }, (_, i) => `user${i}`);
        const results = await Promise.all(owners.map((o) => codeOf(store.create('acme/widget', initialState(o), alice))));
        expect(results.filter((r) => r === 'OK')).toHaveLength(1);
        expect(results.filter((r) => r === 'NAME_TAKEN')).toHaveLength(9);
        const winner = owners[results.indexOf('OK')];
        expect((await store.state('acme/widget')).owners).toEqual([winner]);
      });

      it('lists all packages as owner/name, sorted', async () => {
        expect(await store.list()).toEqual([]);
        for (const p of ['zeta/one', 'acme/widget', 'acme/gadget-2']) await store.create(p, initialState(), alice);
        expect(await store.list()).toEqual(['acme/gadget-2', 'acme/widget', 'zeta/one']);
      });
    });

    describe('publish and read', () => {
      beforeEach(() => store.create('acme/widget', initialState(), alice));

      it('returns the version record and shows it in versions() and version()', async () => {
        const input = publishInput('1.0.0');
        input.meta = { checksum: 'sha256:1', publisher: 'alice', sourceCommit: 'f'.repeat(40), dependencies: [{ package: 'acme/screw', range: '^1', version: '1.2.0' }] };
        const rec = await store.publish('acme/widget', input);
        expect(rec).toMatchObject({ version: '1.0.0', publishedAt: '2024-05-02T12:34:56.000Z', meta: input.meta });
        expect(rec.tag).toMatch(/^[0-9a-f]{40}$/);
        expect(rec.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(rec.tree).toMatch(/^[0-9a-f]{40}$/);
        expect(new Set([rec.tag, rec.commit, rec.tree]).size).toBe(3);
        expect(await store.versions('acme/widget')).toEqual([rec]);
        expect(await store.version('acme/widget', '1.0.0')).toEqual(rec);
        expect(await store.version('acme/widget', '2.0.0')).toBeUndefined();
      });

      it('reads back identical bytes, nested folders and the executable bit', async () => {
        const files = samplePackage('x');
        await store.publish('acme/widget', publishInput('1.0.0', files));
        const back = await store.readFiles('acme/widget', '1.0.0');
        expect(normalize(back)).toEqual(normalize(files));
        expect(back.find((f) => f.path === 'tools/flash.sh')?.executable).toBe(true);
        expect(back.find((f) => f.path === 'README.md')?.executable).toBeFalsy();
      });

      it('reads one file by path; a missing path, a folder or a bad path is undefined', async () => {
        await store.publish('acme/widget', publishInput('1.0.0', samplePackage('y')));
        expect([...((await store.readFile('acme/widget', '1.0.0', 'cad/enclosure/lid.step')) ?? [])]).toEqual([...text('ISO-10303-21; y\n')]);
        expect(await store.readFile('acme/widget', '1.0.0', 'cad/enclosure/nope.step')).toBeUndefined();
        expect(await store.readFile('acme/widget', '1.0.0', 'nope/lid.step')).toBeUndefined();
        expect(await store.readFile('acme/widget', '1.0.0', 'cad/enclosure')).toBeUndefined();
        expect(await store.readFile('acme/widget', '1.0.0', '../../config')).toBeUndefined();
        expect(await store.readFile('acme/widget', '1.0.0', '/README.md')).toBeUndefined();
      });

      it('lists versions in semver order, not publish or string order', async () => {
        for (const v of ['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.0', '2.0.0-alpha.10', '2.0.0-alpha.2']) {
          await store.publish('acme/widget', publishInput(v));
        }
        expect((await store.versions('acme/widget')).map((r) => r.version)).toEqual(['0.9.0', '1.2.0-rc.1', '1.2.0', '1.10.0', '2.0.0-alpha.2', '2.0.0-alpha.10']);
      });

      it('keeps versions immutable: publishing the same version again is VERSION_EXISTS and changes nothing', async () => {
        const first = await store.publish('acme/widget', publishInput('1.0.0', samplePackage('first')));
        const err = await store.publish('acme/widget', publishInput('1.0.0', samplePackage('second'))).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'VERSION_EXISTS', message: 'version 1.0.0 of acme/widget already exists' });
        expect(await store.versions('acme/widget')).toEqual([first]);
        expect(normalize(await store.readFiles('acme/widget', '1.0.0'))).toEqual(normalize(samplePackage('first')));
      });

      it('treats versions differing only by build metadata as the same version', async () => {
        await store.publish('acme/widget', publishInput('1.0.0+build.1'));
        expect(await codeOf(store.publish('acme/widget', publishInput('1.0.0+build.2')))).toBe('VERSION_EXISTS');
        expect(await codeOf(store.publish('acme/widget', publishInput('1.0.0')))).toBe('VERSION_EXISTS');
      });

      it('lets exactly one of 20 concurrent publishes of the same version win, with its bytes', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => codeOf(store.publish('acme/widget', publishInput('1.0.0', samplePackage(`p${i}`))))),
        );
        expect(results.filter((r) => r === 'OK')).toHaveLength(1);
        expect(results.filter((r) => r === 'VERSION_EXISTS')).toHaveLength(19);
        const winner = results.indexOf('OK');
        expect(normalize(await store.readFiles('acme/widget', '1.0.0'))).toEqual(normalize(samplePackage(`p${winner}`)));
      });

      it('publishes different versions concurrently without losing any', async () => {
        const versions = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);
        await Promise.all(versions.map((v) => store.publish('acme/widget', publishInput(v))));
        expect((await store.versions('acme/widget')).map((r) => r.version)).toEqual(versions);
      });

      it('refuses invalid versions and unknown packages or versions', async () => {
        for (const v of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-rc.lock', '', '../1.0.0']) {
          expect(await codeOf(store.publish('acme/widget', publishInput(v))), v).toBe('INVALID_REQUEST');
        }
        expect(await codeOf(store.publish('acme/nothing', publishInput('1.0.0')))).toBe('NOT_FOUND');
        expect(await codeOf(store.versions('acme/nothing'))).toBe('NOT_FOUND');
        expect(await codeOf(store.state('acme/nothing'))).toBe('NOT_FOUND');
        expect(await codeOf(store.readFiles('acme/widget', '9.9.9'))).toBe('NOT_FOUND');
        expect(await codeOf(store.readFile('acme/widget', '9.9.9', 'README.md'))).toBe('NOT_FOUND');
        expect(await store.version('acme/widget', '../../HEAD')).toBeUndefined();
      });

      it('refuses a package whose paths cannot form a tree', async () => {
        const bad = [
          [{ path: 'a/../b', data: text('x') }],
          [{ path: '.git/config', data: text('x') }],
          [{ path: 'a', data: text('x') }, { path: 'a/b', data: text('y') }],
          [{ path: 'a', data: text('x') }, { path: 'a', data: text('y') }],
          [],
        ];
        for (const files of bad) expect(await codeOf(store.publish('acme/widget', publishInput('1.0.0', files)))).toBe('INVALID_ARCHIVE');
        expect(await store.versions('acme/widget')).toEqual([]);
      });
    });

    describe('state', () => {
      beforeEach(() => store.create('acme/widget', initialState('alice'), alice));

      it('applies a change and returns the new state', async () => {
        const next = await store.updateState('acme/widget', (s) => ({ ...s, yanked: { '1.0.0': { at: '2024-06-01T00:00:00.000Z', by: 'alice', reason: 'bad' } } }), alice, 'yank 1.0.0');
        expect(next.yanked['1.0.0']?.reason).toBe('bad');
        expect(await store.state('acme/widget')).toEqual(next);
      });

      it('lands all of 10 concurrent owner additions', async () => {
        const names = Array.from({ length: 10 }, (_, i) => `owner${i}`);
        await Promise.all(names.map((n) => store.updateState('acme/widget', (s) => ({ ...s, owners: [...s.owners, n] }), alice, `add ${n}`)));
        expect((await store.state('acme/widget')).owners.sort()).toEqual(['alice', ...names].sort());
      });

      it('leaves the state unchanged when the change throws', async () => {
        const err = new Error('not an owner');
        await expect(store.updateState('acme/widget', () => { throw err; }, bob, 'nope')).rejects.toBe(err);
        expect(await store.state('acme/widget')).toEqual(initialState('alice'));
      });
    });

    describe('fork', () => {
      beforeEach(async () => {
        await store.create('acme/widget', initialState('alice'), alice);
        await store.publish('acme/widget', publishInput('1.0.0'));
      });

      it('creates a new package with its own state and no versions of its own', async () => {
        const state = { ...initialState('bob'), forkOf: { package: 'acme/widget', version: '1.0.0', at: '2024-07-01T00:00:00.000Z', by: 'bob' } };
        await store.fork('acme/widget', 'bob/widget', state, bob);
        expect(await store.exists('bob/widget')).toBe(true);
        expect(await store.state('bob/widget')).toEqual(state);
        expect(await store.versions('bob/widget')).toEqual([]);
        expect((await store.versions('acme/widget')).map((v) => v.version)).toEqual(['1.0.0']);
        expect(await store.state('acme/widget')).toEqual(initialState('alice'));
        // The fork can publish its own 1.0.0.
        await store.publish('bob/widget', publishInput('1.0.0', samplePackage('bob')));
        expect(normalize(await store.readFiles('bob/widget', '1.0.0'))).toEqual(normalize(samplePackage('bob')));
      });

      it('refuses an existing target (NAME_TAKEN) and a missing source (NOT_FOUND)', async () => {
        await store.create('bob/widget', initialState('bob'), bob);
        expect(await codeOf(store.fork('acme/widget', 'bob/widget', initialState('bob'), bob))).toBe('NAME_TAKEN');
        expect(await codeOf(store.fork('acme/nothing', 'bob/other', initialState('bob'), bob))).toBe('NOT_FOUND');
        expect(await store.exists('bob/other')).toBe(false);
      });
    });
  });
}
