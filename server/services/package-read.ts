import semver from 'semver';
import { latestVisible } from '../domain/visible-versions.ts';
import type { PackageState, VersionRecord } from '../store/ports.ts';
import type { Deps } from './deps.ts';
import { certificationSummary } from './certification-summary.ts';
import { productionOfDesign } from './production/summary.ts';

/**
 * The package read (`GET /api/v1/designs/:owner/:name`): computed when the design changes
 * (publish, yank, owners, certification, fork) and stored, so a read is one row.
 */
export async function buildPackageRead(deps: Deps, pkg: string, versions: VersionRecord[], state: PackageState) {
  const latest = latestVisible(versions, state);
  const manifest = latest ? await deps.manifests.get(pkg, latest.version) : undefined;
  const forks = await deps.derived.forksOf(pkg);
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
        // Who yanked it, when and why: a reason given is kept and shown.
        yank: state.yanked[v.version] ?? null,
        publishedAt: v.publishedAt,
        publisher: v.meta.publisher,
        tag: v.tag,
        commit: v.commit,
      })),
    forkOf: state.forkOf ?? null,
    // An imported design names where it came from and its licensor wherever it is shown.
    imported: manifest?.provenance?.imported
      ? {
        format: manifest.provenance.sourceFormat,
        sourceUrl: manifest.provenance.sourceUrl ?? null,
        sourceId: manifest.provenance.sourceId ?? null,
        licensor: manifest.licensor.map((l) => l.name),
        originalLicenses: manifest.provenance.originalLicenses ?? null,
        importedAt: manifest.provenance.importedAt,
      }
      : null,
    delisted: state.delisted ?? null,
    forks: forks.length,
    certifications: (await certificationSummary(deps, pkg)) ?? null,
    /** Builds (count, regions, success rate, latest, measured performance) and offers per level. */
    production: await productionOfDesign(deps, pkg),
  };
}

export type PackageRead = Awaited<ReturnType<typeof buildPackageRead>>;
