/**
 * Sub-assembly resolution: `subassembly: {package, version: <semver range>}` → exact versions.
 *
 * Rules (SPEC §1–§2, documented in the README):
 * - A range resolves to the highest published, non-yanked version satisfying it (npm semantics:
 *   pre-releases match only ranges that name a pre-release of the same major.minor.patch).
 * - A yanked version is used only when the range pins it exactly (`1.2.0` or `=1.2.0`), with a
 *   warning.
 * - A cycle is two occurrences of the same `package@version` on one path; it is refused and named:
 *   `a/x@1.0.0 → b/y@2.1.0 → a/x@1.0.0`. The root counts as published while it is resolved, so a
 *   design being published that would close a loop through itself is caught before it exists.
 * - Nesting is limited to `maxDepth` (32) sub-assembly levels below the root.
 *
 * The graph is a DAG of `package@version` nodes: a sub-assembly used in many places is fetched
 * and resolved once (versions per package and manifests per version are memoised).
 * All registry access goes through `BomRegistry`; this module does no I/O of its own.
 */
import semver from 'semver';
import { OhwError, type Issue } from '../errors.ts';
import type { BomLine, Manifest } from '../types.ts';

export const BOM_LIMITS = { maxDepth: 32, maxLines: 100_000 } as const;

export interface AvailableVersion { version: string; yanked: boolean }

/** How the BOM core sees the registry. `undefined` = no such package / version. */
export interface BomRegistry {
  versions(pkg: string): Promise<AvailableVersion[] | undefined>;
  manifest(pkg: string, version: string): Promise<Manifest | undefined>;
}

export interface RangeResolution { version: string; yanked: boolean; warning?: string }

/** One direct dependency as recorded in the index line (`VersionMeta.dependencies`). */
export interface DependencyRecord { package: string; range: string; version: string }

export interface ResolvedEdge {
  /** Index and id of the BOM line in the parent manifest. */
  lineIndex: number;
  lineId: string;
  package: string;
  range: string;
  version: string;
  yanked: boolean;
}

export interface ResolvedNode {
  /** `owner/name@version` */
  key: string;
  package: string;
  version: string;
  manifest: Manifest;
  /** One per sub-assembly line of the manifest, in BOM order. */
  edges: ResolvedEdge[];
  /** Sub-assembly levels below this node (0 = no sub-assemblies). */
  height: number;
}

export interface ResolvedTree {
  root: ResolvedNode;
  /** Every node of the DAG by key, root included. */
  nodes: Map<string, ResolvedNode>;
  /** Direct dependencies of the root: what the publish service records in the index line. */
  dependencies: DependencyRecord[];
  /** Yanked-but-pinned notices and the like; never fatal. */
  warnings: string[];
}

export interface ResolveOptions { maxDepth?: number }

export const nodeKey = (pkg: string, version: string): string => `${pkg}@${version}`;

function byVersion(a: string, b: string): number {
  return semver.compare(a, b);
}

/** An exact pin: `1.2.0`, `=1.2.0`, `v1.2.0` (not `^1.2.0`, not `1.2`). */
function exactPin(range: string): string | null {
  const t = range.trim();
  if (/^[=v]*\s*\d/.test(t) === false) return null;
  return semver.clean(t);
}

function describeAvailable(available: AvailableVersion[]): string {
  const published = available.filter((v) => !v.yanked).map((v) => v.version).sort(byVersion);
  const yanked = available.filter((v) => v.yanked).map((v) => v.version).sort(byVersion);
  if (published.length === 0 && yanked.length === 0) return 'no versions published';
  const parts = [`published: ${published.length ? published.join(', ') : 'none'}`];
  if (yanked.length) parts.push(`yanked: ${yanked.join(', ')}`);
  return parts.join('; ');
}

/**
 * The version a range resolves to. Throws `INVALID_MANIFEST` naming the package and the versions
 * that exist, e.g. `no published version of ose/power-cube satisfies "^2.0.0" (published: 1.0.0,
 * 1.1.0; yanked: 1.2.0)`.
 */
export function resolveRange(pkg: string, range: string, available: AvailableVersion[], requiredBy?: string): RangeResolution {
  const by = requiredBy ? `, required by ${requiredBy}` : '';
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    throw new OhwError('INVALID_MANIFEST', `"${String(range)}" is not a valid semver range for sub-assembly ${pkg}${by}`, {
      details: { package: pkg, range },
    });
  }
  const live = available.filter((v) => !v.yanked && semver.valid(v.version)).map((v) => v.version);
  const best = semver.maxSatisfying(live, range);
  if (best) return { version: best, yanked: false };
  const pin = exactPin(range);
  if (pin && available.some((v) => v.yanked && v.version === pin)) {
    return {
      version: pin,
      yanked: true,
      warning: `${pkg}@${pin} is yanked; used only because it is pinned exactly ("${range}")${by}`,
    };
  }
  throw new OhwError('INVALID_MANIFEST', `no published version of ${pkg} satisfies "${range}" (${describeAvailable(available)})${by}`, {
    details: {
      package: pkg,
      range,
      published: available.filter((v) => !v.yanked).map((v) => v.version).sort(byVersion),
      yanked: available.filter((v) => v.yanked).map((v) => v.version).sort(byVersion),
    },
  });
}

function isSubassemblyLine(line: BomLine): boolean {
  return line.subassembly !== undefined || line.type === 'subassembly';
}

function abbreviate(path: string[]): string {
  if (path.length <= 6) return path.join(' → ');
  return [...path.slice(0, 3), '…', ...path.slice(-2)].join(' → ');
}

/**
 * Resolves every sub-assembly below `root`, depth first in BOM order.
 * Errors (all `OhwError`, 400 class): `INVALID_MANIFEST` for an unknown package, an invalid or
 * unsatisfiable range, a cycle; `INVALID_REQUEST` when nesting exceeds `maxDepth`. When the error
 * can be traced to a line of the root manifest, `issues[0].path` is `bom[<i>].subassembly…`.
 */
export async function resolveTree(
  root: { package: string; version: string; manifest: Manifest },
  reg: BomRegistry,
  opts: ResolveOptions = {},
): Promise<ResolvedTree> {
  const maxDepth = opts.maxDepth ?? BOM_LIMITS.maxDepth;
  const nodes = new Map<string, ResolvedNode>();
  const active = new Set<string>();
  const warnings: string[] = [];
  const versionsCache = new Map<string, Promise<AvailableVersion[] | undefined>>();
  const manifestCache = new Map<string, Promise<Manifest | undefined>>();
  const rootKey = nodeKey(root.package, root.version);

  const getVersions = (pkg: string): Promise<AvailableVersion[] | undefined> => {
    let p = versionsCache.get(pkg);
    if (!p) {
      p = reg.versions(pkg).then((vs) => {
        // The root is being resolved (possibly being published): it counts as available.
        if (pkg !== root.package) return vs;
        const list = vs ? [...vs] : [];
        if (!list.some((v) => v.version === root.version)) list.push({ version: root.version, yanked: false });
        return list;
      });
      versionsCache.set(pkg, p);
    }
    return p;
  };
  const getManifest = (pkg: string, version: string): Promise<Manifest | undefined> => {
    const key = nodeKey(pkg, version);
    let p = manifestCache.get(key);
    if (!p) {
      p = key === rootKey ? Promise.resolve(root.manifest) : reg.manifest(pkg, version);
      p.catch(() => undefined); // prefetched: a failure is reported when (if) it is awaited
      manifestCache.set(key, p);
    }
    return p;
  };

  /** Attaches the root line index to an error raised below it (for `issues`). */
  const withIssue = (err: unknown, rootLine: number | undefined, field: string): unknown => {
    if (!(err instanceof OhwError) || rootLine === undefined || err.issues) return err;
    const issue: Issue = {
      file: 'design.yaml', path: `bom[${rootLine}].${field}`, line: 0, column: 0,
      code: err.code === 'INVALID_REQUEST' ? 'subassembly-too-deep' : 'subassembly-unresolvable',
      message: err.message, severity: 'error',
    };
    return new OhwError(err.code, err.message, { issues: [issue], ...(err.details ? { details: err.details } : {}) });
  };

  async function visit(pkg: string, version: string, manifest: Manifest, stack: string[], rootLine: number | undefined): Promise<ResolvedNode> {
    const key = nodeKey(pkg, version);
    active.add(key);
    const level = stack.length - 1;
    const subLines: Array<[BomLine, number]> = [];
    manifest.bom.forEach((line, i) => { if (isSubassemblyLine(line)) subLines.push([line, i]); });

    // Resolve all ranges of this node concurrently (and prefetch manifests), then report the
    // first failure in BOM order so errors are deterministic.
    const settled = await Promise.allSettled(subLines.map(async ([line, i]): Promise<ResolvedEdge & { warning?: string }> => {
      const ref = line.subassembly;
      const requiredBy = `${key} bom line "${line.id}"`;
      if (!ref || typeof ref.package !== 'string') {
        throw new OhwError('INVALID_MANIFEST', `bom line "${line.id}" of ${key} is a sub-assembly without subassembly.package`);
      }
      const available = await getVersions(ref.package);
      if (!available) {
        throw new OhwError('INVALID_MANIFEST', `sub-assembly package ${ref.package} does not exist, required by ${requiredBy}`, {
          details: { package: ref.package, range: ref.version },
        });
      }
      const r = resolveRange(ref.package, ref.version, available, requiredBy);
      void getManifest(ref.package, r.version);
      return {
        lineIndex: i, lineId: line.id, package: ref.package, range: ref.version, version: r.version, yanked: r.yanked,
        ...(r.warning ? { warning: r.warning } : {}),
      };
    }));
    const edges: ResolvedEdge[] = [];
    for (const [j, s] of settled.entries()) {
      const lineIndex = subLines[j]![1];
      if (s.status === 'rejected') throw withIssue(s.reason, rootLine ?? lineIndex, level === 0 ? 'subassembly.version' : 'subassembly');
      const { warning, ...edge } = s.value;
      if (warning) warnings.push(warning);
      edges.push(edge);
    }

    let height = 0;
    for (const e of edges) {
      const childKey = nodeKey(e.package, e.version);
      const lineOfRoot = rootLine ?? e.lineIndex;
      const field = 'subassembly';
      if (active.has(childKey)) {
        const from = stack.indexOf(childKey);
        const cycle = [...stack.slice(from), childKey];
        throw withIssue(new OhwError('INVALID_MANIFEST', `sub-assembly cycle: ${cycle.join(' → ')}`, { details: { cycle } }), lineOfRoot, field);
      }
      const done = nodes.get(childKey);
      const childLevel = level + 1;
      if (childLevel > maxDepth || (done && childLevel + done.height > maxDepth)) {
        const path = [...stack, childKey];
        const below = done && done.height > 0 ? ` (and ${done.height} more level${done.height === 1 ? '' : 's'} below)` : '';
        throw withIssue(new OhwError('INVALID_REQUEST', `sub-assemblies nest deeper than the limit of ${maxDepth} levels: ${abbreviate(path)}${below}`, {
          details: { limit: maxDepth, path },
        }), lineOfRoot, field);
      }
      let child = done;
      if (!child) {
        const m = await getManifest(e.package, e.version);
        if (!m) throw new OhwError('INTERNAL', `the registry lists ${childKey} but its manifest could not be read`);
        try {
          child = await visit(e.package, e.version, m, [...stack, childKey], lineOfRoot);
        } catch (err) {
          throw withIssue(err, lineOfRoot, field);
        }
      }
      height = Math.max(height, 1 + child.height);
    }
    active.delete(key);
    const node: ResolvedNode = { key, package: pkg, version, manifest, edges, height };
    nodes.set(key, node);
    return node;
  }

  const top = await visit(root.package, root.version, root.manifest, [rootKey], undefined);
  return {
    root: top,
    nodes,
    dependencies: top.edges.map((e) => ({ package: e.package, range: e.range, version: e.version })),
    warnings,
  };
}

/** Every node's direct dependencies, keyed `package@version` (the whole resolved tree, JSON-able). */
export function lockOf(tree: ResolvedTree): Record<string, DependencyRecord[]> {
  const out: Record<string, DependencyRecord[]> = {};
  for (const [key, n] of [...tree.nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[key] = n.edges.map((e) => ({ package: e.package, range: e.range, version: e.version }));
  }
  return out;
}
