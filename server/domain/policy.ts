/**
 * Who may do what: the one authorization policy. Every route and service asks these questions
 * and nothing else looks at roles or scopes. A token's scopes bind it everywhere: a power needs
 * both the account's standing (role, ownership) and a token issued for that kind of work.
 *
 *   - admin powers: the `admin` role AND a token with the `admin` scope;
 *   - owner actions (publish a version, yank, owners, certification requests): an owner of the
 *     design AND the `publish` scope, or an admin (as above);
 *   - reviews: the `reviewer` role AND the `review` scope, and not an interested party (an owner
 *     of the design or of its upstream).
 *
 * Pure: decisions only. A refusal carries the sentence the caller is shown.
 */
import { OhwError } from '../../schema/errors.ts';

export interface Principal {
  name: string;
  roles: readonly string[];
  scopes: readonly string[];
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Verdict = { allowed: true };
const deny = (reason: string): Verdict => ({ allowed: false, reason });

export const hasScope = (p: Principal, scope: 'publish' | 'review' | 'admin'): boolean => p.scopes.includes(scope);

/** The admin role and a token with the admin scope. */
export const isAdmin = (p: Principal): boolean => p.roles.includes('admin') && hasScope(p, 'admin');

/** An owner of the design acting with a publish-scoped token. */
export const isOwner = (p: Principal, owners: readonly string[]): boolean => owners.includes(p.name) && hasScope(p, 'publish');

/** Owner actions on an existing design: its owners (publish scope) or an admin (admin scope). */
export function mayActAsOwner(p: Principal, pkg: string, owners: readonly string[]): Verdict {
  if (isOwner(p, owners) || isAdmin(p)) return ALLOW;
  if (owners.includes(p.name)) return deny(`this token does not have the "publish" scope needed to act as an owner of ${pkg} (\`ohw login --scopes publish\`)`);
  if (p.roles.includes('admin')) return deny(`acting on ${pkg} as an admin needs a token with the "admin" scope`);
  return deny(`${p.name} is not an owner of ${pkg} (owners: ${owners.join(', ')})`);
}

/** Publishing a new version of an existing design: the publish scope and ownership (or admin). */
export function mayPublishVersion(p: Principal, pkg: string, owners: readonly string[]): Verdict {
  if (!hasScope(p, 'publish')) return deny('this token does not have the "publish" scope');
  return mayActAsOwner(p, pkg, owners);
}

/** Creating a design (publish or fork) under `namespace/`: one's own account name, or an admin. */
export function mayCreateIn(p: Principal, namespace: string): Verdict {
  if (!hasScope(p, 'publish')) return deny('this token does not have the "publish" scope (creating a design needs it)');
  if (namespace === p.name || isAdmin(p)) return ALLOW;
  return deny(`${p.name} cannot create designs under "${namespace}/": use your own name (${p.name}/…), or ask an owner of an existing ${namespace}/ design to add you`);
}

/** Asking for a design to be certified, resubmitting a request: its owners only. */
export function mayRequestCertification(p: Principal, pkg: string, owners: readonly string[]): Verdict {
  if (isOwner(p, owners)) return ALLOW;
  if (owners.includes(p.name)) return deny(`requesting certification of ${pkg} needs a token with the "publish" scope`);
  return deny(`only owners of ${pkg} can request its certification (owners: ${owners.join(', ')})`);
}

/** Reviewing a certification: a reviewer with a review token who has no stake in the design. */
export function mayReview(p: Principal, pkg: string, interested: readonly string[]): Verdict {
  if (!p.roles.includes('reviewer') || !hasScope(p, 'review')) {
    return deny('reviewing needs the reviewer role and a token with the "review" scope (`ohw login --scopes review`)');
  }
  if (interested.includes(p.name)) return deny(`${p.name} owns ${pkg} (or its upstream) and cannot review it`);
  return ALLOW;
}

/** Admin powers: granting roles, suspending, revoking, reinstating certificates. */
export function mayAdminister(p: Principal, what: string): Verdict {
  if (isAdmin(p)) return ALLOW;
  return deny(`${what} needs an admin token (the admin role and a token with the "admin" scope)`);
}

/** Throw FORBIDDEN with the policy's reason when a verdict refuses. */
export function enforce(v: Verdict): void {
  if (!v.allowed) throw new OhwError('FORBIDDEN', v.reason);
}
