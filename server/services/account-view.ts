import { OhwError } from '../../schema/errors.ts';
import type { Deps } from './deps.ts';
import { readDesign } from './read-design.ts';
import { certificationsOf } from './certification.ts';
import type { PackageRead } from './package-read.ts';

/**
 * An account as the public sees it: the designs it owns and their certifications. Reads every
 * stored package read (one row each); fine at registry sizes in the thousands.
 */
export async function accountView(deps: Deps, raw: string) {
  const account = await deps.accounts.get(raw.toLowerCase());
  if (!account) throw new OhwError('NOT_FOUND', `account ${raw} not found`);
  const designs: PackageRead[] = [];
  for (const pkg of (await deps.derived.packages()).sort()) {
    const read = await readDesign(deps, pkg).catch(() => undefined);
    // A design delisted at its licensor's request is not browsable, not even from its owner's page.
    if (read?.owners.includes(account.name) && !read.delisted) designs.push(read);
  }
  const certifications = [];
  for (const d of designs) for (const c of await certificationsOf(deps, d.package)) certifications.push({ package: d.package, ...c });
  return { name: account.name, roles: account.roles, since: account.createdAt, designs, certifications };
}
