import { OhwError } from '../../schema/errors.ts';
import { parsePackageName } from '../../schema/names.ts';
import { personOf, type Actor, type Deps } from './deps.ts';
import { announce, refreshDerived } from './derived-views.ts';
import { assertOwner } from './publish-version.ts';

/** Add and remove owners of a design; a design can never be left without an owner. */
export async function changeOwners(deps: Deps, input: { pkg: string; actor: Actor; add?: string[]; remove?: string[] }): Promise<{ package: string; owners: string[] }> {
  const { full: pkg } = parsePackageName(input.pkg);
  if (!(await deps.designs.exists(pkg))) throw new OhwError('NOT_FOUND', `design ${pkg} not found`);
  await assertOwner(deps, pkg, input.actor);
  const add = (input.add ?? []).map((n) => n.toLowerCase());
  const remove = (input.remove ?? []).map((n) => n.toLowerCase());
  if (!add.length && !remove.length) throw new OhwError('INVALID_REQUEST', 'give "add" and/or "remove": lists of account names');
  for (const name of add) {
    if (!(await deps.accounts.get(name))) throw new OhwError('NOT_FOUND', `account "${name}" not found`);
  }
  await announce(deps, pkg);
  const state = await deps.designs.updateState(pkg, (s) => {
    const owners = [...new Set([...s.owners, ...add])].filter((o) => !remove.includes(o));
    if (!owners.length) throw new OhwError('CONFLICT', `${pkg} must keep at least one owner`);
    return { ...s, owners };
  }, personOf(input.actor), `owners of ${pkg}: +[${add.join(', ')}] -[${remove.join(', ')}]`);
  await refreshDerived(deps, pkg, `owners of ${pkg}`);
  return { package: pkg, owners: state.owners };
}
