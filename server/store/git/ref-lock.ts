/**
 * Compare-and-swap of loose refs in process, with git's own lock-file protocol (refs/files
 * backend): `<ref>.lock` created with O_EXCL (waiting up to 5 s for another holder, as
 * core.filesRefLockTimeout=5000 does for git), the current value compared under the lock, the new
 * value written (and flushed when asked) into the lock, then renamed over the ref. Any git process
 * working on the same repo honours the same locks, so this is exactly as safe across processes as
 * `git update-ref` — and costs no child process (a fork of this server costs more than the whole
 * rest of a publish).
 *
 * All updates of one call are locked (in ref-name order, so two writers cannot deadlock) and
 * checked before any is renamed: a lost race changes nothing. The renames themselves happen one
 * after the other, as in git.
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { ZERO_OID, type RefUpdate } from './real-git.ts';
import { syncDir } from './pack-writer.ts';

const LOCK_TIMEOUT_MS = 5000;
const REF_NAME = /^refs\/(?:[A-Za-z0-9._+-]+\/)*[A-Za-z0-9._+-]+$/;

export type RefCasResult = { ok: true } | { ok: false; reason: string };

export async function casLooseRefs(gitdir: string, updates: RefUpdate[], opts: { fsync: boolean }): Promise<RefCasResult> {
  for (const u of updates) {
    if (!REF_NAME.test(u.ref) || u.ref.includes('..') || u.ref.endsWith('.lock') || !/^[0-9a-f]{40}$/.test(u.newOid) || (u.expected !== undefined && !/^[0-9a-f]{40}$/.test(u.expected))) {
      throw new Error(`casLooseRefs: refusing ref "${u.ref}" / oids`);
    }
  }
  const sorted = [...updates].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const held: Array<{ u: RefUpdate; lock: string; fh: fsp.FileHandle }> = [];
  try {
    for (const u of sorted) {
      const file = join(gitdir, u.ref);
      await fsp.mkdir(dirname(file), { recursive: true });
      const lock = `${file}.lock`;
      const fh = await acquire(lock);
      if (!fh) return { ok: false, reason: `cannot lock ref '${u.ref}': '${u.ref}.lock' exists (another writer)` };
      held.push({ u, lock, fh });
      const current = await currentValue(gitdir, u.ref);
      if (u.expected !== undefined && (current ?? ZERO_OID) !== u.expected) {
        return { ok: false, reason: `cannot lock ref '${u.ref}': is at ${current ?? ZERO_OID} but expected ${u.expected}` };
      }
      await fh.writeFile(`${u.newOid}\n`);
      if (opts.fsync) await fh.sync();
    }
    for (const h of held) await h.fh.close();
    for (const h of held.splice(0)) await fsp.rename(h.lock, join(gitdir, h.u.ref));
    if (opts.fsync) for (const d of new Set(sorted.map((u) => dirname(join(gitdir, u.ref))))) await syncDir(d);
    return { ok: true };
  } finally {
    for (const h of held) {
      await h.fh.close().catch(() => undefined);
      await fsp.rm(h.lock, { force: true });
    }
  }
}

async function acquire(lock: string): Promise<fsp.FileHandle | undefined> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 100)) {
    try {
      return await fsp.open(lock, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
        throw e;
      }
    }
    await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
  }
}

/** The ref's value: the loose file if there is one, else its line in packed-refs; undefined = absent. */
async function currentValue(gitdir: string, ref: string): Promise<string | undefined> {
  try {
    const text = (await fsp.readFile(join(gitdir, ref), 'utf8')).trim();
    if (/^[0-9a-f]{40}$/.test(text)) return text;
    throw new Error(`ref ${ref} does not hold an object id`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let packed: string;
  try {
    packed = await fsp.readFile(join(gitdir, 'packed-refs'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  for (const line of packed.split('\n')) {
    if (line.length > 41 && line[40] === ' ' && line.slice(41) === ref) return line.slice(0, 40);
  }
  return undefined;
}
