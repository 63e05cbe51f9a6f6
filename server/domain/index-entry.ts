import type { PackageState, VersionRecord } from '../store/ports.ts';

/**
 * The crates.io-style index: one small file per design, one JSON line per version, derived from
 * the design repository's tags and registry state alone (so `rebuild-derived` can always redo it).
 */
export interface IndexLine {
  version: string;
  checksum: string;
  tree: string;
  commit: string;
  tag: string;
  yanked: boolean;
  publishedAt: string;
  publisher: string;
  licenses?: { hardware: string; documentation: string; software?: string };
  dependencies: Array<{ package: string; range: string; version: string }>;
  sourceCommit?: string;
}

export interface IndexPackage {
  package: string;
  owners: string[];
  createdAt: string;
  forkOf?: { package: string; version: string; at: string; by: string };
}

export function indexPaths(pkg: string): { versions: string; meta: string } {
  return { versions: `designs/${pkg}.jsonl`, meta: `designs/${pkg}.json` };
}

export function indexLine(v: VersionRecord, state: PackageState): IndexLine {
  const line: IndexLine = {
    version: v.version,
    checksum: v.meta.checksum,
    tree: v.tree,
    commit: v.commit,
    tag: v.tag,
    yanked: Boolean(state.yanked[v.version]),
    publishedAt: v.publishedAt,
    publisher: v.meta.publisher,
    dependencies: v.meta.dependencies ?? [],
  };
  if (v.meta.license) line.licenses = v.meta.license;
  if (v.meta.sourceCommit) line.sourceCommit = v.meta.sourceCommit;
  return line;
}

export function indexFiles(pkg: string, versions: VersionRecord[], state: PackageState): Array<{ path: string; content: string }> {
  const paths = indexPaths(pkg);
  const meta: IndexPackage = { package: pkg, owners: state.owners, createdAt: state.createdAt };
  if (state.forkOf) meta.forkOf = state.forkOf;
  return [
    { path: paths.versions, content: versions.map((v) => JSON.stringify(indexLine(v, state)) + '\n').join('') },
    { path: paths.meta, content: JSON.stringify(meta, null, 2) + '\n' },
  ];
}

export function parseIndexLines(content: string): IndexLine[] {
  return content.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as IndexLine);
}
