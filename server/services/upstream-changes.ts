import semver from 'semver';
import { fileSha256 } from '../../schema/checksum.ts';
import { diffDesigns, type DesignDiff, type DiffInput } from '../domain/design-diff.ts';
import type { Deps } from './deps.ts';
import { latestVisible } from '../domain/visible-versions.ts';
import { listForks, type ForkSummary } from './forks.ts';
import { requireDesign } from './read-design.ts';

export interface UpstreamChanges {
  package: string;
  /** The upstream version the fork was made from. */
  forkPoint: string;
  forkedAt: string;
  forkedBy: string;
  /** Visible (non-yanked) upstream versions newer than the fork point, oldest first. */
  newVersions: Array<{ version: string; publishedAt: string }>;
  /**
   * What changed upstream since the fork: the upstream's fork point compared with the upstream's
   * latest visible version (the fork's own edits are not upstream changes); null when the upstream
   * has no visible version or the fork point can no longer be read.
   */
  diff: DesignDiff | null;
}

export interface ForksView {
  package: string;
  forks: Array<ForkSummary & { forkedAt: string; forkedBy: string }>;
  upstream?: UpstreamChanges;
}

/** GET /designs/:owner/:name/forks — who forked this design, and for a fork its upstream's news. */
export async function readForks(deps: Deps, raw: string): Promise<ForksView> {
  const pkg = await requireDesign(deps, raw);
  const forks = (await listForks(deps, pkg)).map((f) => ({ ...f, forkedAt: f.forkOf.at, forkedBy: f.forkOf.by }));
  const view: ForksView = { package: pkg, forks };
  const upstream = await upstreamChanges(deps, pkg);
  if (upstream) view.upstream = upstream;
  return view;
}

/** For a fork: upstream versions since the fork point and a summary diff; undefined otherwise. */
export async function upstreamChanges(deps: Deps, pkg: string): Promise<UpstreamChanges | undefined> {
  const state = await deps.designs.state(pkg);
  const lineage = state.forkOf;
  if (!lineage) return undefined;
  const result: UpstreamChanges = {
    package: lineage.package,
    forkPoint: lineage.version,
    forkedAt: lineage.at,
    forkedBy: lineage.by,
    newVersions: [],
    diff: null,
  };
  if (!(await deps.designs.exists(lineage.package))) return result;

  const [upVersions, upState] = await Promise.all([
    deps.designs.versions(lineage.package),
    deps.designs.state(lineage.package),
  ]);
  result.newVersions = upVersions
    .filter((v) => !upState.yanked[v.version] && semver.gt(v.version, lineage.version))
    .sort((a, b) => semver.compare(a.version, b.version))
    .map((v) => ({ version: v.version, publishedAt: v.publishedAt }));

  const upLatest = latestVisible(upVersions, upState);
  if (!upLatest) return result;
  const from = await diffSide(deps, lineage.package, lineage.version).catch(() => undefined);
  if (!from) return result;
  result.diff = diffDesigns(from, await diffSide(deps, lineage.package, upLatest.version));
  return result;
}

async function diffSide(deps: Deps, pkg: string, version: string): Promise<DiffInput> {
  const [manifest, files] = await Promise.all([deps.manifests.get(pkg, version), deps.designs.readFiles(pkg, version)]);
  return { package: pkg, version, manifest, files: new Map(files.map((f) => [f.path, fileSha256(f.data)])) };
}
