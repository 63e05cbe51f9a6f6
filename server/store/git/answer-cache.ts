/**
 * Answers computed from a repo's refs (its versions, its state), kept while a stamp of the ref
 * file(s) they come from is unchanged. Refs are loose (gc.packRefs=false) and every update renames
 * a file into place, so one stat tells whether anything changed, even when another process wrote.
 * Reads are the hot path of the API; without this each one re-walks tags and objects on disk.
 */
import { promises as fsp } from 'node:fs';

/** How old a ref's change time must be before a cached answer keyed on it is trusted. */
const RACY_MARGIN_MS = 1000;
const MAX_ENTRIES = 20_000;

export class AnswerCache {
  private readonly answers = new Map<string, { stamp: string; value: Promise<unknown>; own?: boolean }>();

  /** The cached answer while the stamp of `watched` is unchanged; recomputed otherwise. */
  async get<T>(key: string, watched: string, compute: () => Promise<T>): Promise<T> {
    const st = await fsp.stat(watched, { bigint: true }).catch(() => undefined);
    const stamp = stampOf(st);
    const hit = this.answers.get(key);
    // An answer this process wrote itself (see `prime`) holds while the stamp it saw holds.
    if (hit?.own && hit.stamp === stamp) return hit.value as Promise<T>;
    // File times move in coarse ticks: a second update within one tick would keep the stamp.
    // Like git's "racy" index entries, a stamp younger than the margin is not trusted.
    const racy = st !== undefined && Date.now() - Number(st.ctimeNs / 1_000_000n) < RACY_MARGIN_MS;
    if (racy) {
      this.answers.delete(key);
      return compute();
    }
    if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
    const value = compute();
    this.answers.set(key, { stamp, value });
    value.catch(() => this.answers.delete(key));
    if (this.answers.size > MAX_ENTRIES) this.answers.clear();
    return value;
  }

  /**
   * Record the answer a writer knows because it has just made the change itself (inside the
   * repo's writer queue, after its ref moved): the next reads need not recompute it, even while
   * the stamp is "racy". Trusted because one process writes a data dir (server.lock); a change by
   * another process still changes the stamp — a renamed ref file always gets a new inode, and a
   * new tag changes the tags folder's time.
   */
  async prime<T>(key: string, watched: string, value: T): Promise<void> {
    const st = await fsp.stat(watched, { bigint: true }).catch(() => undefined);
    this.answers.set(key, { stamp: stampOf(st), value: Promise.resolve(value), own: true });
    if (this.answers.size > MAX_ENTRIES) this.answers.clear();
  }

  forget(prefix: string): void {
    for (const k of this.answers.keys()) if (k.startsWith(prefix)) this.answers.delete(k);
  }
}

function stampOf(st: { ino: bigint; mtimeNs: bigint; ctimeNs: bigint; size: bigint } | undefined): string {
  return st ? `${st.ino}:${st.mtimeNs}:${st.ctimeNs}:${st.size}` : 'none';
}
