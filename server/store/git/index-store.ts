/**
 * `IndexStore` over `$dataDir/index.git`: the registry metadata repository, crates.io style.
 *
 * Layout (tree of `refs/heads/main`; HEAD → refs/heads/main):
 *
 *   designs/<owner>/<name>.jsonl   one JSON object per line per version, semver order:
 *                                  {version, checksum, tree, commit, tag, yanked, publishedAt,
 *                                   licenses, dependencies, sourceCommit, publisher}
 *   designs/<owner>/<name>.json    {owners, forkOf, createdAt}
 *   certifications/…               certification records (one file per certification; each
 *                                  event is a commit, so `history(path)` is its audit trail)
 *
 * The `designs/` files are derived: services regenerate them from the design repos (tags +
 * `refs/meta/registry`) and commit them here; this store only stores. Certification records are
 * primary data.
 *
 * Writes: every `commit()` is one git commit on `refs/heads/main` whose parent is the previous
 * head (linear history), created with isomorphic-git and published with a compare-and-swap
 * `git update-ref refs/heads/main <new> <old>`. Inside the process commits are serialized in
 * call order; a CAS lost to another process is retried on top of the new head (changes carry
 * whole file contents, so re-applying them is correct: last writer wins per file).
 * Commit timestamps have seconds precision; history is ordered by the commit chain, not by date.
 */
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { OhwError } from '../../../schema/errors.ts';
import type { IndexChange, IndexCommit, IndexStore, Person } from '../ports.ts';
import { editTree, EMPTY_TREE, fs, identity, isNotFound, isoOf, personOf, type RepoCtx, type TreeEdit } from './objects.ts';
import { PackBuilder } from './pack-writer.ts';
import { indexRepoPath, treePathSegments } from './paths.ts';
import { readRef, runGit, ZERO_OID } from './real-git.ts';
import { RepoPool, backoff, conflict, createRepoAtomically, isRepo, writeObjectsAndRefs } from './repo.ts';
import { bestHistory, headProblem, type HeadRepair } from './index-repair.ts';

/** index.git is made one pack while under this; above it, rolled up geometrically. */
const INDEX_CONSOLIDATE_UNDER_BYTES = 16 * 1024 * 1024;

export type { IndexChange, IndexCommit };

export const INDEX_BRANCH = 'refs/heads/main';
const CAS_ATTEMPTS = 50;
const INIT_PERSON: Person = { name: 'ohw-registry', email: 'registry@localhost' };

type TreeEntries = Array<{ path: string; oid: string; type: string; mode: string }>;

export class GitIndexStore implements IndexStore {
  private readonly gitdir: string;
  private readonly pool: RepoPool;
  private initDone: Promise<void> | undefined;

  /** `gcEvery`: repack once the repo holds more than N packs (0 = never; default 4). `fsync`: see GitDesignStore. */
  constructor(opts: { dataDir: string; gcEvery?: number; fsync?: boolean }) {
    this.gitdir = indexRepoPath(resolve(opts.dataDir));
    // One pack only while small: every publish commits here, and a full repack rewrites it all.
    this.pool = new RepoPool(opts.gcEvery ?? 4, opts.fsync ?? true, INDEX_CONSOLIDATE_UNDER_BYTES);
  }

  repoPath(): string {
    return this.gitdir;
  }

  /**
   * Create the bare repo with a root commit (empty tree). Idempotent, safe to race. An existing
   * repo whose head is missing or damaged is repaired first (index-repair.ts); `repaired` says how.
   */
  init(): Promise<void> {
    this.initDone ??= this.pool.queue
      .run(this.gitdir, async () => {
        if (await isRepo(this.gitdir)) {
          const problem = await headProblem(this.gitdir, INDEX_BRANCH);
          if (problem) await this.repairHead(problem);
          return;
        }
        await createRepoAtomically(this.gitdir, async (tmp) => {
          const who = identity(INIT_PERSON, new Date());
          const objects = new PackBuilder();
          const tree = objects.tree([]);
          const commit = objects.commit({ message: 'Initialize registry index\n', tree, parent: [], author: who, committer: who });
          const cas = await writeObjectsAndRefs(tmp, objects, [{ ref: INDEX_BRANCH, newOid: commit, expected: ZERO_OID }], 'init', { fsync: this.pool.fsync });
          if (!cas.ok) throw new OhwError('INTERNAL', 'could not initialize the index', { details: { git: cas.reason } });
        }, { fsync: this.pool.fsync });
      })
      .catch((e: unknown) => {
        this.initDone = undefined;
        throw e;
      });
    return this.initDone;
  }

  /** How the head was repaired at init, if it was (for the start-up log). */
  repaired: HeadRepair | undefined;

  private async repairHead(problem: string): Promise<void> {
    const best = await bestHistory(this.gitdir);
    if (best) {
      const current = await readRef(this.gitdir, INDEX_BRANCH);
      // Written over whatever is there (a torn ref file is not a value to compare against).
      await fsp.rm(join(this.gitdir, `${INDEX_BRANCH}.lock`), { force: true });
      if (current === undefined) await fsp.rm(join(this.gitdir, INDEX_BRANCH), { force: true });
      const cas = await writeObjectsAndRefs(this.gitdir, new PackBuilder(), [{ ref: INDEX_BRANCH, newOid: best.oid }], 'repair head', { fsync: this.pool.fsync });
      if (!cas.ok) throw new OhwError('INTEGRITY', `the registry index head is damaged (${problem}) and could not be repaired`, { details: { git: cas.reason } });
      this.repaired = { problem, restored: best.oid, kept: best.kept };
    } else {
      throw new OhwError('INTEGRITY', `the registry index head is damaged (${problem}) and no readable history was found; restore index.git from a backup`);
    }
    this.pool.dropCache(this.gitdir);
  }

  async commit(changes: IndexChange[], author: Person, message: string): Promise<string> {
    const edits = toEdits(changes);
    await this.init();
    return this.pool.queue.run(this.gitdir, async () => {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const head = await this.resolveHead();
        const objects = new PackBuilder();
        // Through pool.read: a repack (ours, or another instance's) may remove a pack under us.
        const { base, tree } = await this.pool.read(this.gitdir, async (ctx) => {
          const base = head ? (await git.readCommit({ fs, gitdir: this.gitdir, oid: head, cache: ctx.cache })).commit.tree : undefined;
          return { base, tree: edits.length ? await editTree(ctx, objects, base, edits) : (base ?? objects.tree([])) };
        });
        if (head && tree === base) return head; // nothing changed
        const who = identity(author, new Date());
        const commit = objects.commit({ message: message.endsWith('\n') ? message : `${message}\n`, tree, parent: head ? [head] : [], author: who, committer: who });
        const cas = await writeObjectsAndRefs(this.gitdir, objects, [{ ref: INDEX_BRANCH, newOid: commit, expected: head ?? ZERO_OID }], (message.split('\n')[0] ?? '').slice(0, 200) || 'commit', { fsync: this.pool.fsync });
        if (cas.ok) {
          this.pool.afterWrite(this.gitdir);
          return commit;
        }
        await backoff(attempt);
      }
      throw conflict('registry index');
    });
  }

  async read(path: string): Promise<string | undefined> {
    const segs = treePathSegments(path);
    if (!segs) return undefined;
    return this.pool.read(this.gitdir, async (ctx) => {
      const tree = await this.headTree(ctx);
      if (!tree) return undefined;
      const oid = await blobAt(ctx, tree, segs, new Map());
      return oid ? decode((await git.readBlob({ fs, gitdir: this.gitdir, oid, cache: ctx.cache })).blob) : undefined;
    });
  }

  /** Every file under the folder `prefix` (`''` = everything), as full paths, sorted. */
  async list(prefix: string): Promise<string[]> {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    const segs = trimmed === '' ? [] : treePathSegments(trimmed);
    if (!segs) return [];
    return this.pool.read(this.gitdir, async (ctx) => {
      let oid = await this.headTree(ctx);
      for (const s of segs) {
        if (!oid) return [];
        const e = (await readTreeEntries(ctx, oid, new Map())).find((t) => t.path === s);
        oid = e && e.type === 'tree' ? e.oid : undefined;
      }
      if (!oid) return [];
      const out: string[] = [];
      const walk = async (tree: string, at: string): Promise<void> => {
        for (const e of await readTreeEntries(ctx, tree, new Map())) {
          const p = at ? `${at}/${e.path}` : e.path;
          if (e.type === 'tree') await walk(e.oid, p);
          else if (e.type === 'blob') out.push(p);
        }
      };
      await walk(oid, trimmed);
      return out.sort();
    });
  }

  /**
   * The commits that changed `path` (created, modified or deleted it), oldest first, following the
   * branch's first-parent chain; `content` is the file after that commit (undefined = deleted).
   */
  async history(path: string): Promise<IndexCommit[]> {
    const segs = treePathSegments(path);
    if (!segs) return [];
    return this.pool.read(this.gitdir, async (ctx) => {
      const memo = new Map<string, TreeEntries>();
      const chain: Array<{ oid: string; commit: Awaited<ReturnType<typeof git.readCommit>>['commit']; blob: string | undefined }> = [];
      let oid = await this.resolveHead();
      while (oid) {
        const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: ctx.cache });
        chain.push({ oid, commit, blob: await blobAt(ctx, commit.tree, segs, memo) });
        oid = commit.parent[0];
      }
      chain.reverse();
      const out: IndexCommit[] = [];
      let prev: string | undefined;
      for (const c of chain) {
        if (c.blob === prev) continue;
        prev = c.blob;
        out.push({
          commit: c.oid,
          author: personOf(c.commit.author),
          date: isoOf(c.commit.author),
          message: c.commit.message.replace(/\n$/, ''),
          content: c.blob ? decode((await git.readBlob({ fs, gitdir: this.gitdir, oid: c.blob, cache: ctx.cache })).blob) : undefined,
        });
      }
      return out;
    });
  }

  async changedSince(from: string): Promise<string[] | undefined> {
    const head = await this.head();
    if (!head || !/^[0-9a-f]{40}$/.test(from)) return undefined;
    if (head === from) return [];
    try {
      // Only a commit of this history counts: a rewritten index is rebuilt whole.
      await runGit(this.gitdir, ['merge-base', '--is-ancestor', from, head]);
      const out = await runGit(this.gitdir, ['diff', '--name-only', '--no-renames', from, head]);
      return out.split('\n').filter((l) => l !== '');
    } catch {
      return undefined;
    }
  }

  async head(): Promise<string | undefined> {
    return this.resolveHead();
  }

  /** Repack now (it also happens by itself behind commits); `full`: plain `git gc`. */
  maintain(opts: { full?: boolean } = {}): Promise<void> {
    return opts.full ? this.pool.gc(this.gitdir, true) : this.pool.repack(this.gitdir);
  }

  /** Resolves when all queued commits and maintenance of this instance have finished. */
  idle(): Promise<void> {
    return this.pool.idle();
  }

  private async resolveHead(): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref: INDEX_BRANCH });
    } catch (e) {
      if (isNotFound(e) || (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private async headTree(ctx: RepoCtx): Promise<string | undefined> {
    const head = await this.resolveHead();
    if (!head) return undefined;
    return (await git.readCommit({ fs, gitdir: this.gitdir, oid: head, cache: ctx.cache })).commit.tree;
  }
}

function toEdits(changes: IndexChange[]): TreeEdit[] {
  const seen = new Set<string>();
  const encoder = new TextEncoder();
  return changes.map((c) => {
    const segs = treePathSegments(c.path);
    if (!segs) throw new OhwError('INVALID_REQUEST', `invalid index path "${String(c.path).slice(0, 200)}"`);
    if (seen.has(c.path)) throw new OhwError('INVALID_REQUEST', `index path "${c.path}" is changed twice in one commit`);
    seen.add(c.path);
    return { segs, data: c.content === null ? null : encoder.encode(c.content) };
  });
}

async function readTreeEntries(ctx: RepoCtx, oid: string, memo: Map<string, TreeEntries>): Promise<TreeEntries> {
  let entries = memo.get(oid);
  if (!entries) {
    entries = oid === EMPTY_TREE ? [] : (await git.readTree({ fs, gitdir: ctx.gitdir, oid, cache: ctx.cache })).tree;
    memo.set(oid, entries);
  }
  return entries;
}

/** Blob oid at `segs` inside `tree`, memoizing parsed trees (trees are immutable). */
async function blobAt(ctx: RepoCtx, tree: string, segs: string[], memo: Map<string, TreeEntries>): Promise<string | undefined> {
  let oid = tree;
  for (let i = 0; i < segs.length; i++) {
    const e = (await readTreeEntries(ctx, oid, memo)).find((t) => t.path === segs[i]);
    if (!e) return undefined;
    if (i === segs.length - 1) return e.type === 'blob' ? e.oid : undefined;
    if (e.type !== 'tree') return undefined;
    oid = e.oid;
  }
  return undefined;
}

function decode(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
