/**
 * A walk over the 512-byte blocks of a tar stream that reads the headers the way GNU tar does,
 * without keeping any file data. It is the registry's own view of an upload: what it lists is
 * what `tar -t` lists, and anything tar implementations could read differently is refused.
 *
 * GNU tar's reading, as followed here:
 * - the archive ends at the first all-zero block; whatever comes after it is ignored by GNU tar
 *   but read by other tools (tar-stream skips zero blocks), so non-zero data there is refused;
 * - the name is the PAX `path`, else a GNU long name (`L`), else `prefix/name` (POSIX ustar
 *   magic only); names must be UTF-8 (GNU tar lists raw bytes, a JS reader would substitute);
 * - the size is the PAX `size` when present; one that disagrees with the ustar header's size
 *   field is refused (two honest readers would skip different amounts of data);
 * - numbers are octal digits padded with spaces/NULs, or base-256; anything looser is refused;
 * - a directory entry (type `5`, or a regular file named with a trailing `/`) carries no data;
 *   one that declares some is refused (readers disagree on whether to skip it);
 * - GNU sparse files (`S`, or `GNU.sparse.*` PAX keys), `hdrcharset`, volume labels, multi-volume
 *   and old-GNU (`N`, `D`, `M`, `V`) entries and PAX global headers carrying more than a comment
 *   are refused: their content or name depends on the reader.
 * Pure: bytes in, entries out.
 */
import { OhwError } from './errors.ts';

/** One entry as GNU tar lists it. `type` is the typeflag character (`0` for regular files, also `\0`). */
export interface TarEntryHeader {
  name: string;
  type: string;
  size: number;
  /** Permission bits of the ustar header (0 when the field is empty or malformed). */
  mode: number;
  /** A directory entry: type `5`, or type `0` with a name ending in `/`. */
  directory: boolean;
}

const BLOCK = 512;
/** Bytes of one PAX or GNU long-name record we read (paths are ≤ 1024 bytes; this is ample). */
export const MAX_EXTENDED_HEADER_BYTES = 64 * 1024;
const EXTENDED = new Set(['x', 'g', 'L', 'K']);
/** Entry types we hand on (links, devices and FIFOs are refused by name, with their own reasons). */
const ENTRY_TYPES = new Set(['0', '1', '2', '3', '4', '5', '6', '7']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Refuse = (name: string, reason: string) => OhwError;

const corrupt = (reason: string): OhwError => new OhwError('INVALID_ARCHIVE', 'archive is truncated or corrupt', { details: { reason } });
const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;
const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/** NUL-terminated field. */
function cstr(b: Uint8Array, off: number, len: number): Uint8Array {
  const end = b.subarray(off, off + len).indexOf(0);
  return b.subarray(off, end < 0 ? off + len : off + end);
}

/** GNU tar's numeric fields: octal padded with spaces/NULs, or base-256 (0x80 first byte). undefined if malformed. */
export function parseTarNumber(b: Uint8Array, off: number, len: number): number | undefined {
  if (b[off] === 0x80) {
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + b[i]!;
    return Number.isSafeInteger(v) ? v : undefined;
  }
  let i = off;
  const end = off + len;
  while (i < end && b[i] === 0x20) i++;
  let v = 0;
  let digits = 0;
  while (i < end && b[i]! >= 0x30 && b[i]! <= 0x37) { v = v * 8 + (b[i]! - 0x30); i++; digits++; }
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  if (i !== end) return undefined;
  return digits === 0 ? 0 : v;
}

function checksumOk(b: Uint8Array): boolean {
  const stored = parseTarNumber(b, 148, 8);
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    unsigned += b[i]!;
    signed += (b[i]! << 24) >> 24;
  }
  return stored !== undefined && (stored === unsigned || stored === signed);
}

/** Strict PAX records: `<len> <key>=<value>\n`, len counting the whole record. */
function parsePax(data: Uint8Array): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) return undefined;
    const lenText = Buffer.from(data.subarray(i, space)).toString('latin1');
    if (!/^[1-9]\d*$/.test(lenText)) return undefined;
    const len = Number(lenText);
    if (i + len > data.length || data[i + len - 1] !== 0x0a) return undefined;
    let record: string;
    try {
      record = utf8.decode(data.subarray(space + 1, i + len - 1));
    } catch {
      return undefined;
    }
    const eq = record.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * Feed inflated bytes with `push` (any chunking); each entry is passed to `onEntry` as soon as its
 * header is read, before its data. Refusals are thrown as OhwError: `refuse(name, reason)` for a
 * named entry, `archive is truncated or corrupt` otherwise. Call `end` after the last chunk.
 */
export class TarHeaderScanner {
  private readonly block = new Uint8Array(BLOCK);
  private filled = 0;
  /** Bytes of entry data (and padding) still to pass over. */
  private skip = 0;
  /** Of `skip`, the bytes that are the current file's data (the rest is padding). */
  private dataLeft = 0;
  private ext: { type: string; name: string; size: number; buf: Uint8Array; got: number } | undefined;
  private pax: Map<string, string> | undefined;
  private longName: string | undefined;
  private ended = false;
  /** Offset of the end-of-archive block, for messages. */
  private offset = 0;
  /** Mode field of the last ustar header read (the entry's own, after any extended headers). */
  private mode = 0;

  /**
   * `onData`, when given, receives each regular file's data, in order, right after `onEntry` for
   * it: slices of the pushed chunks (not copies), so the caller keeps them only as long as needed.
   */
  constructor(
    private readonly onEntry: (e: TarEntryHeader) => void,
    private readonly refuse: Refuse,
    private readonly onData?: (data: Uint8Array) => void,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        if (this.dataLeft > 0) {
          const take = Math.min(n, this.dataLeft);
          this.dataLeft -= take;
          this.onData?.(chunk.subarray(i, i + take));
        }
        this.skip -= n;
        i += n;
        this.offset += n;
        continue;
      }
      if (this.ext) {
        const e = this.ext;
        const n = Math.min(e.buf.length - e.got, chunk.length - i);
        e.buf.set(chunk.subarray(i, i + n), e.got);
        e.got += n;
        i += n;
        this.offset += n;
        if (e.got === e.buf.length) {
          this.ext = undefined;
          this.extended(e.type, e.name, e.buf.subarray(0, e.size));
        }
        continue;
      }
      const n = Math.min(BLOCK - this.filled, chunk.length - i);
      this.block.set(chunk.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      this.offset += n;
      if (this.filled === BLOCK) {
        this.filled = 0;
        this.header(this.block);
      }
    }
  }

  /** The stream is over: refuses a stream cut inside a header or an entry's data. */
  end(): void {
    if (this.ended) {
      if (this.filled > 0 && !isZero(this.block.subarray(0, this.filled))) throw this.afterEnd(undefined);
      return;
    }
    if (this.skip > 0 || this.ext || this.filled > 0) throw corrupt('the tar stream ends inside an entry');
    if (this.pax || this.longName !== undefined) throw corrupt('the tar stream ends after an extended header');
  }

  private afterEnd(name: string | undefined): OhwError {
    return name !== undefined
      ? this.refuse(name, 'comes after the end-of-archive marker (GNU tar stops there and would not list it)')
      : new OhwError('INVALID_ARCHIVE', 'archive has data after its end-of-archive marker (GNU tar stops there)', { details: { offset: this.offset } });
  }

  private header(b: Uint8Array): void {
    if (this.ended) {
      if (isZero(b)) return;
      // Name what follows the marker when it reads as a header.
      let name: string | undefined;
      try {
        if (checksumOk(b)) name = utf8.decode(cstr(b, 0, 100));
      } catch { /* not a readable name */ }
      throw this.afterEnd(name);
    }
    if (isZero(b)) {
      if (this.pax || this.longName !== undefined) throw corrupt('an extended header is followed by the end of the archive');
      this.ended = true;
      return;
    }
    if (!checksumOk(b)) throw corrupt('invalid tar header checksum');
    const magic = Buffer.from(b.subarray(257, 265)).toString('latin1');
    const posix = magic.startsWith('ustar\0');
    if (!posix && magic !== 'ustar  \0') throw corrupt('unknown tar header format');

    const type = b[156] === 0 ? '0' : String.fromCharCode(b[156]!);
    let headerName: string;
    try {
      const name = utf8.decode(cstr(b, 0, 100));
      const prefix = posix ? utf8.decode(cstr(b, 345, 155)) : '';
      headerName = prefix ? `${prefix}/${name}` : name;
    } catch {
      throw this.refuse(Buffer.from(cstr(b, 0, 100)).toString('latin1'), 'name is not valid UTF-8');
    }
    const size = parseTarNumber(b, 124, 12);
    if (size === undefined) throw this.refuse(headerName, 'has a malformed size field');
    this.mode = parseTarNumber(b, 100, 8) ?? 0;

    if (EXTENDED.has(type)) {
      if (size > MAX_EXTENDED_HEADER_BYTES) throw this.refuse(headerName, `has an extended header larger than ${MAX_EXTENDED_HEADER_BYTES} bytes`);
      this.ext = { type, name: headerName, size, buf: new Uint8Array(padded(size)), got: 0 };
      if (size === 0) { this.ext = undefined; this.extended(type, headerName, new Uint8Array()); }
      return;
    }
    this.entry(type, headerName, size);
  }

  private extended(type: string, headerName: string, data: Uint8Array): void {
    if (type === 'L' || type === 'K') {
      let text: string;
      try {
        text = utf8.decode(cstr(data, 0, data.length));
      } catch {
        throw this.refuse(headerName, 'has a long name that is not valid UTF-8');
      }
      if (type === 'L') {
        if (this.longName !== undefined) throw this.refuse(text, 'has two GNU long-name headers');
        this.longName = text;
      }
      return; // K: a long link target; links are refused by name anyway
    }
    const records = parsePax(data);
    if (!records) throw this.refuse(headerName, 'has a malformed PAX header');
    if (type === 'g') {
      const other = [...records.keys()].find((k) => k !== 'comment');
      if (other !== undefined) throw this.refuse(headerName, `is a PAX global header setting "${other}"; only a comment is allowed there`);
      return;
    }
    const name = records.get('path') ?? headerName;
    if (this.pax) throw this.refuse(name, 'has two PAX headers');
    this.pax = records;
  }

  private entry(type: string, headerName: string, headerSize: number): void {
    const pax = this.pax;
    const name = pax?.get('path') ?? this.longName ?? headerName;
    this.pax = undefined;
    this.longName = undefined;
    // Checked at the entry, so that the refusal names it rather than its extended header.
    const sparse = pax && [...pax.keys()].find((k) => k.startsWith('GNU.sparse.'));
    if (sparse) throw this.refuse(name, `is a GNU sparse file ("${sparse}"); sparse files are not allowed`);
    if (pax?.has('hdrcharset')) throw this.refuse(name, 'sets "hdrcharset"; names must be UTF-8');
    let size = headerSize;
    const paxSize = pax?.get('size');
    if (paxSize !== undefined) {
      if (!/^\d+$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize))) throw this.refuse(name, `has an invalid PAX size "${paxSize.slice(0, 40)}"`);
      size = Number(paxSize);
      if (size !== headerSize) {
        throw this.refuse(name, `has a PAX size (${size} bytes) that disagrees with its ustar header (${headerSize} bytes)`);
      }
    }
    if (!ENTRY_TYPES.has(type)) throw this.refuse(name, `unsupported tar entry type "${type}"`);
    const directory = type === '5' || (type === '0' && name.endsWith('/'));
    if (directory && size > 0) throw this.refuse(name, `is a directory entry that declares ${size} bytes of data`);
    this.onEntry({ name, type, size, mode: this.mode, directory });
    this.skip = directory ? 0 : padded(size);
    this.dataLeft = directory ? 0 : size;
  }
}
