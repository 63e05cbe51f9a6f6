import { resolveTree, type BomRegistry, type DependencyRecord, type ResolvedTree } from '../../schema/bom/resolve.ts';
import type { Manifest } from '../../schema/types.ts';
import type { Deps } from './deps.ts';

/** The registry as the pure BOM core sees it: versions with yank state, manifests by version. */
export function bomRegistry(deps: Deps): BomRegistry {
  return {
    async versions(pkg) {
      // exists() is false for names that break the rules too: both read as "no such package".
      if (!(await deps.designs.exists(pkg))) return undefined;
      const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
      return versions.map((v) => ({ version: v.version, yanked: Boolean(state.yanked[v.version]) }));
    },
    async manifest(pkg, version) {
      return deps.manifests.get(pkg, version).catch(() => undefined);
    },
  };
}

export function resolveDesignTree(deps: Deps, pkg: string, version: string, manifest: Manifest): Promise<ResolvedTree> {
  return resolveTree({ package: pkg, version, manifest }, bomRegistry(deps));
}

/**
 * Resolve the sub-assemblies of a design about to be published. Refuses (400) an unresolvable
 * range or a cycle; the direct dependencies are recorded in the version's index line.
 */
export async function resolvePublishDependencies(deps: Deps, pkg: string, version: string, manifest: Manifest): Promise<DependencyRecord[]> {
  return (await resolveDesignTree(deps, pkg, version, manifest)).dependencies;
}
