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
import { execFile } from 'node:child_process';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Every ref's value and, for annotated tags, the object it peels to — what upload-pack advertises
 * (`refs/tags/v1.0.0` and `refs/tags/v1.0.0^{}`): the objects a client may want.
 */
export async function refTips(gitdir: string): Promise<Set<string>> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('git', ['for-each-ref', '--format=%(objectname) %(*objectname)'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_DIR: gitdir },
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  return new Set(out.split(/\s+/).filter((s) => /^[0-9a-f]{40}$/.test(s)));
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
