/**
 * Package archives (tar.gz) in memory: a deterministic writer and a reader for untrusted uploads.
 *
 * Reader safety: the gzip stream is inflated lazily (pulled chunk by chunk, with backpressure) and
 * counted as it goes, so a gzip bomb is stopped as soon as it passes the cap, holding only a few
 * chunks in memory. Every tar header is checked before its data is read (type, path, duplicates,
 * collisions, count, declared size), so hostile entries are refused without buffering them.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract as tarExtract, pack as tarPack, type Extract } from 'tar-stream';
import { OhwError, isOhwError } from './errors.ts';
import {
  DEFAULT_LIMITS,
  NO_SIZE_LIMITS,
  PackageChecker,
  comparePaths,
  formatBytes,
  type PackageFile,
  type PackageLimits,
} from './package-rules.ts';

/** One entry stream of tar-stream's extractor (its type is not exported). */
type Entry = Extract extends AsyncIterable<infer S> ? S : never;

/** mtime of every entry of a written archive: 2000-01-01T00:00:00Z (not 0, which some tools flag). */
export const ARCHIVE_MTIME = new Date(Date.UTC(2000, 0, 1));

/**
 * Deterministic tar.gz: entries sorted by path (UTF-8 byte order), regular files only (no directory
 * entries), mtime {@link ARCHIVE_MTIME}, uid/gid 0, no user/group names, mode 0644 (0755 when
 * executable), gzip level 9 with a zero header mtime and OS byte 3. Same files (in any order) →
 * same bytes (with the same zlib). Paths are checked (path rules, duplicates, collisions) so that
 * what is written can be read back by {@link readArchive}; sizes are not limited here.
 */
export async function writeArchive(files: PackageFile[]): Promise<Buffer> {
  const checker = new PackageChecker(NO_SIZE_LIMITS, 'package');
  for (const f of files) checker.add(f.path, f.data.byteLength);
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));

  // tar → gzip (zlib on the thread pool) → chunks, streamed: no full uncompressed copy is kept.
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const piped = pipeline(pack as AsyncIterable<Buffer>, createGzip({ level: 9 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  piped.catch(() => undefined); // awaited below; entries may fail first
  for (const f of sorted) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        {
          name: f.path,
          type: 'file',
          size: f.data.byteLength,
          mode: f.executable ? 0o755 : 0o644,
          mtime: ARCHIVE_MTIME,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
        },
        Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  pack.finalize();
  await piped;
  const gz = Buffer.concat(chunks);
  // The gzip header's OS byte is platform-dependent in zlib; pin it to Unix (3) for identical bytes.
  gz[9] = 3;
  return gz;
}

/** Slack for tar's own bytes (512-byte headers, padding, pax/long-name records, end blocks). */
function tarOverhead(limits: PackageLimits): number {
  // per entry ≤ header 512 + padding 511 + one long-name/pax record (header 512 + ~1.5 KiB);
  // files and directory entries are each bounded by maxFiles; plus end-of-archive blocks and slack.
  return 2 * limits.maxFiles * 3072 + 1024 * 1024;
}

/**
 * Safely reads an uploaded tar.gz into files, sorted by path (UTF-8 byte order), `data` as Buffers,
 * `executable: true` when any execute bit was set. A single leading `./` is stripped; directory
 * entries are ignored (their paths are still checked). `design.yaml` must be at the root.
 *
 * Refuses with OhwError:
 * - `TOO_LARGE`: compressed input over `maxCompressedBytes`; inflating past `maxUncompressedBytes`
 *   (plus tar's own overhead) — stopped at once; file data over `maxUncompressedBytes` in total;
 *   a file over `maxFileBytes` (by its header, before reading it); more than `maxFiles` files.
 * - `INVALID_ARCHIVE`: symbolic/hard links, devices, FIFOs and any other non-file, non-directory
 *   entry; bad paths ({@link checkPackagePath}); duplicates; case-insensitive collisions; a name
 *   both file and directory; no root `design.yaml`; truncated or corrupt gzip or tar
 *   ("archive is truncated or corrupt").
 */
export async function readArchive(gz: Uint8Array, limits: PackageLimits = DEFAULT_LIMITS): Promise<PackageFile[]> {
  if (gz.byteLength > limits.maxCompressedBytes) {
    throw new OhwError('TOO_LARGE', `archive is larger than ${formatBytes(limits.maxCompressedBytes)} compressed (limit maxCompressedBytes)`, {
      details: { limit: 'maxCompressedBytes' },
    });
  }
  const checker = new PackageChecker(limits, 'archive');
  const extract = tarExtract();
  const feeding = feed(gz, extract, limits.maxUncompressedBytes + tarOverhead(limits), checker);
  // A failure of the feeder is also delivered to the loop below (it destroys `extract`); keep the
  // promise handled until we look at it.
  feeding.catch(() => undefined);

  const files: PackageFile[] = [];
  let failure: unknown;
  try {
    for await (const entry of extract) {
      const file = await readEntry(entry, checker);
      if (file) files.push(file);
    }
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined && !extract.destroyed) extract.destroy();
  const feedFailure = await feeding.then(
    () => undefined,
    (err: unknown) => err,
  );

  const err = [failure, feedFailure].find(isOhwError) ?? failure ?? feedFailure;
  if (err !== undefined) {
    if (isOhwError(err)) throw err;
    throw new OhwError('INVALID_ARCHIVE', 'archive is truncated or corrupt', {
      details: { reason: err instanceof Error ? err.message : String(err) },
    });
  }
  checker.finish();
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

/** Inflates `gz` into `extract` lazily, counting bytes; destroys `extract` on any failure. */
async function feed(gz: Uint8Array, extract: Extract, cap: number, checker: PackageChecker): Promise<void> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  gunzip.end(Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength));
  let inflated = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.byteLength;
      if (inflated > cap) throw checker.tooLargeInTotal();
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drained(extract);
      if (extract.destroyed) return;
    }
    extract.end(null);
  } catch (err) {
    // leaving the for-await destroys gunzip: nothing more is inflated
    if (!extract.destroyed) extract.destroy(err as Error);
    throw err;
  }
}

function drained(stream: Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

const REFUSED_TYPES: Record<string, string> = {
  symlink: 'symbolic links are not allowed',
  link: 'hard links are not allowed',
  'character-device': 'character devices are not allowed',
  'block-device': 'block devices are not allowed',
  fifo: 'FIFOs (named pipes) are not allowed',
};

/** Checks one entry's header, then reads its data (files) or skips it (directories). */
async function readEntry(entry: Entry, checker: PackageChecker): Promise<PackageFile | undefined> {
  const h = entry.header;
  let path = h.name;
  if (path.startsWith('./')) path = path.slice(2);
  const type = h.type ?? null;

  if (type === 'directory') {
    const dir = path.replace(/\/$/, '');
    if (dir !== '') checker.addDirectory(dir);
    entry.resume();
    return undefined;
  }
  if (type !== 'file' && type !== 'contiguous-file') {
    const reason = (type !== null ? REFUSED_TYPES[type] : undefined) ?? `unsupported tar entry type${type ? ` "${type}"` : ''}`;
    throw checker.refuse(path, reason);
  }

  const size = h.size ?? 0;
  checker.add(path, size);
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    read += chunk.byteLength;
    if (read > size) throw checker.refuse(path, 'has more data than its header says');
    chunks.push(chunk);
  }
  if (read !== size) throw new OhwError('INVALID_ARCHIVE', 'archive is truncated or corrupt', { details: { path } });
  const file: PackageFile = { path, data: Buffer.concat(chunks, size) };
  if (((h.mode ?? 0) & 0o111) !== 0) file.executable = true;
  return file;
}
