/**
 * A missing or damaged head of `index.git` (refs/heads/main deleted, torn, or pointing at a
 * commit whose objects cannot be read) is repaired instead of silently starting a new history.
 *
 * The index's commits are all still in its object store (packs are written whole, refs are
 * what breaks), so the head is set back to the newest commit whose whole history reads: among
 * the commits no other commit names as a parent, the one with the longest first-parent chain
 * (ties: the newest), or — when its objects do not all read — its nearest ancestor that does. Certification records are primary data in that history, so they stay
 * reachable with their audit trail; the `designs/` files are derived, and the start-up sync
 * regenerates them from the design repositories (the stored watermark no longer matches the
 * head, so everything is replayed). What was done is returned for the log.
 */
import git from 'isomorphic-git';
import { fs } from './objects.ts';
import { runGit } from './real-git.ts';

export interface HeadRepair {
  /** What was wrong with the head. */
  problem: string;
  /** The commit the head was set to (undefined: no readable commit at all, a new history starts). */
  restored?: string;
  /** Commits in the restored first-parent history. */
  kept: number;
}

/** undefined when the head is fine; otherwise what is wrong with it. */
export async function headProblem(gitdir: string, ref: string): Promise<string | undefined> {
  let head: string;
  try {
    head = await git.resolveRef({ fs, gitdir, ref });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'NotFoundError') return `${ref} is missing`;
    return `${ref} is unreadable`;
  }
  if (!/^[0-9a-f]{40}$/.test(head)) return `${ref} does not hold an object id`;
  try {
    const { commit } = await git.readCommit({ fs, gitdir, oid: head });
    await git.readTree({ fs, gitdir, oid: commit.tree });
  } catch {
    return `${ref} points at ${head}, which cannot be read`;
  }
  return undefined;
}

/** The best commit to restore the head to, or undefined when the repository holds none that reads. */
export async function bestHistory(gitdir: string): Promise<{ oid: string; kept: number } | undefined> {
  const listing = await runGit(gitdir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)']).catch(() => '');
  const commits = listing.split('\n').filter((l) => l.endsWith(' commit')).map((l) => l.slice(0, 40));
  if (!commits.length) return undefined;
  const parentsOf = new Map<string, { parents: string[]; time: number }>();
  for (const oid of commits) {
    try {
      const { commit } = await git.readCommit({ fs, gitdir, oid });
      parentsOf.set(oid, { parents: commit.parent, time: commit.committer.timestamp });
    } catch {
      /* an unreadable commit is no candidate */
    }
  }
  const named = new Set([...parentsOf.values()].flatMap((c) => c.parents));
  const depth = new Map<string, number>();
  const chain = (oid: string): number => {
    let n = 0;
    const path: string[] = [];
    let at: string | undefined = oid;
    while (at && parentsOf.has(at) && !depth.has(at)) {
      path.push(at);
      at = parentsOf.get(at)!.parents[0];
    }
    n = at && depth.has(at) ? depth.get(at)! : 0;
    for (const p of path.reverse()) depth.set(p, ++n);
    return depth.get(oid) ?? 0;
  };
  const tips = [...parentsOf.keys()].filter((c) => !named.has(c));
  tips.sort((a, b) => chain(b) - chain(a) || parentsOf.get(b)!.time - parentsOf.get(a)!.time);
  for (const tip of tips) {
    // The whole history must read: every commit, tree and blob it reaches. A tip that does not
    // (a commit whose tree was lost) gives way to its first parent, and so on down.
    for (let at: string | undefined = tip, steps = 0; at && parentsOf.has(at) && steps < 1000; at = parentsOf.get(at)!.parents[0], steps++) {
      const ok = await runGit(gitdir, ['rev-list', '--objects', at]).then(() => true, () => false);
      if (ok) return { oid: at, kept: chain(at) };
    }
  }
  return undefined;
}
