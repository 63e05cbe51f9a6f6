/**
 * Package archives (tar.gz) in memory: a deterministic writer and a reader for untrusted uploads.
 *
 * Reader safety: the gzip stream is inflated lazily (pulled chunk by chunk, with backpressure) and
 * counted as it goes, so a gzip bomb is stopped as soon as it passes the cap. A first pass keeps no
 * file data at all: it checks every tar header (type, path, duplicates, collisions, count, declared
 * size) the way GNU tar reads it, so hostile entries and bombs are refused holding only a few
 * chunks in memory; only then is the archive read into memory.
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
import { TarHeaderScanner, type TarEntryHeader } from './tar-headers.ts';

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

/** What the first pass decided each entry is; the second pass must read the same. */
interface Listed { name: string; kind: 'file' | 'directory'; size: number }

/**
 * Safely reads an uploaded tar.gz into files, sorted by path (UTF-8 byte order), `data` as Buffers,
 * `executable: true` when any execute bit was set. A single leading `./` is stripped; directory
 * entries are ignored (their paths are still checked). `design.yaml` must be at the root.
 *
 * Two passes over the inflated stream, so that memory stays bounded whatever the compression
 * ratio: the first keeps no file data — it walks the headers as GNU tar reads them
 * ({@link TarHeaderScanner}) and checks every entry, the sizes and the totals, so a gzip bomb is
 * refused having held a few 64 KiB chunks; only an archive within every limit is inflated a
 * second time, by tar-stream, into memory. The second pass must read exactly the entries the
 * first listed (name, kind, size): the registry stores the file set GNU tar would list, or
 * nothing.
 *
 * Refuses with OhwError:
 * - `TOO_LARGE`: compressed input over `maxCompressedBytes`; inflating past `maxUncompressedBytes`
 *   (plus tar's own overhead) — stopped at once; file data over `maxUncompressedBytes` in total;
 *   a file over `maxFileBytes` (by its header, before reading it); more than `maxFiles` files.
 * - `INVALID_ARCHIVE`: symbolic/hard links, devices, FIFOs, contiguous files and any other
 *   non-file, non-directory entry; entries after the end-of-archive marker; PAX sizes that
 *   disagree with the ustar header; GNU sparse files; bad paths ({@link checkPackagePath});
 *   duplicates; collisions on case-insensitive or Windows file systems; a name both file and
 *   directory; a `.gitattributes` over MAX_GITATTRIBUTES_BYTES (16 KiB); no root `design.yaml`;
 *   truncated or corrupt gzip or tar ("archive is truncated or corrupt").
 */
export async function readArchive(gz: Uint8Array, limits: PackageLimits = DEFAULT_LIMITS): Promise<PackageFile[]> {
  if (gz.byteLength > limits.maxCompressedBytes) {
    throw new OhwError('TOO_LARGE', `archive is larger than ${formatBytes(limits.maxCompressedBytes)} compressed (limit maxCompressedBytes)`, {
      details: { limit: 'maxCompressedBytes' },
    });
  }
  const checker = new PackageChecker(limits, 'archive');
  const cap = limits.maxUncompressedBytes + tarOverhead(limits);
  const listed = await listEntries(gz, cap, checker);
  checker.finish();
  return extractFiles(gz, cap, checker, listed);
}

/** First pass: headers only, every check, nothing kept but the list. */
async function listEntries(gz: Uint8Array, cap: number, checker: PackageChecker): Promise<Listed[]> {
  const listed: Listed[] = [];
  const scanner = new TarHeaderScanner((e) => listed.push(checkEntry(e, checker)), (name, reason) => checker.refuse(stripDot(name), reason));
  try {
    await inflate(gz, cap, checker, async (chunk) => scanner.push(chunk));
    scanner.end();
  } catch (err) {
    throw asArchiveError(err);
  }
  return listed;
}

const stripDot = (name: string): string => (name.startsWith('./') ? name.slice(2) : name);

const REFUSED_TYPES: Record<string, string> = {
  '1': 'hard links are not allowed',
  '2': 'symbolic links are not allowed',
  '3': 'character devices are not allowed',
  '4': 'block devices are not allowed',
  '6': 'FIFOs (named pipes) are not allowed',
  '7': 'contiguous files (type 7) are not allowed',
};

/** One entry of the first pass: only regular files and directories, checked by path and size. */
function checkEntry(e: TarEntryHeader, checker: PackageChecker): Listed {
  const path = stripDot(e.name);
  if (e.directory) {
    const dir = path.replace(/\/$/, '');
    if (dir !== '') checker.addDirectory(dir);
    return { name: e.name, kind: 'directory', size: 0 };
  }
  const refused = REFUSED_TYPES[e.type];
  if (refused !== undefined) throw checker.refuse(path, refused);
  checker.add(path, e.size);
  return { name: e.name, kind: 'file', size: e.size };
}

/** Second pass: tar-stream reads the data of exactly the entries the first pass listed. */
async function extractFiles(gz: Uint8Array, cap: number, checker: PackageChecker, listed: Listed[]): Promise<PackageFile[]> {
  const extract = tarExtract();
  const feeding = inflate(gz, cap, checker, async (chunk) => {
    if (extract.destroyed) return;
    if (!extract.write(chunk)) await drained(extract);
  }).then(
    () => { if (!extract.destroyed) extract.end(null); },
    (err: unknown) => { if (!extract.destroyed) extract.destroy(err as Error); throw err; },
  );
  // A failure of the feeder is also delivered to the loop below (it destroys `extract`); keep the
  // promise handled until we look at it.
  feeding.catch(() => undefined);

  const files: PackageFile[] = [];
  let failure: unknown;
  let index = 0;
  try {
    for await (const entry of extract) {
      const file = await readEntry(entry, listed[index++], checker);
      if (file) files.push(file);
    }
    if (index !== listed.length) throw new OhwError('INVALID_ARCHIVE', 'archive is truncated or corrupt', { details: { reason: 'entries differ between readers' } });
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined && !extract.destroyed) extract.destroy();
  const feedFailure = await feeding.then(
    () => undefined,
    (err: unknown) => err,
  );
  const err = [failure, feedFailure].find(isOhwError) ?? failure ?? feedFailure;
  if (err !== undefined) throw asArchiveError(err);
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

function asArchiveError(err: unknown): OhwError {
  if (isOhwError(err)) return err;
  return new OhwError('INVALID_ARCHIVE', 'archive is truncated or corrupt', {
    details: { reason: err instanceof Error ? err.message : String(err) },
  });
}

/**
 * Inflates `gz` lazily (pulled chunk by chunk, 64 KiB at most), handing each chunk to `sink` and
 * counting bytes; stops with TOO_LARGE as soon as the count passes `cap`. Leaving the loop destroys
 * the gunzip stream, so nothing more is inflated.
 */
async function inflate(gz: Uint8Array, cap: number, checker: PackageChecker, sink: (chunk: Buffer) => Promise<void>): Promise<void> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  gunzip.end(Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength));
  let inflated = 0;
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    inflated += chunk.byteLength;
    if (inflated > cap) throw checker.tooLargeInTotal();
    await sink(chunk);
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

/** Reads one entry's data (files) or skips it (directories), after checking it is what was listed. */
async function readEntry(entry: Entry, want: Listed | undefined, checker: PackageChecker): Promise<PackageFile | undefined> {
  const h = entry.header;
  const kind = h.type === 'directory' ? 'directory' : h.type === 'file' ? 'file' : undefined;
  const size = h.size ?? 0;
  if (want === undefined || kind !== want.kind || h.name !== want.name || (kind === 'file' && size !== want.size)) {
    throw checker.refuse(stripDot(h.name), 'is read differently by different tar readers');
  }
  if (kind === 'directory') {
    entry.resume();
    return undefined;
  }
  const path = stripDot(h.name);
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
