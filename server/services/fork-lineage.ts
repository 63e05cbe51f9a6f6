import { OhwError, type Issue } from '../../schema/errors.ts';
import { forkLicenseAllowed } from '../../schema/licenses.ts';
import type { Manifest } from '../../schema/types.ts';
import type { PackageState } from '../store/ports.ts';
import type { Deps } from './deps.ts';

const issue = (path: string, code: string, message: string): Issue =>
  ({ file: 'design.yaml', path, line: 0, column: 0, code, message, severity: 'error' });

/**
 * Lineage rules at publish time. `forkOf` is the registry's record, not the author's claim: a
 * fork keeps its upstream (an absent `forkOf` is filled from the registry state in reads, the
 * uploaded bytes are never rewritten), a different one is refused, and a design that is not a fork
 * cannot claim to be one. A share-alike upstream constrains the fork's licences.
 */
export async function checkForkLineage(deps: Deps, pkg: string, manifest: Manifest, state: PackageState | undefined): Promise<void> {
  const lineage = state?.forkOf;
  if (!lineage) {
    if (manifest.forkOf) {
      throw new OhwError('INVALID_MANIFEST', `${pkg} is not a fork, but design.yaml says forkOf ${manifest.forkOf.package}`, {
        issues: [issue('forkOf', 'fork-not-recorded', `forkOf is set by the registry when you fork with \`ohw fork\`; to credit a design you adapted, use derivedFrom`)],
      });
    }
    return;
  }
  if (manifest.forkOf && manifest.forkOf.package !== lineage.package) {
    throw new OhwError('INVALID_MANIFEST', `${pkg} is a fork of ${lineage.package}; forkOf cannot be changed to ${manifest.forkOf.package}`, {
      issues: [issue('forkOf.package', 'fork-mismatch', `must be "${lineage.package}" (recorded when the fork was made)`)],
    });
  }
  const upstream = await deps.designs.version(lineage.package, lineage.version).catch(() => undefined);
  const upstreamLicense = upstream?.meta.license;
  if (!upstreamLicense) return;
  const problems: Issue[] = [];
  for (const role of ['hardware', 'documentation'] as const) {
    const verdict = forkLicenseAllowed(upstreamLicense[role], manifest.license[role]);
    if (!verdict.ok) problems.push(issue(`license.${role}`, 'fork-license', verdict.reason ?? `not allowed for a fork of ${lineage.package}`));
  }
  if (problems.length) {
    throw new OhwError('INVALID_MANIFEST', `the licences of this fork are not allowed by its upstream ${lineage.package}@${lineage.version}`, { issues: problems });
  }
}
