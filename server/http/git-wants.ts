/**
 * Which objects a clone or fetch over the bridge may ask for: exactly the objects refs point at.
 *
 * Why here and not in git's config: `uploadpack.allowAnySHA1InWant=false` (and its Tip/Reachable
 * siblings) is enforced by upload-pack in protocol v0 only; in protocol v2 (git's default since
 * 2.26) upload-pack hands out any object the repository holds when it is named by hash — an
 * unreachable leftover included. So the bridge reads the request as it streams to the child (the
 * pkt-lines of the negotiation), and stops at the first `want` that is not a ref tip, before that
 * line reaches git. `git clone` and `git fetch` of refs only ever want tips.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { atomicFs } from '../store/git/fs.ts';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Every ref's value and, for annotated tags, the object it peels to — what upload-pack advertises
 * (`refs/tags/v1.0.0` and `refs/tags/v1.0.0^{}`): the objects a client may want. Read in process
 * (loose refs, packed-refs with its peeled lines, tag objects through isomorphic-git): a child
 * process per fetch costs more than the rest of the check. `peeled` remembers what a tag object
 * points at (tag objects never change), per router.
 */
export async function refTips(gitdir: string, peeled: Map<string, string | null>): Promise<Set<string>> {
  const tips = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(entries.map(async (e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      if (!e.isFile() || e.name.endsWith('.lock')) return;
      const value = (await fsp.readFile(p, 'utf8').catch(() => '')).trim();
      if (/^[0-9a-f]{40}$/.test(value)) tips.add(value);
    }));
  };
  await walk(join(gitdir, 'refs'));
  const packed = await fsp.readFile(join(gitdir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const m = /^\^?([0-9a-f]{40})(?: refs\/|$)/.exec(line);
    if (m) tips.add(m[1]!);
  }
  const cache = {};
  for (const oid of [...tips]) {
    let target = peeled.get(oid);
    if (target === undefined) {
      target = await git.readTag({ fs: atomicFs, gitdir, oid, cache }).then((t) => t.tag.object, () => null);
      if (peeled.size > 100_000) peeled.clear();
      peeled.set(oid, target);
    }
    if (target) tips.add(target);
  }
  return tips;
}

/**
 * Passes the pkt-line stream through unchanged, whole packets only, and calls `refuse(oid)` (and
 * passes nothing further) at the first `want <oid>` not in `tips`. Malformed framing is passed
 * on for git to reject.
 */
export class WantFilter extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private stopped = false;

  constructor(private readonly tips: Set<string>, private readonly refuse: (oid: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let at = 0;
    while (this.pending.length - at >= 4) {
      const len = Number.parseInt(this.pending.toString('latin1', at, at + 4), 16);
      if (!Number.isInteger(len) || (len > 0 && len < 4)) {
        // Not pkt-line framing (or a special packet 0001/0002/0003 handled below): let git judge.
        if (len >= 0 && len <= 3) { at += 4; continue; }
        this.push(this.pending.subarray(at));
        this.pending = Buffer.alloc(0);
        return done();
      }
      if (len === 0) { at += 4; continue; }
      if (this.pending.length - at < len) break;
      const line = this.pending.toString('latin1', at + 4, at + len);
      const want = /^want ([0-9a-f]{40})(?:[ \n]|$)/.exec(line);
      if (want && !this.tips.has(want[1]!)) {
        this.push(this.pending.subarray(0, at));
        this.stopped = true;
        this.pending = Buffer.alloc(0);
        this.refuse(want[1]!);
        return done();
      }
      at += len;
    }
    if (at > 0) this.push(this.pending.subarray(0, at));
    this.pending = this.pending.subarray(at);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.stopped && this.pending.length) this.push(this.pending);
    done();
  }
}
