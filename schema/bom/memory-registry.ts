/**
 * An in-memory `BomRegistry` over a list of manifests: for tests, benchmarks, and `ohw bom dir`
 * with sub-assemblies given locally. Counts calls so tests can check memoisation.
 */
import type { Manifest } from '../types.ts';
import type { AvailableVersion, BomRegistry } from './resolve.ts';

export interface MemoryRegistry extends BomRegistry {
  calls: { versions: number; manifest: number };
}

export function memoryRegistry(manifests: Array<Manifest & { yanked?: boolean }>): MemoryRegistry {
  const byPkg = new Map<string, Map<string, Manifest & { yanked?: boolean }>>();
  for (const m of manifests) {
    let vs = byPkg.get(m.name);
    if (!vs) byPkg.set(m.name, (vs = new Map()));
    vs.set(m.version, m);
  }
  const reg: MemoryRegistry = {
    calls: { versions: 0, manifest: 0 },
    async versions(pkg: string): Promise<AvailableVersion[] | undefined> {
      reg.calls.versions++;
      const vs = byPkg.get(pkg);
      return vs ? [...vs.values()].map((m) => ({ version: m.version, yanked: m.yanked === true })) : undefined;
    },
    async manifest(pkg: string, version: string): Promise<Manifest | undefined> {
      reg.calls.manifest++;
      const m = byPkg.get(pkg)?.get(version);
      if (!m) return undefined;
      const { yanked: _y, ...rest } = m;
      return rest;
    },
  };
  return reg;
}
