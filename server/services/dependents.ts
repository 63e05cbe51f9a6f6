/**
 * GET /api/v1/designs/:owner/:name/dependents — where-used: which designs, and which of their
 * versions, include this design in their BOM, directly or through sub-assemblies.
 *
 * Read from the dependency edges stored at publish (the exact sub-assembly versions each version
 * recorded), so the answer is "published against", never a re-resolution. The edges are kept up
 * to date incrementally by each publish and yank, so a stream of publishes never makes a read
 * start over. The traversal is the pure `whereUsed`; yanked dependents are included and flagged
 * (`?excludeYanked=true` leaves them out).
 */
import { OhwError } from '../../schema/errors.ts';
import { whereUsed, type Dependent } from '../../schema/bom/where-used.ts';
import type { Deps } from './deps.ts';
import { requireDesign } from './read-design.ts';

export interface DependentPackage {
  package: string;
  /** Versions of the dependent that use the target, newest first. */
  versions: string[];
  /** True when at least one of those versions lists the target directly in its BOM. */
  direct: boolean;
  /** True when every one of those versions is yanked. */
  yanked: boolean;
}

export interface DependentsReport {
  package: string;
  /** Only dependents of this exact version of the target (when asked). */
  version: string | null;
  /** Distinct dependent designs. */
  total: number;
  packages: DependentPackage[];
  /** One entry per dependent `package@version`: direct or not, yanked or not, and the chain. */
  dependents: Dependent[];
}

export async function dependentsOf(deps: Deps, rawPkg: string, opts: { version?: string; excludeYanked?: boolean } = {}): Promise<DependentsReport> {
  const pkg = await requireDesign(deps, rawPkg);
  if (opts.version !== undefined && !(await deps.designs.version(pkg, opts.version).catch(() => undefined))) {
    throw new OhwError('NOT_FOUND', `version ${opts.version} of ${pkg} not found`);
  }
  const where: Parameters<typeof whereUsed>[2] = {};
  if (opts.version !== undefined) where.version = opts.version;
  if (opts.excludeYanked) where.excludeYanked = true;
  const dependents = whereUsed(pkg, await deps.derived.dependentEntries(pkg), where);

  const byPkg = new Map<string, DependentPackage>();
  for (const d of dependents) {
    const p = byPkg.get(d.package);
    if (p) {
      p.versions.push(d.version);
      p.direct ||= d.direct;
      p.yanked &&= d.yanked;
    } else byPkg.set(d.package, { package: d.package, versions: [d.version], direct: d.direct, yanked: d.yanked });
  }
  // whereUsed sorts by package, then version descending: the grouped lists keep that order.
  const packages = [...byPkg.values()];
  return { package: pkg, version: opts.version ?? null, total: packages.length, packages, dependents };
}
