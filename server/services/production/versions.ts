/**
 * Which version of a design a pledge, run, match or offer is about: the one named, which must
 * exist (404) and must not be yanked (409, with the reason given when it was yanked), or the
 * latest visible one (409 when every version is yanked).
 */
import { OhwError } from '../../../schema/errors.ts';
import type { Manifest } from '../../../schema/types.ts';
import { latestVisible } from '../../domain/visible-versions.ts';
import type { VersionRecord } from '../../store/ports.ts';
import type { Deps } from '../deps.ts';
import { requireDesign, requireVersion } from '../read-design.ts';

export interface UsableVersion { pkg: string; record: VersionRecord; manifest: Manifest; owners: string[] }

export async function usableVersion(deps: Deps, rawPkg: string, version?: string): Promise<UsableVersion> {
  const pkg = await requireDesign(deps, rawPkg);
  const state = await deps.designs.state(pkg);
  let record: VersionRecord;
  if (version !== undefined) {
    record = await requireVersion(deps, pkg, version);
    const y = state.yanked[record.version];
    if (y) throw new OhwError('CONFLICT', `${pkg}@${record.version} is yanked${y.reason ? ` (${y.reason})` : ''}; use a current version`);
  } else {
    const latest = latestVisible(await deps.designs.versions(pkg), state);
    if (!latest) throw new OhwError('CONFLICT', `${pkg} has no current version: every version is yanked`);
    record = latest;
  }
  return { pkg, record, manifest: await deps.manifests.get(pkg, record.version), owners: state.owners };
}

/** `owner/name` or `owner/name@version`. */
export function splitSpec(spec: string): { pkg: string; version?: string } {
  const at = spec.indexOf('@');
  return at < 0 ? { pkg: spec } : { pkg: spec.slice(0, at), version: spec.slice(at + 1) };
}
