import semver from 'semver';
import type { PackageState, VersionRecord } from '../store/ports.ts';

/**
 * The one rule for "which version is latest": the highest non-yanked release, or, when a design
 * has only pre-releases, the highest non-yanked pre-release. Every read, page and search
 * document asks this function.
 */
export function latestVisible<V extends { version: string }>(versions: V[], state: Pick<PackageState, 'yanked'>): V | undefined {
  const visible = versions.filter((v) => !state.yanked[v.version]);
  const releases = visible.filter((v) => !semver.prerelease(v.version));
  const pool = releases.length ? releases : visible;
  return pool.slice().sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

export type { VersionRecord };
