import semver from 'semver';
import { indexFiles } from '../domain/index-entry.ts';
import { buildSearchDocument } from '../domain/search-document.ts';
import type { PackageState, VersionRecord } from '../store/ports.ts';
import { REGISTRY_PERSON, type Deps } from './deps.ts';
import { certificationSummary } from './certification-summary.ts';

/**
 * Derived views of one design — its index files and its search document — regenerated from the
 * design repository (tags + registry state). Called after every change and by rebuild-derived,
 * so a crash between the tag and these views is repaired by running it again.
 */
export async function refreshDerived(deps: Deps, pkg: string, message = `update ${pkg}`): Promise<void> {
  const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
  await deps.index.commit(indexFiles(pkg, versions, state), REGISTRY_PERSON, message);
  await refreshSearch(deps, pkg, versions, state);
}

export function latestVisible(versions: VersionRecord[], state: PackageState): VersionRecord | undefined {
  const visible = versions.filter((v) => !state.yanked[v.version]);
  // Prefer the highest release; fall back to a pre-release only when nothing else exists.
  const releases = visible.filter((v) => !semver.prerelease(v.version));
  const pool = releases.length ? releases : visible;
  return pool.sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

export async function searchDocumentFor(deps: Deps, pkg: string, versions: VersionRecord[], state: PackageState) {
  const latest = latestVisible(versions, state);
  if (!latest) return undefined;
  const manifest = await deps.manifests.get(pkg, latest.version);
  const cert = await certificationSummary(deps, pkg);
  const input: Parameters<typeof buildSearchDocument>[0] = {
    manifest,
    owner: pkg.split('/')[0]!,
    versions: versions.filter((v) => !state.yanked[v.version]).map((v) => v.version),
    updatedAt: latest.publishedAt,
  };
  if (cert) input.certification = { state: cert.state };
  if (state.forkOf) input.forkOf = state.forkOf.package;
  return buildSearchDocument(input);
}

async function refreshSearch(deps: Deps, pkg: string, versions: VersionRecord[], state: PackageState): Promise<void> {
  const doc = await searchDocumentFor(deps, pkg, versions, state);
  try {
    if (doc) await deps.search.upsert([doc]);
    else await deps.search.remove([pkg.replace('/', '--')]);
  } catch (e) {
    // The search engine being down must not fail a publish: the adapter catches up later.
    deps.log(`search update for ${pkg} deferred: ${(e as Error).message}`);
  }
}

/** Every design's versions, registry state and search document, read from the design repos. */
async function readAllDesigns(deps: Deps) {
  const out = [];
  for (const pkg of await deps.designs.list()) {
    const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
    out.push({ pkg, versions, state, doc: await searchDocumentFor(deps, pkg, versions, state) });
  }
  return out;
}

const documentsOf = (designs: Awaited<ReturnType<typeof readAllDesigns>>) => designs.flatMap((d) => (d.doc ? [d.doc] : []));

/** Regenerate every design's index files and the whole search index from the design repos. */
export async function rebuildDerived(deps: Deps): Promise<{ designs: number; versions: number }> {
  const designs = await readAllDesigns(deps);
  const changes = designs.flatMap((d) => indexFiles(d.pkg, d.versions, d.state));
  // Index files of designs that no longer exist would be stale derived data: drop them.
  const present = new Set(changes.map((c) => c.path));
  const stale = (await deps.index.list('designs/')).filter((p) => !present.has(p));
  await deps.index.commit([...changes, ...stale.map((path) => ({ path, content: null }))], REGISTRY_PERSON, 'rebuild derived index');
  await deps.search.replaceAll(documentsOf(designs));
  return { designs: designs.length, versions: designs.reduce((n, d) => n + d.versions.length, 0) };
}

/**
 * Fill the search index from the design repos (at start: the embedded engine lives in memory).
 * Reading every design's latest manifest here also warms the manifest cache for package reads.
 */
export async function loadSearchIndex(deps: Deps): Promise<number> {
  const docs = documentsOf(await readAllDesigns(deps));
  await deps.search.replaceAll(docs);
  return docs.length;
}
