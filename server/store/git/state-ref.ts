/**
 * `refs/meta/registry`: a commit chain whose tree is `state.json` (PackageState). One commit per
 * change, authored by the actor: the audit trail of owners, yanks and lineage.
 */
import git from 'isomorphic-git';
import { OhwError } from '../../../schema/errors.ts';
import type { PackageState, Person } from '../ports.ts';
import { fs, identity, isNotFound, MODE_FILE, readBlobAt, type RepoCtx } from './objects.ts';
import type { PackBuilder } from './pack-writer.ts';

export const META_REF = 'refs/meta/registry';
const STATE_FILE = 'state.json';

export async function readState(ctx: RepoCtx, pkg: string): Promise<{ head: string; state: PackageState }> {
  let head: string;
  try {
    head = await git.resolveRef({ fs, gitdir: ctx.gitdir, ref: META_REF });
  } catch (e) {
    if (isNotFound(e)) throw new OhwError('INTERNAL', `${pkg} has no registry state (${META_REF} is missing)`);
    throw e;
  }
  const { commit } = await git.readCommit({ fs, gitdir: ctx.gitdir, oid: head, cache: ctx.cache });
  const data = await readBlobAt(ctx, commit.tree, STATE_FILE);
  if (!data) throw new OhwError('INTERNAL', `${pkg}: ${STATE_FILE} is missing from ${META_REF}`);
  return { head, state: JSON.parse(new TextDecoder().decode(data)) as PackageState };
}

/** Add the blob, tree and commit of a state change to `builder`; returns the commit id. */
export function stateCommit(builder: PackBuilder, state: PackageState, parent: string | undefined, actor: Person, message: string): string {
  const blob = builder.blob(new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`));
  const tree = builder.tree([{ mode: MODE_FILE, path: STATE_FILE, oid: blob }]);
  const who = identity(actor, new Date());
  return builder.commit({ message: ensureNewline(message), tree, parent: parent ? [parent] : [], author: who, committer: who });
}

export function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

export function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200) || 'update';
}
