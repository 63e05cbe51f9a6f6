import zlib from 'node:zlib';
import * as tarStream from 'tar-stream';

export interface RawEntry {
  name: string;
  type?: 'file' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo' | 'directory';
  data?: string | Buffer;
  linkname?: string;
}

/** A tar.gz built entry by entry, bypassing every check of our own writer. */
export async function rawArchive(entries: RawEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => { pack.on('end', resolve); pack.on('error', reject); });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header: Partial<tarStream.Header> & { name: string } = { name: e.name, type, mode: 0o644, mtime: new Date(0) };
    if (e.linkname) header.linkname = e.linkname;
    await new Promise<void>((resolve, reject) => {
      if (type === 'file') pack.entry(header, e.data ?? '', (err) => (err ? reject(err) : resolve()));
      else { pack.entry(header, (err) => (err ? reject(err) : resolve())); }
    });
  }
  pack.finalize();
  await done;
  return zlib.gzipSync(Buffer.concat(chunks));
}

export interface HeaderOptions {
  /** Typeflag character: '0' file, '5' directory, '7' contiguous, 'x' PAX, 'g' PAX global, 'L' GNU long name… */
  type?: string;
  /** ustar prefix field (joined to the name with '/' by POSIX readers). */
  prefix?: string;
  mode?: number;
}

/** A ustar header written by hand, so that anything a hostile client could send can be built. */
export function ustarHeader(name: string | Buffer, size: number, opts: HeaderOptions = {}): Buffer {
  const h = Buffer.alloc(512);
  const put = (off: number, len: number, value: string) => h.write(value.padEnd(len, '\0').slice(0, len), off, 'latin1');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  if (typeof name === 'string') h.write(name.slice(0, 100), 0, 'utf8');
  else name.copy(h, 0, 0, Math.min(100, name.length));
  put(100, 8, octal(opts.mode ?? 0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(0, 12));
  put(148, 8, '        ');
  put(156, 1, opts.type ?? '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  if (opts.prefix) h.write(opts.prefix, 345, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

const pad = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

/** One tar entry: header plus padded data. */
export function tarEntry(name: string | Buffer, data: string | Buffer = '', opts: HeaderOptions = {}): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([ustarHeader(name, bytes.length, opts), pad(bytes)]);
}

/** A PAX extended header (`x`, or `g` for global) with these records, e.g. {path: 'a', size: '10'}. */
export function paxHeader(records: Record<string, string>, type: 'x' | 'g' = 'x'): Buffer {
  const body = Object.entries(records).map(([k, v]) => {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    return `${len}${rest}`;
  }).join('');
  return tarEntry('PaxHeader', body, { type });
}

/** The end-of-archive marker: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(1024);

/** Joins raw tar parts and gzips them. */
export const gzipTar = (...parts: Buffer[]): Buffer => zlib.gzipSync(Buffer.concat(parts));

/**
 * `count` files of `each` zero bytes, as a multi-member gzip (one compressed block reused for
 * every file), so that gigabytes expand from a few hundred KB in milliseconds. Each file is under
 * the per-file limit; together they are far over the total.
 */
export function gzipBombOfFiles(count: number, each: number, names = (i: number) => `part-${i}.bin`): Buffer {
  const zeros = zlib.gzipSync(Buffer.alloc(each), { level: 9 });
  const padding = zlib.gzipSync(Buffer.alloc((512 - (each % 512)) % 512));
  const members: Buffer[] = [];
  for (let i = 0; i < count; i++) members.push(zlib.gzipSync(ustarHeader(names(i), each)), zeros, padding);
  members.push(zlib.gzipSync(END_OF_ARCHIVE));
  return Buffer.concat(members);
}

/** Small compressed, huge expanded: one entry of `size` zero bytes, streamed through gzip. */
export async function gzipBomb(size: number): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve) => gzip.on('end', resolve));
  const write = (b: Buffer) => new Promise<void>((resolve) => (gzip.write(b) ? resolve() : gzip.once('drain', resolve)));
  await write(ustarHeader('design.yaml', size));
  const zero = Buffer.alloc(1024 * 1024);
  for (let sent = 0; sent < size; sent += zero.length) await write(zero.subarray(0, Math.min(zero.length, size - sent)));
  await write(Buffer.alloc(1024 + ((512 - (size % 512)) % 512)));
  gzip.end();
  await ended;
  return Buffer.concat(out);
}
