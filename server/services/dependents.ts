/**
 * GET /api/v1/designs/:owner/:name/dependents — where-used: which designs, and which of their
 * versions, include this design in their BOM, directly or through sub-assemblies.
 *
 * Read from the registry index alone (`designs/<owner>/<name>.jsonl`, one line per version with
 * the exact sub-assembly versions recorded at publish), so the answer is "published against",
 * never a re-resolution. The traversal is the pure `whereUsed`; yanked dependents are included
 * and flagged (`?excludeYanked=true` leaves them out).
 *
 * The parsed index is cached per index commit: a second request with no publish or yank in
 * between reads no files.
 */
import { OhwError } from '../../schema/errors.ts';
import { whereUsed, type Dependent, type IndexEntry } from '../../schema/bom/where-used.ts';
import { parseIndexLines } from '../domain/index-entry.ts';
import type { IndexStore } from '../store/ports.ts';
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

const INDEX_DIR = 'designs';
const cache = new WeakMap<IndexStore, { head: string; entries: IndexEntry[] }>();

/** Every version line of every design in the index, as the where-used core reads them. */
export async function indexEntries(deps: Deps): Promise<IndexEntry[]> {
  const head = await deps.index.head();
  if (head === undefined) return [];
  const hit = cache.get(deps.index);
  if (hit && hit.head === head) return hit.entries;
  const paths = (await deps.index.list(INDEX_DIR)).filter((p) => p.endsWith('.jsonl'));
  const files = await Promise.all(paths.map(async (p) => [p, await deps.index.read(p)] as const));
  const entries: IndexEntry[] = [];
  for (const [p, content] of files) {
    if (!content) continue;
    const pkg = p.slice(INDEX_DIR.length + 1, -'.jsonl'.length);
    let lines;
    try {
      lines = parseIndexLines(content);
    } catch {
      // A damaged index file is repaired by rebuild-derived; it must not hide every other design.
      deps.log(`dependents: skipping unreadable index file ${p}`);
      continue;
    }
    for (const l of lines) entries.push({ package: pkg, version: l.version, yanked: l.yanked === true, dependencies: l.dependencies ?? [] });
  }
  // Only cache when the index did not move while it was read.
  if ((await deps.index.head()) === head) cache.set(deps.index, { head, entries });
  return entries;
}

export async function dependentsOf(deps: Deps, rawPkg: string, opts: { version?: string; excludeYanked?: boolean } = {}): Promise<DependentsReport> {
  const pkg = await requireDesign(deps, rawPkg);
  if (opts.version !== undefined && !(await deps.designs.version(pkg, opts.version).catch(() => undefined))) {
    throw new OhwError('NOT_FOUND', `version ${opts.version} of ${pkg} not found`);
  }
  const where: Parameters<typeof whereUsed>[2] = {};
  if (opts.version !== undefined) where.version = opts.version;
  if (opts.excludeYanked) where.excludeYanked = true;
  const dependents = whereUsed(pkg, await indexEntries(deps), where);

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
