import { OhwError } from '../../schema/errors.ts';
import { parsePackageName } from '../../schema/names.ts';
import { personOf, type Actor, type Deps } from './deps.ts';
import { announce, refreshDerived } from './derived-views.ts';
import { assertOwner } from './publish-version.ts';

/**
 * Yanking hides a version from resolution and search; the bytes stay downloadable by exact
 * version, so builds pinned to it keep working. Recorded as a commit on the registry state.
 */
export async function setYanked(deps: Deps, input: { pkg: string; version: string; actor: Actor; yanked: boolean; reason?: string }): Promise<{ package: string; version: string; yanked: boolean }> {
  const { full: pkg } = parsePackageName(input.pkg);
  if (!(await deps.designs.exists(pkg))) throw new OhwError('NOT_FOUND', `design ${pkg} not found`);
  await assertOwner(deps, pkg, input.actor);
  if (!(await deps.designs.version(pkg, input.version))) {
    throw new OhwError('NOT_FOUND', `version ${input.version} of ${pkg} not found`);
  }
  await announce(deps, pkg);
  const at = deps.now().toISOString();
  await deps.designs.updateState(pkg, (s) => {
    const yanked = { ...s.yanked };
    if (input.yanked) {
      const entry: { at: string; by: string; reason?: string } = { at, by: input.actor.name };
      if (input.reason) entry.reason = input.reason;
      yanked[input.version] = entry;
    } else delete yanked[input.version];
    return { ...s, yanked };
  }, personOf(input.actor), `${input.yanked ? 'yank' : 'unyank'} ${pkg}@${input.version}`);
  await refreshDerived(deps, pkg, `${input.yanked ? 'yank' : 'unyank'} ${pkg}@${input.version}`);
  return { package: pkg, version: input.version, yanked: input.yanked };
}
