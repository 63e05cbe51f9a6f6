/**
 * Shared plumbing of the git stores: creating a bare repo so that it appears complete or not at
 * all, per-repo caches, transient-read retry, occasional `git gc --auto`.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import git from 'isomorphic-git';
import { OhwError, isOhwError } from '../../../schema/errors.ts';
import { fs, type RepoCtx } from './objects.ts';
import { gcAuto } from './real-git.ts';
import { KeyedQueue } from './queue.ts';

/**
 * Config of every repo we create. Refs are never packed (`gc.packRefs=false`): isomorphic-git
 * reads `packed-refs` before the loose refs, so a concurrent `pack-refs` could hide a ref from a
 * reader for a moment; loose tags (one small file per version) avoid that race entirely.
 */
const REPO_CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = true
\tlogallrefupdates = false
[gc]
\tpackRefs = false
\tautoDetach = false
[receive]
\tdenyDeletes = true
\tdenyNonFastForwards = true
`;

/** `git init --bare` (isomorphic-git) with our config and HEAD → refs/heads/main. */
export async function initBareRepo(gitdir: string): Promise<void> {
  await git.init({ fs, dir: gitdir, bare: true, defaultBranch: 'main' });
  await fs.promises.writeFile(join(gitdir, 'config'), REPO_CONFIG);
}

/**
 * Build a repo in a temp dir next to `finalPath` with `build`, then rename it into place. rename(2)
 * of a directory fails when the target exists (and is not empty), so of two concurrent creators
 * exactly one wins — and nobody ever sees a half-initialized repo. Returns false when the target
 * already existed. Temp dirs are named `.tmp-*` (never a valid package name, ignored by listings);
 * one left behind by a crash is garbage and can be deleted.
 */
export async function createRepoAtomically(finalPath: string, build: (tmpGitdir: string) => Promise<void>): Promise<boolean> {
  const parent = dirname(finalPath);
  await fsp.mkdir(parent, { recursive: true });
  if (await isRepo(finalPath)) return false;
  const tmp = join(parent, `.tmp-${basename(finalPath)}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await initBareRepo(tmp);
    await build(tmp);
    try {
      await fsp.rename(tmp, finalPath);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EISDIR' || code === 'ENOTDIR') return false;
      throw e;
    }
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}

export async function isRepo(gitdir: string): Promise<boolean> {
  try {
    return (await fsp.stat(join(gitdir, 'HEAD'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Per-repo state inside this process: the writer queue, one isomorphic-git `cache` per repo
 * (it holds parsed pack indexes), and a write counter that triggers `git gc --auto`.
 */
export class RepoPool {
  readonly queue = new KeyedQueue();
  private readonly caches = new Map<string, object>();
  private readonly writes = new Map<string, number>();

  constructor(private readonly gcEvery: number) {}

  ctx(gitdir: string): RepoCtx {
    let cache = this.caches.get(gitdir);
    if (!cache) this.caches.set(gitdir, (cache = {}));
    return { gitdir, cache };
  }

  dropCache(gitdir: string): void {
    this.caches.delete(gitdir);
  }

  /**
   * Run a read. Reads are not queued behind writers; the one thing that can pull objects from
   * under them is gc (loose objects pruned into a new pack, old packs deleted). So a read that
   * fails with anything but an OhwError is retried once with a fresh cache.
   */
  async read<T>(gitdir: string, fn: (ctx: RepoCtx) => Promise<T>): Promise<T> {
    try {
      return await fn(this.ctx(gitdir));
    } catch (e) {
      if (isOhwError(e)) throw e;
      this.dropCache(gitdir);
      return fn(this.ctx(gitdir));
    }
  }

  /** Call after a successful write (inside the queue); every `gcEvery` writes queue a `git gc --auto`. */
  afterWrite(gitdir: string): void {
    const n = (this.writes.get(gitdir) ?? 0) + 1;
    this.writes.set(gitdir, n);
    if (this.gcEvery > 0 && n % this.gcEvery === 0) void this.gc(gitdir).catch(() => undefined);
  }

  /** `git gc [--auto]` through the repo's writer queue, then drop the cache (pack files may have changed). */
  gc(gitdir: string, full = false): Promise<void> {
    return this.queue.run(gitdir, async () => {
      try {
        await gcAuto(gitdir, full);
      } finally {
        this.dropCache(gitdir);
      }
    });
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }
}

/** Bounded retry with jitter for compare-and-swap loops that lost a race to another process. */
export async function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
  await new Promise((r) => setTimeout(r, ms));
}

export function conflict(what: string): OhwError {
  return new OhwError('CONFLICT', `${what}: too many concurrent changes, try again`);
}
