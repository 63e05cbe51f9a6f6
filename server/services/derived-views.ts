/**
 * The one owner of derived state. Writers change the truth in git, then announce the change
 * (`announce` before, `refreshDerived` after); nothing else recomputes. From the design
 * repository (tags + registry state) this module regenerates, for one design:
 *   - its index files in index.git,
 *   - the version summaries (manifest, file list, checksum) and stored archive bytes of any
 *     version that has none yet,
 *   - the package read, the search document and the dependency edges,
 * and writes the rows in one transaction together with the index head they reflect (the
 * watermark). A crash anywhere in between leaves the design marked pending, and the next start
 * replays exactly the pending designs and the ones the index moved for (`syncDerived`).
 */
import { writeArchive } from '../../schema/archive.ts';
import { fileSha256 } from '../../schema/checksum.ts';
import { indexFiles } from '../domain/index-entry.ts';
import { buildSearchDocument } from '../domain/search-document.ts';
import { latestVisible } from '../domain/visible-versions.ts';
import type { Manifest } from '../../schema/types.ts';
import type { PackageFile, PackageState, VersionRecord, VersionSummary } from '../store/ports.ts';
import { REGISTRY_PERSON, type Deps } from './deps.ts';
import { certificationSummary } from './certification-summary.ts';
import { buildPackageRead } from './package-read.ts';
import { buildsSummaryOf, offerLevelsOf } from './production/summary.ts';

export { latestVisible };

/**
 * A version this very request has in hand (publish): no need to read it back from git, nor to
 * pack it again. `archive` is the uploaded tar.gz, whose entries the archive reader checked to be
 * exactly `files`, so its checksum is the published one; `hashes` are the files' SHA-256s the
 * checksum was made from (not computed twice).
 */
export interface FreshVersion { version: string; files: PackageFile[]; manifest: Manifest; archive?: Uint8Array; hashes?: ReadonlyMap<string, string> }

/** Mark `pkg` before its truth changes, so a crash before refreshDerived is repaired at start. */
export async function announce(deps: Deps, pkg: string): Promise<void> {
  await deps.derived.markPending(pkg);
}

export interface RefreshOptions {
  fresh?: FreshVersion;
  /** false during a bulk rebuild, which fills the search engine once at the end. */
  search?: boolean;
}

export async function refreshDerived(deps: Deps, pkg: string, message = `update ${pkg}`, opts: RefreshOptions = {}): Promise<void> {
  const { fresh } = opts;
  if (!(await deps.designs.exists(pkg))) {
    await deps.derived.remove(pkg);
    await deps.archives.remove(pkg);
    await removeFromSearch(deps, pkg);
    return;
  }
  const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
  // The index commit (a git write with its fsyncs) runs while the rows are computed; the rows are
  // saved with the head it made.
  const indexed = deps.index.commit(indexFiles(pkg, versions, state), REGISTRY_PERSON, message);
  indexed.catch(() => undefined); // awaited below; a failure before that must not go unhandled
  const stored = await deps.derived.storedVersions(pkg);
  const added: VersionSummary[] = [];
  for (const record of versions.filter((v) => !stored.has(v.version))) {
    added.push(await summarize(deps, pkg, record, fresh?.version === record.version ? fresh : undefined));
  }
  for (const v of added) deps.manifests.put(pkg, v.record.version, v.manifest);
  const doc = await searchDocumentFor(deps, pkg, versions, state);
  const latest = latestVisible(versions, state);
  const packageJson = await buildPackageRead(deps, pkg, versions, state);
  await deps.derived.save({
    pkg,
    packageJson,
    searchDoc: doc ?? null,
    latest: latest?.version ?? null,
    yanked: Object.keys(state.yanked),
    forkOf: state.forkOf?.package ?? null,
  }, added, await indexed);
  if (opts.search === false) return;
  try {
    if (doc) await deps.search.upsert([doc]);
    else await deps.search.remove([searchId(pkg)]);
  } catch (e) {
    // The search engine being down must not fail a write: the adapter catches up later.
    deps.log(`search update for ${pkg} deferred: ${(e as Error).message}`);
  }
}

/** The summary and the stored archive of one version; files come from the request or from git. */
async function summarize(deps: Deps, pkg: string, record: VersionRecord, fresh?: FreshVersion): Promise<VersionSummary> {
  const files = fresh?.files ?? await deps.designs.readFiles(pkg, record.version);
  const manifest = fresh?.manifest ?? await deps.manifests.get(pkg, record.version);
  await deps.archives.write(pkg, record.version, fresh?.archive ?? await writeArchive(files));
  return {
    pkg,
    record,
    manifest,
    files: files
      .map((f) => ({ path: f.path, size: f.data.byteLength, sha256: fresh?.hashes?.get(f.path) ?? fileSha256(f.data), executable: Boolean(f.executable) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

const searchId = (pkg: string) => pkg.replace('/', '--');

async function removeFromSearch(deps: Deps, pkg: string): Promise<void> {
  try {
    await deps.search.remove([searchId(pkg)]);
  } catch (e) {
    deps.log(`search removal of ${pkg} deferred: ${(e as Error).message}`);
  }
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
  // The certified mark belongs to the certified version only.
  if (cert && cert.version === latest.version) input.certification = { state: cert.state };
  if (state.forkOf) input.forkOf = state.forkOf.package;
  input.successfulBuilds = (await buildsSummaryOf(deps, pkg))?.successful ?? 0;
  input.offerLevels = await offerLevelsOf(deps, pkg);
  if (state.delisted) input.delisted = true;
  return buildSearchDocument(input);
}

/** Designs named by changed index paths (`designs/<owner>/<name>.json[l]`). */
function designsIn(paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const m = /^designs\/([^/]+\/[^/]+?)\.jsonl?$/.exec(p);
    if (m) out.add(m[1]!);
  }
  return [...out];
}

/**
 * A package read counts its forks from the forks' own rows, so an upstream refreshed before a
 * fork of it in the same batch (a rebuild, a replay) is refreshed once more at the end — and only
 * such an upstream.
 */
async function recountForks(deps: Deps, refreshed: Set<string>, opts: { search: boolean }): Promise<void> {
  for (const pkg of [...(await deps.derived.upstreams())].filter((p) => refreshed.has(p)).sort()) {
    // Batches run in name order: only a fork refreshed after its upstream went uncounted.
    if ((await deps.derived.forksOf(pkg)).some((fork) => refreshed.has(fork) && fork > pkg)) {
      await refreshDerived(deps, pkg, `count the forks of ${pkg}`, opts);
    }
  }
}

/**
 * At start: bring the stored rows up to the truth without scanning every repository. With a
 * watermark, only the designs the index moved for since, and the pending ones, are replayed;
 * without one (a new database, or a rewritten index) everything is rebuilt once.
 */
export async function syncDerived(deps: Deps): Promise<{ replayed: number; full: boolean }> {
  const mark = await deps.derived.watermark();
  const changed = mark ? await deps.index.changedSince(mark) : undefined;
  if (changed === undefined) {
    const { designs } = await rebuildDerived(deps);
    return { replayed: designs, full: true };
  }
  const todo = new Set([...designsIn(changed), ...(await deps.derived.pending())]);
  for (const pkg of [...todo].sort()) await refreshDerived(deps, pkg, `repair derived state of ${pkg}`);
  await recountForks(deps, todo, { search: true });
  const head = await deps.index.head();
  if (head && head !== mark) await deps.derived.setWatermark(head);
  return { replayed: todo.size, full: false };
}

/** Regenerate every design's derived state from the design repositories alone. */
export async function rebuildDerived(deps: Deps): Promise<{ designs: number; versions: number }> {
  const present = await deps.designs.list();
  let versions = 0;
  for (const pkg of present) {
    await refreshDerived(deps, pkg, 'rebuild derived index', { search: false });
    versions += (await deps.derived.storedVersions(pkg)).size;
  }
  // Rows and index files of designs that no longer exist would be stale derived data: drop them.
  const keep = new Set(present);
  for (const pkg of await deps.derived.packages()) if (!keep.has(pkg)) await refreshDerived(deps, pkg, 'rebuild derived index', { search: false });
  await recountForks(deps, keep, { search: false });
  const live = new Set(present.flatMap((p) => indexFiles(p, [], { owners: [], yanked: {}, createdAt: '' }).map((f) => f.path)));
  const stale = (await deps.index.list('designs/')).filter((p) => !live.has(p));
  if (stale.length) await deps.index.commit(stale.map((path) => ({ path, content: null })), REGISTRY_PERSON, 'rebuild derived index: drop stale files');
  const head = await deps.index.head();
  if (head) await deps.derived.setWatermark(head);
  await deps.search.replaceAll(await deps.derived.searchDocuments());
  return { designs: present.length, versions };
}

/**
 * Fill the search engine at start. An engine that saved its index at the last close loads it,
 * and only the documents whose stored digest differs (changed since, or replayed by syncDerived)
 * are indexed again; otherwise every stored document is indexed.
 */
export async function loadSearchIndex(deps: Deps, restored?: Map<string, string>): Promise<{ documents: number; reindexed: number }> {
  if (!restored) {
    const docs = await deps.derived.searchDocuments();
    await deps.search.replaceAll(docs);
    return { documents: docs.length, reindexed: docs.length };
  }
  const current = await deps.derived.searchDigests();
  const stale = [...current].filter(([id, digest]) => restored.get(id) !== digest).map(([id]) => id);
  const gone = [...restored.keys()].filter((id) => !current.has(id));
  if (stale.length) await deps.search.upsert(await deps.derived.searchDocumentsById(stale));
  if (gone.length) await deps.search.remove(gone);
  return { documents: current.size, reindexed: stale.length + gone.length };
}
