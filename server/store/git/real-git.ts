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

function gitAt(gitdir: string, stdin?: string): SimpleGit {
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
    config: ['core.filesRefLockTimeout=5000', 'gc.autoDetach=false'],
    allowEnvironment: ['GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_TERMINAL_PROMPT', 'GIT_DIR'],
    // The only "config paths" given are GIT_DIR (our own repo) and GIT_CONFIG_GLOBAL=/dev/null.
    unsafe: { allowUnsafeConfigPaths: true },
    ...(stdin === undefined ? {} : { input: () => stdin }),
  }).env(env);
}

/** Run `git <args>` with `gitdir` as the repository (GIT_DIR; cwd = the repo). */
export async function runGit(gitdir: string, args: string[], stdin?: string): Promise<string> {
  return gitAt(gitdir, stdin).raw(args);
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
export async function casRef(gitdir: string, ref: string, newOid: string, expected: string | undefined, message: string): Promise<CasResult> {
  if (!/^refs\/[A-Za-z0-9._+\/-]+$/.test(ref) || !/^[0-9a-f]{40}$/.test(newOid) || (expected !== undefined && !/^[0-9a-f]{40}$/.test(expected))) {
    throw new Error(`casRef: refusing ref "${ref}" / oids`);
  }
  try {
    const out = await runGit(gitdir, ['update-ref', '-m', message, '--stdin'], `start\nupdate ${ref} ${newOid} ${expected ?? ZERO_OID}\nprepare\ncommit\n`);
    if (!out.includes('commit: ok')) throw new Error(`unexpected update-ref output: ${out.trim()}`);
    return { ok: true };
  } catch (e) {
    const reason = e instanceof Error ? e.message.trim() : String(e);
    return { ok: false, current: await readRef(gitdir, ref), reason };
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
