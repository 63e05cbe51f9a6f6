import { OhwError } from '../../schema/errors.ts';
import { enforce, mayAdminister } from '../domain/policy.ts';
import { personOf, type Actor, type Deps } from './deps.ts';
import { announce, refreshDerived } from './derived-views.ts';
import { requireDesign } from './read-design.ts';

/** Longest reason kept with a delisting. */
export const MAX_DELIST_REASON = 500;

/**
 * Delisting hides a design from search and browse at its licensor's request (imports list people
 * who never signed up); the versions stay in git and downloadable by exact name. Admins only:
 * the admin role and a token with the admin scope. Recorded on the registry state.
 */
export async function setDelisted(deps: Deps, input: { pkg: string; actor: Actor; delisted: boolean; reason?: string }) {
  const { actor } = input;
  enforce(mayAdminister(actor, input.delisted ? 'delist a design' : 'relist a design'));
  if (input.reason !== undefined && (input.reason.length > MAX_DELIST_REASON || /[\r\n]/.test(input.reason))) {
    throw new OhwError('INVALID_REQUEST', `"reason" must be one line of at most ${MAX_DELIST_REASON} characters`);
  }
  const pkg = await requireDesign(deps, input.pkg);
  const at = deps.now().toISOString();
  await announce(deps, pkg);
  const state = await deps.designs.updateState(pkg, (s) => {
    const next = { ...s };
    if (input.delisted) {
      // Delisting again keeps the first record of who asked and when.
      next.delisted = s.delisted ?? { at, by: actor.name, ...(input.reason ? { reason: input.reason } : {}) };
    } else delete next.delisted;
    return next;
  }, personOf(actor), `${input.delisted ? 'delist' : 'relist'} ${pkg}`);
  await refreshDerived(deps, pkg, `${input.delisted ? 'delist' : 'relist'} ${pkg}`);
  return { package: pkg, delisted: state.delisted ?? null };
}
