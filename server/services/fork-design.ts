import semver from 'semver';
import { OhwError } from '../../schema/errors.ts';
import { allowsDerivatives } from '../../schema/licenses.ts';
import { findTooSimilar, parsePackageName } from '../../schema/names.ts';
import type { PackageState } from '../store/ports.ts';
import { personOf, type Actor, type Deps } from './deps.ts';
import { announce, latestVisible, refreshDerived } from './derived-views.ts';
import { enforce, mayCreateIn } from '../domain/policy.ts';
import { readDesign, requireDesign } from './read-design.ts';

export interface ForkRequest {
  /** The upstream, `owner/name`. */
  from: string;
  actor: Actor;
  /** Target owner; default the caller. Only the caller's own name (admins: any). */
  owner?: string;
  /** Target name; default the upstream's name. */
  name?: string;
  /** Fork point; default the upstream's latest visible version. Must not be yanked. */
  version?: string;
}

/**
 * Fork a design: a new package owned by the caller that carries every object and tag of the
 * upstream (as `refs/upstream/tags/*` — history, not versions of the fork: a fork starts with no
 * published versions) and records its lineage `forkOf: {package, version, at, by}` in the registry
 * state. Publishing the fork later is an ordinary publish; fork-lineage.ts keeps `forkOf` and
 * the upstream's share-alike terms.
 */
export async function forkDesign(deps: Deps, req: ForkRequest): Promise<Awaited<ReturnType<typeof readDesign>>> {
  const { actor } = req;
  const owner = req.owner ?? actor.name;
  // Forking creates a package: the same rule as publishing a new design.
  enforce(mayCreateIn(actor, owner));
  const upstream = await requireDesign(deps, req.from);
  const target = parsePackageName(`${owner}/${req.name ?? upstream.split('/')[1]!}`).full;

  const [versions, state] = await Promise.all([deps.designs.versions(upstream), deps.designs.state(upstream)]);
  let forkPoint: string;
  if (req.version !== undefined) {
    const wanted = semver.valid(req.version);
    const record = wanted ? versions.find((v) => v.version === wanted) : undefined;
    if (!record) throw new OhwError('NOT_FOUND', `version ${req.version} of ${upstream} not found`);
    if (state.yanked[record.version]) {
      throw new OhwError('INVALID_REQUEST', `${upstream}@${record.version} is yanked; fork from a version that is not (latest: ${latestVisible(versions, state)?.version ?? 'none'})`);
    }
    forkPoint = record.version;
  } else {
    const latest = latestVisible(versions, state);
    if (!latest) throw new OhwError('NOT_FOUND', `${upstream} has no published, non-yanked version to fork from`);
    forkPoint = latest.version;
  }

  // A fork is a derivative: the upstream's licences must allow one (ND licences never do).
  const license = versions.find((v) => v.version === forkPoint)?.meta.license;
  if (license) {
    const refusals = (['hardware', 'documentation'] as const)
      .map((role) => ({ role, verdict: allowsDerivatives(license[role]) }))
      .filter((r) => !r.verdict.ok);
    if (refusals.length) {
      throw new OhwError('FORBIDDEN', `${upstream}@${forkPoint} cannot be forked: ${refusals.map((r) => `${r.role} licence ${r.verdict.reason ?? 'does not allow derivatives'}`).join('; ')}`);
    }
  }

  if (await deps.designs.exists(target)) {
    throw new OhwError('NAME_TAKEN', `${target} already exists; fork under another name (ohw fork ${upstream} --as ${owner}/<name>)`);
  }
  const similar = findTooSimilar(target, await deps.designs.list());
  if (similar) {
    throw new OhwError('NAME_TOO_SIMILAR', `"${target}" is too similar to the existing design "${similar}"; choose a more distinct name`);
  }

  const now = deps.now().toISOString();
  const forkState: PackageState = {
    owners: [actor.name],
    yanked: {},
    createdAt: now,
    forkOf: { package: upstream, version: forkPoint, at: now, by: actor.name },
  };
  await announce(deps, target);
  await announce(deps, upstream);
  await deps.designs.fork(upstream, target, forkState, personOf(actor));
  await refreshDerived(deps, target, `fork ${upstream}@${forkPoint} as ${target}`);
  // The upstream's package read counts its forks (the fork's row, saved just now, names it).
  await refreshDerived(deps, upstream, `fork ${upstream}@${forkPoint} as ${target}`);
  return readDesign(deps, target);
}
