/**
 * Temporary files a crash or a killed request can leave in the git storage, removed at start
 * (the data-dir lock guarantees no other writer is at work then):
 *
 *   designs/<owner>/.tmp-<name>.git-*      a design being created (createRepoAtomically)
 *   <repo>/objects/pack/tmp_pack_*, tmp_idx_*, .tmp-*   a pack being written (pack-writer.ts, git)
 *   <repo>/objects/xx/*.tmp-*               a loose object being written (fs.ts, older versions)
 *   <repo>/refs/**.lock, packed-refs.lock   a ref update in flight: a stale lock would block
 *                                           that ref (a version number!) forever
 *   <repo>/ohw-maintenance.lock             a repack in flight (repo.ts): it would hold off
 *                                           maintenance of that repo for ten minutes
 *
 * Writes in this process clean up after themselves (pack-writer.ts removes its temp files on
 * failure and its pack after a lost race), so this is only for what a crash left.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { designsDir, indexRepoPath } from './paths.ts';
import { listRepositories } from './integrity.ts';

export interface SweepOptions {
  /**
   * Only these designs' repositories (and index.git, and half-created repos): the designs whose
   * writes a crash may have interrupted — every writer marks a design pending before it writes.
   * Keeps the start-up independent of the number of designs.
   */
  only?: readonly string[];
  /**
   * Remove only what is older than this time (ms): a sweep running beside this process's own
   * writes (after listen) then never touches a lock or temporary file that one of them made.
   */
  olderThan?: number;
}

export async function sweepTemporaries(dataDir: string, opts: SweepOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  const rm = async (p: string, label: string) => {
    if (opts.olderThan !== undefined) {
      const st = await fsp.lstat(p).catch(() => undefined);
      if (!st || st.mtimeMs >= opts.olderThan) return;
    }
    await fsp.rm(p, { recursive: true, force: true });
    removed.push(label);
  };
  const root = designsDir(dataDir);
  const only = opts.only && new Set(opts.only);
  const owners = only ? [...new Set([...only].map((pkg) => pkg.split('/')[0]!))] : await fsp.readdir(root).catch(() => [] as string[]);
  for (const owner of owners) {
    for (const e of await fsp.readdir(join(root, owner)).catch(() => [] as string[])) {
      if (e.startsWith('.tmp-')) await rm(join(root, owner, e), `designs/${owner}/${e}`);
    }
  }
  for (const e of await fsp.readdir(dataDir).catch(() => [] as string[])) {
    if (e.startsWith('.tmp-index.git')) await rm(join(dataDir, e), e);
  }
  const repos = only
    ? [{ label: 'index.git', gitdir: indexRepoPath(dataDir) }, ...[...only].map((pkg) => ({ label: pkg, gitdir: join(root, `${pkg}.git`) }))]
    : await listRepositories(dataDir);
  for (const { label, gitdir } of repos) {
    const packDir = join(gitdir, 'objects', 'pack');
    for (const f of await fsp.readdir(packDir).catch(() => [] as string[])) {
      if (f.startsWith('tmp_') || f.startsWith('.tmp-')) await rm(join(packDir, f), `${label}: objects/pack/${f}`);
    }
    for (const d of await fsp.readdir(join(gitdir, 'objects')).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const f of await fsp.readdir(join(gitdir, 'objects', d)).catch(() => [] as string[])) {
        if (f.includes('.tmp-') || f.startsWith('tmp_obj_')) await rm(join(gitdir, 'objects', d, f), `${label}: objects/${d}/${f}`);
      }
    }
    for (const lock of ['packed-refs.lock', 'ohw-maintenance.lock']) {
      if (await fsp.stat(join(gitdir, lock)).catch(() => undefined)) await rm(join(gitdir, lock), `${label}: ${lock}`);
    }
    await sweepLocks(join(gitdir, 'refs'), 'refs', label, rm);
  }
  return removed;
}

async function sweepLocks(dir: string, rel: string, label: string, rm: (p: string, label: string) => Promise<void>): Promise<void> {
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) await sweepLocks(join(dir, e.name), `${rel}/${e.name}`, label, rm);
    else if (e.name.endsWith('.lock')) await rm(join(dir, e.name), `${label}: ${rel}/${e.name}`);
  }
}
