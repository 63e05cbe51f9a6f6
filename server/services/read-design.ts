import semver from 'semver';
import { OhwError } from '../../schema/errors.ts';
import { parsePackageName } from '../../schema/names.ts';
import type { VersionRecord, VersionSummary } from '../store/ports.ts';
import type { Deps } from './deps.ts';
import { refreshDerived } from './derived-views.ts';
import type { PackageRead } from './package-read.ts';

/** The canonical `owner/name`; an invalid name cannot exist, so it answers like any unknown design. */
function designName(raw: string): string {
  try {
    return parsePackageName(raw).full;
  } catch {
    throw new OhwError('NOT_FOUND', `design ${raw} not found`);
  }
}

export async function requireDesign(deps: Deps, raw: string): Promise<string> {
  const pkg = designName(raw);
  if (!(await deps.designs.exists(pkg))) throw new OhwError('NOT_FOUND', `design ${pkg} not found`);
  return pkg;
}

export async function requireVersion(deps: Deps, pkg: string, version: string): Promise<VersionRecord> {
  const record = semver.valid(version) ? await deps.designs.version(pkg, version) : undefined;
  if (!record) throw new OhwError('NOT_FOUND', `version ${version} of ${pkg} not found`);
  return record;
}

/**
 * The stored package read as JSON text. Rows lag git only after a crash between the two (the
 * design is then pending and the start repairs it); a read that meets that gap repairs it too.
 */
export async function packageJsonText(deps: Deps, raw: string): Promise<string> {
  const pkg = designName(raw);
  const stored = await deps.derived.packageJson(pkg);
  if (stored !== undefined) return stored;
  await requireDesign(deps, pkg);
  await refreshDerived(deps, pkg, `repair derived state of ${pkg}`);
  const repaired = await deps.derived.packageJson(pkg);
  if (repaired === undefined) throw new OhwError('NOT_FOUND', `design ${pkg} not found`);
  return repaired;
}

/** GET /designs/:owner/:name — the package page's data. */
export async function readDesign(deps: Deps, raw: string): Promise<PackageRead> {
  return JSON.parse(await packageJsonText(deps, raw)) as PackageRead;
}

/** The stored summary of one version (manifest, files, record), repaired from git if missing. */
export async function versionSummary(deps: Deps, raw: string, version: string): Promise<VersionSummary> {
  const pkg = designName(raw);
  const notFound = () => new OhwError('NOT_FOUND', `version ${version} of ${pkg} not found`);
  if (!semver.valid(version)) throw notFound();
  const stored = await deps.derived.version(pkg, version);
  if (stored) return stored;
  await requireVersion(deps, await requireDesign(deps, pkg), version);
  await refreshDerived(deps, pkg, `repair derived state of ${pkg}`);
  const repaired = await deps.derived.version(pkg, version);
  if (!repaired) throw notFound();
  return repaired;
}

/**
 * The version read as JSON text, rendered once per state of its package: versions are immutable
 * and the package read (which carries the yank state) is stored, so an unchanged package text
 * means an unchanged version read.
 */
export async function versionJsonText(deps: Deps, raw: string, version: string): Promise<string> {
  const pkg = designName(raw);
  const key = `${pkg}@${version}`;
  const packageText = await deps.derived.packageJson(pkg);
  const hit = deps.state.versionReads.get(key);
  if (hit && packageText !== undefined && hit.packageText === packageText) return hit.body;
  const body = JSON.stringify(await readVersion(deps, pkg, version));
  // Kept only when the package did not change while the read was rendered.
  if (packageText !== undefined && (await deps.derived.packageJson(pkg)) === packageText) {
    deps.state.versionReads.set(key, { packageText, body });
  }
  return body;
}

/** GET …/versions/:version — manifest, file list with sizes and hashes, checksum, git ids. */
export async function readVersion(deps: Deps, raw: string, version: string) {
  const { pkg, record, manifest, files } = await versionSummary(deps, raw, version);
  const pkgRead = await readDesign(deps, pkg);
  const entry = pkgRead.versions.find((v) => v.version === version);
  return {
    package: pkg,
    version,
    checksum: record.meta.checksum,
    yanked: Boolean(entry?.yanked),
    yank: entry?.yank ?? null,
    publishedAt: record.publishedAt,
    publisher: record.meta.publisher,
    sourceCommit: record.meta.sourceCommit ?? null,
    dependencies: record.meta.dependencies ?? [],
    git: { tag: record.tag, commit: record.commit, tree: record.tree, ref: `refs/tags/v${version}` },
    // The lineage is the registry's record: shown even when the fork's design.yaml leaves it out.
    manifest: pkgRead.forkOf && !manifest.forkOf ? { ...manifest, forkOf: { package: pkgRead.forkOf.package, version: pkgRead.forkOf.version } } : manifest,
    files,
  };
}

export async function readVersionFile(deps: Deps, raw: string, version: string, path: string): Promise<Uint8Array> {
  const { pkg } = await versionSummary(deps, raw, version);
  const data = await deps.designs.readFile(pkg, version, path);
  if (!data) throw new OhwError('NOT_FOUND', `file "${path}" not found in ${pkg}@${version}`);
  return data;
}
