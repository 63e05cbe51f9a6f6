import { describe, expect, it } from 'vitest';
import { lockOf, resolveRange, resolveTree, type AvailableVersion } from '../../../schema/bom/resolve.ts';
import { memoryRegistry } from '../../../schema/bom/memory-registry.ts';
import { caught, design, leaf, sub } from './fixtures.ts';

const powerCube: AvailableVersion[] = [
  { version: '1.1.0', yanked: false },
  { version: '1.0.0', yanked: false },
  { version: '1.2.0', yanked: true },
  { version: '2.0.0-rc.1', yanked: false },
];

describe('resolveRange: the highest published, non-yanked version satisfying the range', () => {
  it('^1.0.0 → 1.1.0: 1.2.0 is higher but yanked, 2.0.0-rc.1 is outside the range', () => {
    expect(resolveRange('ose/power-cube', '^1.0.0', powerCube)).toEqual({ version: '1.1.0', yanked: false });
  });

  it('a pre-release is taken only by a range that names one (npm semantics)', () => {
    expect(resolveRange('ose/power-cube', '>=1.0.0', powerCube).version).toBe('1.1.0');
    expect(resolveRange('ose/power-cube', '^2.0.0-rc.0', powerCube).version).toBe('2.0.0-rc.1');
  });

  it('a yanked version is used when pinned exactly ("1.2.0" or "=1.2.0"), with a warning', () => {
    const r = resolveRange('ose/power-cube', '1.2.0', powerCube, 'ose/lifetrac@1.0.0 bom line "power-cube"');
    expect(r).toEqual({
      version: '1.2.0',
      yanked: true,
      warning: 'ose/power-cube@1.2.0 is yanked; used only because it is pinned exactly ("1.2.0"), required by ose/lifetrac@1.0.0 bom line "power-cube"',
    });
    expect(resolveRange('ose/power-cube', '=1.2.0', powerCube).yanked).toBe(true);
  });

  it('a yanked version is NOT used by a range, even when it is the only match', async () => {
    const e = await caught(() => resolveRange('ose/power-cube', '~1.2.0', powerCube));
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.message).toBe('no published version of ose/power-cube satisfies "~1.2.0" (published: 1.0.0, 1.1.0, 2.0.0-rc.1; yanked: 1.2.0)');
  });

  it('unresolvable: names the package and the versions that exist, sorted by semver', async () => {
    const av = powerCube.filter((v) => !v.version.includes('rc'));
    const e = await caught(() => resolveRange('ose/power-cube', '^2.0.0', av));
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.message).toBe('no published version of ose/power-cube satisfies "^2.0.0" (published: 1.0.0, 1.1.0; yanked: 1.2.0)');
    expect(e.details).toEqual({ package: 'ose/power-cube', range: '^2.0.0', published: ['1.0.0', '1.1.0'], yanked: ['1.2.0'] });
    const none = await caught(() => resolveRange('ose/empty', '*', []));
    expect(none.message).toBe('no published version of ose/empty satisfies "*" (no versions published)');
  });

  it('an invalid range is refused', async () => {
    const e = await caught(() => resolveRange('ose/power-cube', 'latest-please', powerCube));
    expect(e.message).toBe('"latest-please" is not a valid semver range for sub-assembly ose/power-cube');
  });
});

describe('resolveTree', () => {
  const engine = design('ose/engine', '3.0.0', [leaf('block', 1)]);
  const cube10 = design('ose/power-cube', '1.0.0', [leaf('tank', 1)]);
  const cube11 = design('ose/power-cube', '1.1.0', [sub('engine', 'ose/engine', '^3.0.0'), leaf('tank', 1)]);
  const cube12 = design('ose/power-cube', '1.2.0', [leaf('tank', 2)], { yanked: true });

  it('resolves every level and records the direct dependencies (for the index line) and the whole lock', async () => {
    const root = design('ose/lifetrac', '1.0.0', [leaf('frame', 1), sub('power-cube', 'ose/power-cube', '^1.0.0', 2)]);
    const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([engine, cube10, cube11, cube12]));
    expect(tree.dependencies).toEqual([{ package: 'ose/power-cube', range: '^1.0.0', version: '1.1.0' }]);
    expect(lockOf(tree)).toEqual({
      'ose/engine@3.0.0': [],
      'ose/lifetrac@1.0.0': [{ package: 'ose/power-cube', range: '^1.0.0', version: '1.1.0' }],
      'ose/power-cube@1.1.0': [{ package: 'ose/engine', range: '^3.0.0', version: '3.0.0' }],
    });
    expect(tree.root.height).toBe(2);
    expect(tree.warnings).toEqual([]);
  });

  it('passes the yanked-but-pinned warning up to the tree', async () => {
    const root = design('ose/lifetrac', '1.0.0', [sub('power-cube', 'ose/power-cube', '1.2.0')]);
    const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([cube10, cube12]));
    expect(tree.dependencies[0]!.version).toBe('1.2.0');
    expect(tree.warnings).toEqual(['ose/power-cube@1.2.0 is yanked; used only because it is pinned exactly ("1.2.0"), required by ose/lifetrac@1.0.0 bom line "power-cube"']);
  });

  it('an unresolvable range deep in the tree is reported with the root line that leads to it', async () => {
    const badCube = design('ose/power-cube', '1.1.0', [sub('engine', 'ose/engine', '^4.0.0')]);
    const root = design('ose/lifetrac', '1.0.0', [leaf('frame', 1), sub('power-cube', 'ose/power-cube', '^1.0.0')]);
    const e = await caught(() => resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([engine, badCube])));
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.message).toBe('no published version of ose/engine satisfies "^4.0.0" (published: 3.0.0), required by ose/power-cube@1.1.0 bom line "engine"');
    expect(e.issues?.[0]).toMatchObject({ file: 'design.yaml', path: 'bom[1].subassembly', code: 'subassembly-unresolvable', severity: 'error' });
  });

  it('an unknown package is refused, pointing at the root line', async () => {
    const root = design('ose/lifetrac', '1.0.0', [sub('ghost', 'ose/ghost', '^1.0.0')]);
    const e = await caught(() => resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([])));
    expect(e.message).toBe('sub-assembly package ose/ghost does not exist, required by ose/lifetrac@1.0.0 bom line "ghost"');
    expect(e.issues?.[0]?.path).toBe('bom[0].subassembly.version');
  });

  it('a cycle is refused with its path; the design being published counts as published', async () => {
    // a/x@1.0.0 is being published (not in the registry yet); b/y@2.1.0 asks for a/x ^1.0.0.
    // Without counting the root, b/y would resolve to a/x@0.9.0 and the loop would appear only
    // after publishing.
    const x09 = design('a/x', '0.9.0', [leaf('plate', 1)]);
    const y = design('b/y', '2.1.0', [sub('x', 'a/x', '*')]);
    const root = design('a/x', '1.0.0', [sub('y', 'b/y', '^2.0.0')]);
    const e = await caught(() => resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([x09, y])));
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.message).toBe('sub-assembly cycle: a/x@1.0.0 → b/y@2.1.0 → a/x@1.0.0');
    expect(e.details).toEqual({ cycle: ['a/x@1.0.0', 'b/y@2.1.0', 'a/x@1.0.0'] });
  });

  it('a cycle below the root names only the loop', async () => {
    const p = design('c/p', '1.0.0', [sub('q', 'c/q', '1.0.0')]);
    const q = design('c/q', '1.0.0', [sub('p', 'c/p', '1.0.0')]);
    const root = design('c/top', '1.0.0', [sub('p', 'c/p', '^1.0.0')]);
    const e = await caught(() => resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([p, q])));
    expect(e.message).toBe('sub-assembly cycle: c/p@1.0.0 → c/q@1.0.0 → c/p@1.0.0');
  });

  it('a sub-assembly used in many places is fetched and resolved once', async () => {
    // top → a, b, c; each of a, b, c uses `shared` twice: 6 uses, 1 manifest fetch.
    const shared = design('s/shared', '1.0.0', [leaf('bolt', 1)]);
    const mids = ['a', 'b', 'c'].map((n) => design(`s/${n}`, '1.0.0', [sub('s1', 's/shared', '^1.0.0'), sub('s2', 's/shared', '~1.0.0')]));
    const root = design('s/top', '1.0.0', mids.map((m, i) => sub(`m${i}`, m.name, '1.0.0')));
    const reg = memoryRegistry([shared, ...mids]);
    const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, reg);
    expect(tree.nodes.size).toBe(5); // top, a, b, c, shared
    // manifests: a, b, c, shared = 4 fetches (the root is given); versions: s/a, s/b, s/c, s/shared = 4.
    expect(reg.calls).toEqual({ versions: 4, manifest: 4 });
  });

  describe('depth limit (32 levels of sub-assemblies below the root)', () => {
    /** chain/l0 → chain/l1 → … → chain/l<n>: root l0 has n levels below it. */
    const chain = (n: number) => Array.from({ length: n + 1 }, (_, i) =>
      design(`chain/l${i}`, '1.0.0', i < n ? [sub('next', `chain/l${i + 1}`, '1.0.0')] : [leaf('bolt', 1)]));

    it('32 levels resolve', async () => {
      const [root, ...rest] = chain(32);
      const tree = await resolveTree({ package: root!.name, version: '1.0.0', manifest: root! }, memoryRegistry(rest));
      expect(tree.root.height).toBe(32);
    });

    it('33 levels are refused with the limit named', async () => {
      const [root, ...rest] = chain(33);
      const e = await caught(() => resolveTree({ package: root!.name, version: '1.0.0', manifest: root! }, memoryRegistry(rest)));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('sub-assemblies nest deeper than the limit of 32 levels: chain/l0@1.0.0 → chain/l1@1.0.0 → chain/l2@1.0.0 → … → chain/l32@1.0.0 → chain/l33@1.0.0');
      expect(e.details?.limit).toBe(32);
    });

    it('a shared node already resolved shallow is re-checked when it is reached deeper', async () => {
      // maxDepth 3. top → a → d → e is 3 levels (fine); top → b → x → d → e is 4.
      // d is resolved (height 1) via a first, then reached at level 3 via b → x: 3 + 1 > 3.
      const e1 = design('t/e', '1.0.0', [leaf('bolt', 1)]);
      const d = design('t/d', '1.0.0', [sub('e', 't/e', '1.0.0')]);
      const a = design('t/a', '1.0.0', [sub('d', 't/d', '1.0.0')]);
      const x = design('t/x', '1.0.0', [sub('d', 't/d', '1.0.0')]);
      const b = design('t/b', '1.0.0', [sub('x', 't/x', '1.0.0')]);
      const root = design('t/top', '1.0.0', [sub('a', 't/a', '1.0.0'), sub('b', 't/b', '1.0.0')]);
      const err = await caught(() => resolveTree({ package: root.name, version: '1.0.0', manifest: root }, memoryRegistry([a, b, d, e1, x]), { maxDepth: 3 }));
      expect(err.code).toBe('INVALID_REQUEST');
      expect(err.message).toBe('sub-assemblies nest deeper than the limit of 3 levels: t/top@1.0.0 → t/b@1.0.0 → t/x@1.0.0 → t/d@1.0.0 (and 1 more level below)');
      expect(err.issues?.[0]?.path).toBe('bom[1].subassembly');
    });
  });
});
