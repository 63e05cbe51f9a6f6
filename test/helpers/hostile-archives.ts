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

/** A ustar header written by hand, so a bomb can be streamed without buffering its content. */
function ustarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (off: number, len: number, value: string) => h.write(value.padEnd(len, '\0').slice(0, len), off, 'latin1');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(0, 100, name);
  put(100, 8, octal(0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(0, 12));
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
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
