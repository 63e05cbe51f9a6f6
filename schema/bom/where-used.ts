/**
 * Where-used (`GET /api/v1/designs/:owner/:name/dependents`): which designs, and which of their
 * versions, include a package in their BOM, directly or through sub-assemblies.
 *
 * Works from the registry index alone: each version's line records the exact versions its
 * sub-assemblies resolved to at publish time (`VersionMeta.dependencies`). So "uses" means
 * "was published against": C@1.0.0 uses X transitively when C@1.0.0 recorded B@2.0.0 and B@2.0.0
 * recorded some version of X. Breadth-first, so `via` is a shortest chain; each dependent
 * `package@version` is reported once (with every target version it reaches in `uses`); each
 * (dependent, target version) pair is expanded once, so cycles in a corrupted index cannot loop.
 */
import semver from 'semver';
import type { DependencyRecord } from './resolve.ts';

export interface IndexEntry {
  package: string;
  version: string;
  yanked?: boolean;
  dependencies?: DependencyRecord[];
}

export interface Dependent {
  package: string;
  version: string;
  yanked: boolean;
  direct: boolean;
  /** Versions of the target this dependent ends up using, ascending. */
  uses: string[];
  /** Chain from the dependent's direct dependency down to the target: `['b/y@2.0.0', 'a/x@1.0.0']`. */
  via: string[];
}

export interface WhereUsedOptions {
  /** Only dependents of this exact version of the target. */
  version?: string;
  /** Leave yanked dependents out (they are included, flagged, by default). */
  excludeYanked?: boolean;
}

export function whereUsed(target: string, index: IndexEntry[], opts: WhereUsedOptions = {}): Dependent[] {
  const key = (p: string, v: string): string => `${p}@${v}`;
  // Reverse edges: dependency package@version → versions depending on it.
  const users = new Map<string, IndexEntry[]>();
  const targetVersions = new Set<string>();
  for (const e of index) {
    for (const d of e.dependencies ?? []) {
      const k = key(d.package, d.version);
      const list = users.get(k);
      if (list) list.push(e); else users.set(k, [e]);
      if (d.package === target && (opts.version === undefined || d.version === opts.version)) targetVersions.add(d.version);
    }
  }

  const found = new Map<string, Dependent>();
  const visited = new Set<string>();
  // Queue of (package@version being used, chain below it including itself, version of target).
  let frontier: Array<{ used: string; via: string[]; targetVersion: string }> =
    [...targetVersions].map((v) => ({ used: key(target, v), via: [key(target, v)], targetVersion: v }));
  let direct = true;
  while (frontier.length) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const e of users.get(f.used) ?? []) {
        if (e.package === target) continue; // the target itself (old version used by a new one)
        const k = key(e.package, e.version);
        const pair = `${k}\u0000${f.targetVersion}`;
        if (visited.has(pair)) continue;
        visited.add(pair);
        const seen = found.get(k);
        if (seen) {
          if (!seen.uses.includes(f.targetVersion)) seen.uses.push(f.targetVersion);
          if (direct) seen.direct = true;
        } else {
          found.set(k, { package: e.package, version: e.version, yanked: e.yanked === true, direct, uses: [f.targetVersion], via: f.via });
        }
        next.push({ used: k, via: [k, ...f.via], targetVersion: f.targetVersion });
      }
    }
    frontier = next;
    direct = false;
  }

  return [...found.values()]
    .filter((d) => !(opts.excludeYanked && d.yanked))
    .map((d) => ({ ...d, uses: d.uses.sort(semver.compare) }))
    .sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : semver.rcompare(a.version, b.version)));
}
