import semver from 'semver';
import { OhwError } from '../../schema/errors.ts';
import { fileSha256 } from '../../schema/checksum.ts';
import { parsePackageName } from '../../schema/names.ts';
import type { PackageFile, VersionRecord } from '../store/ports.ts';
import type { Deps } from './deps.ts';
import { latestVisible } from './derived-views.ts';
import { certificationSummary } from './certification-summary.ts';
import { listForks } from './forks.ts';

export async function requireDesign(deps: Deps, raw: string): Promise<string> {
  let pkg: string;
  try {
    pkg = parsePackageName(raw).full;
  } catch {
    // An invalid name cannot exist; answer like any other unknown design.
    throw new OhwError('NOT_FOUND', `design ${raw} not found`);
  }
  if (!(await deps.designs.exists(pkg))) throw new OhwError('NOT_FOUND', `design ${pkg} not found`);
  return pkg;
}

export async function requireVersion(deps: Deps, pkg: string, version: string): Promise<VersionRecord> {
  const record = semver.valid(version) ? await deps.designs.version(pkg, version) : undefined;
  if (!record) throw new OhwError('NOT_FOUND', `version ${version} of ${pkg} not found`);
  return record;
}

/** GET /designs/:owner/:name — the package page's data. */
export async function readDesign(deps: Deps, raw: string) {
  const pkg = await requireDesign(deps, raw);
  const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
  const latest = latestVisible(versions, state);
  const manifest = latest ? await deps.manifests.get(pkg, latest.version) : undefined;
  const forks = await listForks(deps, pkg);
  return {
    package: pkg,
    title: manifest?.title,
    summary: manifest?.summary,
    owners: state.owners,
    createdAt: state.createdAt,
    latest: latest?.version ?? null,
    versions: versions
      .slice()
      .sort((a, b) => semver.rcompare(a.version, b.version))
      .map((v) => ({
        version: v.version,
        checksum: v.meta.checksum,
        yanked: Boolean(state.yanked[v.version]),
        publishedAt: v.publishedAt,
        publisher: v.meta.publisher,
        tag: v.tag,
        commit: v.commit,
      })),
    forkOf: state.forkOf ?? null,
    forks: forks.length,
    certifications: (await certificationSummary(deps, pkg)) ?? null,
  };
}

/** GET …/versions/:version — manifest, file list with sizes and hashes, checksum, git ids. */
export async function readVersion(deps: Deps, raw: string, version: string) {
  const pkg = await requireDesign(deps, raw);
  const record = await requireVersion(deps, pkg, version);
  const [files, state, manifest] = await Promise.all([
    deps.designs.readFiles(pkg, version),
    deps.designs.state(pkg),
    deps.manifests.get(pkg, version),
  ]);
  return {
    package: pkg,
    version,
    checksum: record.meta.checksum,
    yanked: Boolean(state.yanked[version]),
    yank: state.yanked[version] ?? null,
    publishedAt: record.publishedAt,
    publisher: record.meta.publisher,
    sourceCommit: record.meta.sourceCommit ?? null,
    dependencies: record.meta.dependencies ?? [],
    git: { tag: record.tag, commit: record.commit, tree: record.tree, ref: `refs/tags/v${version}` },
    // The lineage is the registry's record: shown even when the fork's design.yaml leaves it out.
    manifest: state.forkOf && !manifest.forkOf ? { ...manifest, forkOf: { package: state.forkOf.package, version: state.forkOf.version } } : manifest,
    files: files.map(fileEntry),
  };
}

function fileEntry(f: PackageFile) {
  return { path: f.path, size: f.data.byteLength, sha256: fileSha256(f.data), executable: Boolean(f.executable) };
}

export async function readVersionFile(deps: Deps, raw: string, version: string, path: string): Promise<Uint8Array> {
  const pkg = await requireDesign(deps, raw);
  await requireVersion(deps, pkg, version);
  const data = await deps.designs.readFile(pkg, version, path);
  if (!data) throw new OhwError('NOT_FOUND', `file "${path}" not found in ${pkg}@${version}`);
  return data;
}
