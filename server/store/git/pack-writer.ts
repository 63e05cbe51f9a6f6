/**
 * Writes a set of objects as ONE git pack (`objects/pack/pack-<sha>.pack` + `.idx`, version 2),
 * in process: no loose objects (hundreds of files and fsyncs per publish before), no git child.
 * Objects are deflated on the thread pool in parallel; each is hashed once (object-format.ts).
 *
 * Crash safety: both files are written under git's temporary names (`tmp_pack_*`, `tmp_idx_*`,
 * which git and our start-up sweep remove), flushed when `fsync` is on, then renamed into place,
 * the pack before its index — git only sees a pack once its `.idx` exists — and the folder is
 * flushed. A crash leaves either nothing visible or a complete pack. The objects stay invisible
 * to clients until a ref points at them; a writer that loses its compare-and-swap deletes its pack
 * again (`discard`), so unreachable objects do not accumulate.
 */
import { promises as fsp } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { constants as zc, crc32, deflate, deflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import { encodeCommit, encodeTag, encodeTree, gitObject, type GitObject, type ObjectType, type TreeEntry } from './object-format.ts';
import type { GitIdentity } from './objects.ts';

const deflateAsync = promisify(deflate);
const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** Where tree builders put objects: encoded and hashed now, written later in one pack. */
export interface ObjectSink {
  blob(data: Uint8Array): string;
  tree(entries: TreeEntry[]): string;
}

export interface WrittenPack {
  pack: string;
  idx: string;
  objects: number;
}

export class PackBuilder implements ObjectSink {
  private readonly objects = new Map<string, GitObject>();

  get size(): number {
    return this.objects.size;
  }

  add(obj: GitObject): string {
    if (!this.objects.has(obj.oid)) this.objects.set(obj.oid, obj);
    return obj.oid;
  }

  blob(data: Uint8Array): string {
    return this.add(gitObject('blob', Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  }

  tree(entries: TreeEntry[]): string {
    return this.add(gitObject('tree', encodeTree(entries)));
  }

  commit(c: { tree: string; parent: string[]; author: GitIdentity; committer: GitIdentity; message: string }): string {
    return this.add(gitObject('commit', encodeCommit(c)));
  }

  tag(t: { object: string; type: ObjectType; tag: string; tagger: GitIdentity; message: string }): string {
    return this.add(gitObject('tag', encodeTag(t)));
  }

  /** Write every added object as one pack into `gitdir`; undefined when there is nothing to write. */
  async write(gitdir: string, opts: { fsync: boolean }): Promise<WrittenPack | undefined> {
    const objects = [...this.objects.values()];
    if (objects.length === 0) return undefined;
    const deflated = await deflateAll(objects);
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    const parts: Buffer[] = [header];
    const entries: Array<{ oid: Buffer; offset: number; crc: number }> = [];
    let offset = header.length;
    for (const [i, o] of objects.entries()) {
      const head = entryHeader(TYPE_CODE[o.type], o.content.length);
      const body = deflated[i]!;
      entries.push({ oid: Buffer.from(o.oid, 'hex'), offset, crc: crc32(body, crc32(head)) });
      parts.push(head, body);
      offset += head.length + body.length;
    }
    const packHash = createHash('sha1');
    for (const p of parts) packHash.update(p);
    const trailer = packHash.digest();
    parts.push(trailer);
    const name = trailer.toString('hex');
    const dir = join(gitdir, 'objects', 'pack');
    await fsp.mkdir(dir, { recursive: true });
    const pack = join(dir, `pack-${name}.pack`);
    const idx = join(dir, `pack-${name}.idx`);
    const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
    // Both written (and flushed) side by side; renamed pack first, so git never sees an index
    // without its pack.
    const tmpPack = join(dir, `tmp_pack_${tag}`);
    const tmpIdx = join(dir, `tmp_idx_${tag}`);
    const written = await Promise.allSettled([writeFlushed(tmpPack, parts, opts.fsync), writeFlushed(tmpIdx, [packIndex(entries, trailer)], opts.fsync)]);
    try {
      for (const w of written) if (w.status === 'rejected') throw w.reason;
      await fsp.rename(tmpPack, pack);
      await fsp.rename(tmpIdx, idx);
    } catch (e) {
      await Promise.all([fsp.rm(tmpPack, { force: true }), fsp.rm(tmpIdx, { force: true })]);
      throw e;
    }
    if (opts.fsync) await syncDir(dir);
    return { pack, idx, objects: objects.length };
  }
}

/** Objects up to this size are deflated on the main thread (see deflateAll). */
const DEFLATE_INLINE_MAX = 256 * 1024;
/** Main-thread deflate work between two yields to the event loop. */
const DEFLATE_SLICE_MS = 8;

/**
 * Every object's deflated bytes. The thread pool costs more than it saves for small objects
 * (measured on the 30-file benchmark design: 6.8 ms through the pool, 1.7 ms inline), so objects
 * up to DEFLATE_INLINE_MAX are deflated inline, yielding to the event loop every DEFLATE_SLICE_MS
 * so a design of thousands of files does not stall other requests; larger ones go to the pool.
 */
async function deflateAll(objects: GitObject[]): Promise<Buffer[]> {
  const out = new Array<Buffer>(objects.length);
  const pooled: Array<Promise<void>> = [];
  let slice = performance.now();
  for (const [i, o] of objects.entries()) {
    const level = levelFor(o.content);
    if (o.content.length > DEFLATE_INLINE_MAX) {
      pooled.push(deflateAsync(o.content, { level }).then((b) => void (out[i] = b)));
      continue;
    }
    out[i] = deflateSync(o.content, { level });
    if (performance.now() - slice > DEFLATE_SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
  }
  await Promise.all(pooled);
  return out;
}

/**
 * Compression level for one object. Deflate was most of a publish's time (2 MB at level 6: 100-200
 * ms on this machine): level 1 instead (git's own choice for loose objects, core.looseCompression),
 * and level 0 (stored blocks) for data that does not shrink — photos, archives, PDFs — judged on
 * a 4 KiB sample. Clones send packed data as it is stored, so this costs no extra transfer for
 * incompressible files and a little for text.
 */
function levelFor(content: Buffer): number {
  if (content.length < 64 * 1024) return zc.Z_BEST_SPEED;
  const sample = content.subarray(0, 4 * 1024);
  return deflateSync(sample, { level: zc.Z_BEST_SPEED }).length > sample.length * 0.9 ? zc.Z_NO_COMPRESSION : zc.Z_BEST_SPEED;
}

/** Remove a pack written by `write` (its objects were never referenced). Index first: git then no longer looks at it. */
export async function discardPack(written: WrittenPack | undefined): Promise<void> {
  if (!written) return;
  await fsp.rm(written.idx, { force: true });
  await fsp.rm(written.pack, { force: true });
}

/** Type and inflated size, 4 + 7·n bits, little-endian groups, high bit = more. */
function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** Pack index version 2: fan-out, sorted ids, CRC32s, 31-bit offsets (with the large-offset table), checksums. */
function packIndex(entries: Array<{ oid: Buffer; offset: number; crc: number }>, packChecksum: Buffer): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.oid, b.oid));
  const n = sorted.length;
  const large = sorted.filter((e) => e.offset >= 0x8000_0000);
  const out = Buffer.alloc(8 + 256 * 4 + n * (20 + 4 + 4) + large.length * 8 + 40);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  let at = 8;
  const fanout = new Array<number>(256).fill(0);
  for (const e of sorted) fanout[e.oid[0]!]!++;
  let cumulative = 0;
  for (let i = 0; i < 256; i++) {
    cumulative += fanout[i]!;
    out.writeUInt32BE(cumulative, at);
    at += 4;
  }
  for (const e of sorted) at += e.oid.copy(out, at);
  for (const e of sorted) at = out.writeUInt32BE(e.crc >>> 0, at);
  let li = 0;
  for (const e of sorted) at = out.writeUInt32BE(e.offset >= 0x8000_0000 ? (0x8000_0000 | li++) >>> 0 : e.offset, at);
  for (const e of large) {
    out.writeUInt32BE(Math.floor(e.offset / 0x1_0000_0000), at);
    out.writeUInt32BE(e.offset >>> 0, at + 4);
    at += 8;
  }
  at += packChecksum.copy(out, at);
  createHash('sha1').update(out.subarray(0, at)).digest().copy(out, at);
  return out;
}

async function writeFlushed(path: string, parts: Buffer[], fsync: boolean): Promise<void> {
  const fh = await fsp.open(path, 'wx', 0o444);
  try {
    await fh.writev(parts);
    if (fsync) await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  const d = await fsp.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
