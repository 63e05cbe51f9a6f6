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
import { gcAuto, repackAll, repackGeometric, type RefUpdate } from './real-git.ts';
import { casLooseRefs } from './ref-lock.ts';
import { KeyedQueue } from './queue.ts';
import { discardPack, syncDir, type PackBuilder } from './pack-writer.ts';
import { storageFailure } from '../sql/errors.ts';

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
export async function createRepoAtomically(finalPath: string, build: (tmpGitdir: string) => Promise<void>, opts: { fsync?: boolean } = {}): Promise<boolean> {
  const parent = dirname(finalPath);
  await fsp.mkdir(parent, { recursive: true });
  if (await isRepo(finalPath)) return false;
  const tmp = join(parent, `.tmp-${basename(finalPath)}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await initBareRepo(tmp);
    await build(tmp);
    if (opts.fsync) await syncTree(tmp);
    try {
      await fsp.rename(tmp, finalPath);
      if (opts.fsync) await syncDir(parent);
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

/** fsync every file and folder under `dir` (a new repo: a handful of files and one pack). */
async function syncTree(dir: string): Promise<void> {
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await syncTree(p);
    else if (e.isFile()) {
      const fh = await fsp.open(p, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  }
  await syncDir(dir);
}

export async function isRepo(gitdir: string): Promise<boolean> {
  try {
    return (await fsp.stat(join(gitdir, 'HEAD'))).isFile();
  } catch {
    return false;
  }
}

/**
 * The one way objects become visible: `builder`'s objects as one pack, then the ref changes as one
 * compare-and-swap (ref-lock.ts; `message` is kept for the caller's logs — no reflogs are kept). A lost race removes the pack again (nothing unreachable is left to be served or
 * kept); with `fsync` the pack, the refs and their folders are on disk before this resolves.
 * A full disk or read-only file system → INSUFFICIENT_STORAGE, with the pack removed.
 */
export async function writeObjectsAndRefs(
  gitdir: string,
  builder: PackBuilder,
  updates: RefUpdate[],
  message: string,
  opts: { fsync: boolean },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let written: Awaited<ReturnType<PackBuilder['write']>>;
  try {
    written = await builder.write(gitdir, opts);
    const result = await casLooseRefs(gitdir, updates, opts);
    if (!result.ok) {
      await discardPack(written);
      return result;
    }
  } catch (e) {
    await discardPack(written!).catch(() => undefined);
    throw storageFailure(e) ?? e;
  }
  return { ok: true };
}

/**
 * Count and total size of `.pack` files, whether a bitmap exists, and whether any loose object
 * exists (repos written before packs).
 */
export async function packState(gitdir: string): Promise<{ packs: number; loose: boolean; bytes: number; bitmap: boolean }> {
  const dir = join(gitdir, 'objects', 'pack');
  const [names, objects] = await Promise.all([
    fsp.readdir(dir).catch(() => [] as string[]),
    fsp.readdir(join(gitdir, 'objects')).catch(() => [] as string[]),
  ]);
  const packs = names.filter((f) => f.endsWith('.pack'));
  const sizes = await Promise.all(packs.map((f) => fsp.stat(join(dir, f)).then((st) => st.size, () => 0)));
  return {
    packs: packs.length,
    loose: objects.some((d) => /^[0-9a-f]{2}$/.test(d)),
    bytes: sizes.reduce((a, b) => a + b, 0),
    bitmap: names.some((f) => f.endsWith('.bitmap')),
  };
}

/** Longest a read waits for a repack, or a repack for reads, before going ahead (then the read's retry covers it). */
const GATE_WAIT_MS = 2_000;
/**
 * Quiet time after a repo's last write before its maintenance runs. Long enough that the writes
 * that follow one another (a publish and the build reports, owners or yanks right after it) do
 * not meet a repack in their queue: measured with 250 ms, the first writes after a publish waited
 * 150–300 ms for it.
 */
const MAINTAIN_AFTER_QUIET_MS = 2_000;
/** Writes in a row after which maintenance runs even without a pause (a long publish stream). */
const MAX_WRITES_BEFORE_MAINTENANCE = 16;
/** Repos whose packs total less than this are consolidated into one pack; larger ones geometrically. */
const CONSOLIDATE_UNDER_BYTES = 64 * 1024 * 1024;
/** Repos whose isomorphic-git cache (parsed pack indexes, and the packs themselves) is kept. */
const CACHED_REPOS = 64;
/** Pauses before each retry of a failed read (the first retry is immediate). */
const READ_RETRY_PAUSES_MS = [0, 150, 600, 1500];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Per-repo state inside this process: the writer queue, one isomorphic-git `cache` per repo
 * (it holds parsed pack indexes), and the maintenance policy. Maintenance waits until a repo has
 * been quiet for MAINTAIN_AFTER_QUIET_MS (or has collected MAX_WRITES_BEFORE_MAINTENANCE writes):
 * a repack run right behind a write would hold back the reads and the next write of the same
 * publish stream (measured: every 4th publish waited 150–860 ms). Then a repo under
 * `consolidateUnder` is made one pack with a bitmap (a clone streams it verbatim, as fast as
 * a `git repack -ad` copy), and a larger one is rolled up geometrically once it holds more than
 * `packEvery` packs (the work stays proportional to what is new). A stream of writes that never
 * pauses gets a geometric roll-up beside it every MAX_WRITES_BEFORE_MAINTENANCE writes.
 */
export class RepoPool {
  readonly queue = new KeyedQueue();
  private readonly caches = new Map<string, object>();
  private readonly repacking = new Set<string>();
  /** Repos already repacked for their loose objects: what is left loose is unreachable, and stays. */
  private readonly looseDone = new Set<string>();

  /** Reads in flight per repo, and the gate a repack holds while it deletes merged packs. */
  private readonly readers = new Map<string, number>();
  private readonly drainWaiters = new Map<string, Array<() => void>>();
  private readonly gates = new Map<string, Promise<void>>();

  /** `packEvery` 0 = never repack by itself. */
  /** Roll-ups running beside the writers during a stream of writes (see afterWrite). */
  private readonly rolling = new Map<string, Promise<void>>();

  constructor(private readonly packEvery: number, readonly fsync = true, private readonly consolidateUnder = CONSOLIDATE_UNDER_BYTES) {}

  ctx(gitdir: string): RepoCtx {
    let cache = this.caches.get(gitdir);
    if (cache) this.caches.delete(gitdir); // re-inserted below: the Map's order is recency
    else cache = {};
    this.caches.set(gitdir, cache);
    // isomorphic-git keeps each pack it reads whole in its cache: hold only the recent repos'.
    if (this.caches.size > CACHED_REPOS) this.caches.delete(this.caches.keys().next().value!);
    return { gitdir, cache };
  }

  dropCache(gitdir: string): void {
    this.caches.delete(gitdir);
  }

  /**
   * Run a read. Reads are not queued behind writers; the one thing that can pull objects from
   * under them is gc (loose objects pruned into a new pack, old packs deleted). So a read that
   * fails with anything but an OhwError is retried with a fresh cache (READ_RETRY_PAUSES_MS).
   */
  async read<T>(gitdir: string, fn: (ctx: RepoCtx) => Promise<T>): Promise<T> {
    // A repack deletes the packs it merged; isomorphic-git lists the packs, then reads them, so a
    // read must not overlap that. Reads wait for a running repack (bounded: a read nested in a
    // read never deadlocks), and a repack waits for the reads in flight (see exclusive()).
    const gate = this.gates.get(gitdir);
    if (gate) await Promise.race([gate, sleep(GATE_WAIT_MS)]);
    this.readers.set(gitdir, (this.readers.get(gitdir) ?? 0) + 1);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn(this.ctx(gitdir));
        } catch (e) {
          // Packs may have moved (a repack here, or by another instance on the same data dir):
          // try again with a fresh cache, after a pause that outlasts a repack. A read that still
          // fails is the repository's damage, for the caller to report.
          if (isOhwError(e) || attempt >= READ_RETRY_PAUSES_MS.length) throw e;
          this.dropCache(gitdir);
          if (READ_RETRY_PAUSES_MS[attempt]) await sleep(READ_RETRY_PAUSES_MS[attempt]!);
        }
      }
    } finally {
      const left = (this.readers.get(gitdir) ?? 1) - 1;
      if (left > 0) this.readers.set(gitdir, left);
      else {
        this.readers.delete(gitdir);
        for (const wake of this.drainWaiters.get(gitdir)?.splice(0) ?? []) wake();
      }
    }
  }

  /** Run `fn` with new reads held back and the reads in flight finished (each wait bounded). */
  private async exclusive<T>(gitdir: string, fn: () => Promise<T>): Promise<T> {
    let open!: () => void;
    this.gates.set(gitdir, new Promise<void>((r) => (open = r)));
    try {
      if (this.readers.get(gitdir)) {
        const drained = new Promise<void>((r) => {
          const list = this.drainWaiters.get(gitdir) ?? [];
          list.push(r);
          this.drainWaiters.set(gitdir, list);
        });
        await Promise.race([drained, sleep(GATE_WAIT_MS)]);
      }
      return await fn();
    } finally {
      this.gates.delete(gitdir);
      open();
    }
  }

  /** Maintenance waiting for its repo to be quiet, and the writes seen since the last one. */
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; writes: number }>();

  /**
   * Call after a successful write: (re)starts the repo's quiet timer; maintenance then runs
   * through the writer queue (so no write interleaves with it and `idle()` waits for it).
   */
  afterWrite(gitdir: string, counts = true): void {
    if (this.packEvery <= 0) return;
    const entry = this.waiting.get(gitdir);
    if (entry) clearTimeout(entry.timer);
    let writes = (entry?.writes ?? 0) + (counts ? 1 : 0);
    if (writes >= MAX_WRITES_BEFORE_MAINTENANCE) {
      this.rollUp(gitdir);
      writes = 0;
    }
    const timer = setTimeout(() => this.maintainSoon(gitdir), MAINTAIN_AFTER_QUIET_MS);
    timer.unref();
    this.waiting.set(gitdir, { timer, writes });
  }

  /**
   * During a stream of writes: a geometric roll-up beside the writers, not in their queue (the next
   * write must not wait for it). That is safe where a full repack is not: it deletes only the packs
   * it merged, whole, and a pack written meanwhile is neither merged nor deleted.
   */
  private rollUp(gitdir: string): void {
    if (this.rolling.has(gitdir)) return;
    const run = (async () => {
      if ((await packState(gitdir)).packs > this.packEvery) await this.repackNow(gitdir, {});
    })().catch(() => undefined).finally(() => this.rolling.delete(gitdir));
    this.rolling.set(gitdir, run);
  }

  /** Once a repo is quiet: one pack when it is small (in the queue: no write in between), else a roll-up. */
  private maintainSoon(gitdir: string): void {
    const entry = this.waiting.get(gitdir);
    if (entry) clearTimeout(entry.timer);
    this.waiting.delete(gitdir);
    if (this.repacking.has(gitdir)) return;
    this.repacking.add(gitdir);
    void this.queue
      .run(gitdir, async () => {
        this.repacking.delete(gitdir);
        const { packs, loose, bytes, bitmap } = await packState(gitdir);
        const forLoose = loose && !this.looseDone.has(gitdir);
        let ran = true;
        if (bytes < this.consolidateUnder) {
          if (packs > 1 || forLoose || (packs === 1 && !bitmap)) ran = await this.repackNow(gitdir, { all: true });
        } else if (packs > this.packEvery || forLoose) ran = await this.repackNow(gitdir, { loose: forLoose });
        if (forLoose && ran) this.looseDone.add(gitdir);
        // Another repack held the repo (a roll-up, or another process): look again later.
        if (!ran) setTimeout(() => this.afterWrite(gitdir, false), 4 * MAINTAIN_AFTER_QUIET_MS).unref();
      })
      .catch(() => undefined);
  }

  /** A geometric repack with a bitmap through the writer queue. */
  async repack(gitdir: string, loose = true): Promise<void> {
    await this.queue.run(gitdir, () => this.repackNow(gitdir, { loose }));
  }

  /** Inside the queue: repack, then drop the cache (the pack files it knew may be gone). */
  private async repackNow(gitdir: string, how: { loose?: boolean; all?: boolean }): Promise<boolean> {
    return withMaintenanceLock(gitdir, () => this.exclusive(gitdir, async () => {
      try {
        await (how.all ? repackAll(gitdir, { fsync: this.fsync }) : repackGeometric(gitdir, { fsync: this.fsync, loose: how.loose }));
      } finally {
        this.dropCache(gitdir);
      }
    }));
  }

  /** `git gc [--auto]` through the repo's writer queue, then drop the cache (pack files may have changed). */
  async gc(gitdir: string, full = false): Promise<void> {
    await this.queue.run(gitdir, () => withMaintenanceLock(gitdir, () => this.exclusive(gitdir, async () => {
      try {
        await gcAuto(gitdir, full);
      } finally {
        this.dropCache(gitdir);
      }
    })));
  }

  /** Resolves when every queued write has finished and the maintenance waiting for quiet has run. */
  async idle(): Promise<void> {
    await this.queue.idle();
    while (this.waiting.size > 0 || this.rolling.size > 0) {
      await Promise.all(this.rolling.values());
      for (const gitdir of [...this.waiting.keys()]) this.maintainSoon(gitdir);
      await this.queue.idle();
    }
  }
}

/** A maintenance lock older than this was left by a crash and is taken over. */
const MAINTENANCE_LOCK_STALE_MS = 10 * 60_000;

/**
 * One repack at a time per repository, across processes (git repack takes no lock of its own, and
 * two at once make each other's packs vanish under readers): `ohw-maintenance.lock` created with
 * O_EXCL. When another process holds it, this maintenance is skipped — that one is doing it, and
 * the next write asks again.
 */
async function withMaintenanceLock(gitdir: string, fn: () => Promise<void>): Promise<boolean> {
  const lock = join(gitdir, 'ohw-maintenance.lock');
  const take = () => fsp.open(lock, 'wx').then((fh) => fh.close().then(() => true), (e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') return false;
    throw e;
  });
  if (!(await take())) {
    const st = await fsp.stat(lock).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs < MAINTENANCE_LOCK_STALE_MS) return false;
    await fsp.rm(lock, { force: true });
    if (!(await take())) return false;
  }
  try {
    await fn();
    return true;
  } finally {
    await fsp.rm(lock, { force: true });
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
