/**
 * The few things done with the real `git` binary (through simple-git), because only git's own ref
 * backend gives an atomic compare-and-swap across processes: `update-ref <ref> <new> <old>`
 * takes `<ref>.lock` with O_EXCL, compares, renames. Also `gc --auto` and `fetch` (fork).
 *
 * The child gets a predictable environment: only PATH/HOME/TMPDIR from the ambient one,
 * no global or system config (GIT_CONFIG_GLOBAL=/dev/null, GIT_CONFIG_NOSYSTEM=1), and ref lock
 * waits of up to 5 s, so contention between writers is resolved by git rather than failing fast.
 */
import { simpleGit, type SimpleGit } from 'simple-git';

export const ZERO_OID = '0000000000000000000000000000000000000000';

/** Per-call options: `fsync` flushes what git writes (objects, packs, refs) before it reports success. */
export interface GitRunOptions {
  fsync?: boolean;
}

function gitAt(gitdir: string, stdin?: string, opts: GitRunOptions = {}): SimpleGit {
  // A minimal environment: nothing ambient (GIT_*, EDITOR, pagers …) reaches git.
  const env: Record<string, string> = { LC_ALL: 'C' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  env.GIT_TERMINAL_PROMPT = '0';
  // Explicit, so a damaged repo can never make git walk up into an enclosing repository.
  env.GIT_DIR = gitdir;
  return simpleGit({
    baseDir: gitdir,
    config: [
      'core.filesRefLockTimeout=5000',
      'gc.autoDetach=false',
      ...(opts.fsync === undefined ? [] : opts.fsync ? ['core.fsync=all', 'core.fsyncMethod=fsync'] : ['core.fsync=none']),
    ],
    allowEnvironment: ['GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_TERMINAL_PROMPT', 'GIT_DIR'],
    // The only "config paths" given are GIT_DIR (our own repo) and GIT_CONFIG_GLOBAL=/dev/null.
    unsafe: { allowUnsafeConfigPaths: true },
    ...(stdin === undefined ? {} : { input: () => stdin }),
  }).env(env);
}

/** Run `git <args>` with `gitdir` as the repository (GIT_DIR; cwd = the repo). */
export async function runGit(gitdir: string, args: string[], stdin?: string, opts: GitRunOptions = {}): Promise<string> {
  try {
    return await gitAt(gitdir, stdin, opts).raw(args);
  } catch (e) {
    throw withStorageCode(e);
  }
}

/**
 * git reports a full disk or a read-only file system only in words; give the error the errno code
 * (ENOSPC / EROFS / EDQUOT) so the one storage mapping (store/sql/errors.ts) turns it into 507.
 */
export function withStorageCode(e: unknown): unknown {
  const text = e instanceof Error ? e.message : String(e);
  const code = /No space left on device/i.test(text) ? 'ENOSPC' : /Read-only file system/i.test(text) ? 'EROFS' : /Disk quota exceeded/i.test(text) ? 'EDQUOT' : undefined;
  if (code && e instanceof Error && (e as NodeJS.ErrnoException).code === undefined) (e as NodeJS.ErrnoException).code = code;
  return e;
}

/** Current value of a ref as real git sees it (loose or packed), or undefined. */
export async function readRef(gitdir: string, ref: string): Promise<string | undefined> {
  try {
    const out = (await runGit(gitdir, ['rev-parse', '--verify', '--quiet', ref])).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

export type CasResult = { ok: true } | { ok: false; current: string | undefined; reason: string };

/** One ref change of a transaction; `expected` undefined = whatever it is now, ZERO_OID = must not exist. */
export interface RefUpdate {
  ref: string;
  newOid: string;
  expected?: string;
}

/**
 * Compare-and-swap of one ref: `update <ref> <newOid> <expectedOid>` in a `git update-ref --stdin`
 * transaction (start / update / prepare / commit); expected = ZERO_OID means "must not exist".
 * Never throws for a lost race — returns the ref's current value instead, so callers decide
 * (VERSION_EXISTS, or re-read and retry).
 *
 * Why the transaction form rather than `update-ref <ref> <new> <old>`: same semantics, but it
 * prints "…: ok" lines, and simple-git adds a fixed 50 ms wait to any command that prints nothing
 * (measured: 55 ms → 5 ms per CAS).
 */
export async function casRef(gitdir: string, ref: string, newOid: string, expected: string | undefined, message: string, opts: GitRunOptions = {}): Promise<CasResult> {
  const result = await updateRefs(gitdir, [{ ref, newOid, expected: expected ?? ZERO_OID }], message, opts);
  return result.ok ? result : { ...result, current: await readRef(gitdir, ref) };
}

/**
 * Several ref changes as one `git update-ref --stdin` transaction: all or none. Lost races come
 * back as `{ ok: false }`; a full disk or read-only file system is thrown (ENOSPC / EROFS).
 */
export async function updateRefs(gitdir: string, updates: RefUpdate[], message: string, opts: GitRunOptions = {}): Promise<{ ok: true } | { ok: false; current: undefined; reason: string }> {
  for (const u of updates) {
    if (!/^refs\/[A-Za-z0-9._+\/-]+$/.test(u.ref) || !/^[0-9a-f]{40}$/.test(u.newOid) || (u.expected !== undefined && !/^[0-9a-f]{40}$/.test(u.expected))) {
      throw new Error(`updateRefs: refusing ref "${u.ref}" / oids`);
    }
  }
  const lines = updates.map((u) => `update ${u.ref} ${u.newOid}${u.expected === undefined ? '' : ` ${u.expected}`}\n`).join('');
  try {
    const out = await runGit(gitdir, ['update-ref', '-m', message, '--stdin'], `start\n${lines}prepare\ncommit\n`, opts);
    if (!out.includes('commit: ok')) throw new Error(`unexpected update-ref output: ${out.trim()}`);
    return { ok: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw e;
    return { ok: false, current: undefined, reason: e instanceof Error ? e.message.trim() : String(e) };
  }
}

/**
 * `git gc --auto` (in the foreground): packs loose objects once there are enough of them;
 * `full` = plain `git gc`. Unreachable objects younger than gc.pruneExpire (2 weeks) are kept, so
 * objects of a write in flight in another process are never pruned from under it.
 */
export async function gcAuto(gitdir: string, full = false): Promise<void> {
  await runGit(gitdir, full ? ['gc', '--quiet'] : ['gc', '--auto', '--quiet']);
}

/**
 * Geometric repack: small packs (and loose objects) are rolled into larger ones so that pack
 * sizes grow geometrically — the work of each run is proportional to what is new, not to the
 * repo — and a multi-pack index with a reachability bitmap lets `upload-pack` answer a clone
 * without walking history. Objects are never dropped here (unreachable ones never get in: see
 * writeObjectsAndRefs); inside this process it runs in the repo's writer queue.
 */
export async function repackGeometric(gitdir: string, opts: GitRunOptions & { loose?: boolean } = {}): Promise<void> {
  // A geometric roll-up may find the packs already in progression and leave loose objects be.
  if (opts.loose) await runGit(gitdir, ['repack', '-d', '-q'], undefined, opts);
  await runGit(gitdir, ['repack', '-d', '-q', '--geometric=2', '--write-midx', '--write-bitmap-index'], undefined, opts);
}

/**
 * Everything into one pack with a reachability bitmap (`git repack -a -d -b`): a clone then
 * reuses the pack as it is. `-k` keeps unreachable objects (appended to the pack): another
 * process may have written its pack and not yet moved its ref, and those objects must survive.
 * Deltas and compressed data already in packs are reused, so after the first time this costs
 * about what the new objects cost.
 */
export async function repackAll(gitdir: string, opts: GitRunOptions = {}): Promise<void> {
  // git also removes a multi-pack index (and its bitmap) left by an earlier geometric roll-up.
  await runGit(gitdir, ['repack', '-a', '-d', '-k', '-b', '-q'], undefined, opts);
}
