import { describe, expect, it } from 'vitest';
import { whereUsed, type IndexEntry } from '../../../schema/bom/where-used.ts';

/**
 *   ose/tractor@1.0.0   → ose/power-cube@1.0.0
 *   ose/tractor@1.1.0   → ose/power-cube@1.1.0
 *   ose/tractor@0.9.0   → ose/engine@1.0.0            (no power-cube)
 *   ose/lifetrac@2.0.0  → ose/tractor@1.1.0            (transitive, via tractor)
 *   ose/farm@1.0.0      → ose/lifetrac@2.0.0           (two levels up)
 *   ose/old-farm@1.0.0  → ose/tractor@0.9.0            (not a user)
 *   ose/harvester@1.0.0 → ose/power-cube@1.1.0 AND ose/tractor@1.0.0 (direct wins)
 */
const dep = (p: string, v: string, range = `^${v}`) => ({ package: p, range, version: v });
const index: IndexEntry[] = [
  { package: 'ose/power-cube', version: '1.0.0', dependencies: [] },
  { package: 'ose/power-cube', version: '1.1.0', dependencies: [] },
  { package: 'ose/tractor', version: '0.9.0', dependencies: [dep('ose/engine', '1.0.0')] },
  { package: 'ose/tractor', version: '1.0.0', dependencies: [dep('ose/power-cube', '1.0.0')] },
  { package: 'ose/tractor', version: '1.1.0', dependencies: [dep('ose/power-cube', '1.1.0')], yanked: true },
  { package: 'ose/lifetrac', version: '2.0.0', dependencies: [dep('ose/tractor', '1.1.0')] },
  { package: 'ose/farm', version: '1.0.0', dependencies: [dep('ose/lifetrac', '2.0.0')] },
  { package: 'ose/old-farm', version: '1.0.0', dependencies: [dep('ose/tractor', '0.9.0')] },
  { package: 'ose/harvester', version: '1.0.0', dependencies: [dep('ose/tractor', '1.0.0'), dep('ose/power-cube', '1.1.0')] },
];

describe('whereUsed: designs (and versions) that use a package, directly or transitively', () => {
  it('finds direct and transitive dependents from the recorded exact versions', () => {
    expect(whereUsed('ose/power-cube', index)).toEqual([
      { package: 'ose/farm', version: '1.0.0', yanked: false, direct: false, uses: ['1.1.0'], via: ['ose/lifetrac@2.0.0', 'ose/tractor@1.1.0', 'ose/power-cube@1.1.0'] },
      // harvester uses 1.1.0 directly and 1.0.0 through tractor@1.0.0: direct, both versions listed
      { package: 'ose/harvester', version: '1.0.0', yanked: false, direct: true, uses: ['1.0.0', '1.1.0'], via: ['ose/power-cube@1.1.0'] },
      { package: 'ose/lifetrac', version: '2.0.0', yanked: false, direct: false, uses: ['1.1.0'], via: ['ose/tractor@1.1.0', 'ose/power-cube@1.1.0'] },
      // sorted by package, newest version first; a yanked dependent is flagged
      { package: 'ose/tractor', version: '1.1.0', yanked: true, direct: true, uses: ['1.1.0'], via: ['ose/power-cube@1.1.0'] },
      { package: 'ose/tractor', version: '1.0.0', yanked: false, direct: true, uses: ['1.0.0'], via: ['ose/power-cube@1.0.0'] },
    ]);
  });

  it('can be limited to one version of the target, and can leave yanked dependents out', () => {
    expect(whereUsed('ose/power-cube', index, { version: '1.0.0' }).map((d) => `${d.package}@${d.version}`))
      .toEqual(['ose/harvester@1.0.0', 'ose/tractor@1.0.0']);
    expect(whereUsed('ose/power-cube', index, { excludeYanked: true }).map((d) => `${d.package}@${d.version}`))
      .toEqual(['ose/farm@1.0.0', 'ose/harvester@1.0.0', 'ose/lifetrac@2.0.0', 'ose/tractor@1.0.0']);
  });

  it('nothing uses a leaf design; a loop in a corrupted index terminates', () => {
    expect(whereUsed('ose/farm', index)).toEqual([]);
    const loop: IndexEntry[] = [
      { package: 'a/x', version: '1.0.0', dependencies: [dep('b/y', '1.0.0')] },
      { package: 'b/y', version: '1.0.0', dependencies: [dep('a/x', '1.0.0'), dep('c/z', '1.0.0')] },
    ];
    expect(whereUsed('c/z', loop).map((d) => [d.package, d.direct])).toEqual([['a/x', false], ['b/y', true]]);
  });
});
