/**
 * What may be inside a design package (SPEC §1 "Content"): path rules, collisions and size limits.
 * Pure: shared by `ohw pack` (reading a folder), the publish path (reading an upload) and
 * `ohw download` (writing a folder). Every refusal is an OhwError whose message names the path.
 */
import { OhwError } from './errors.ts';
import type { PackageFile } from './package-file.ts';
import { windowsDeviceName } from './windows-names.ts';

/** One file of a package (the shared type of `schema/package-file.ts`, re-exported for convenience). */
export type { PackageFile };

export interface PackageLimits {
  /** Size of the uploaded tar.gz. */
  maxCompressedBytes: number;
  /** Sum of the sizes of all files. */
  maxUncompressedBytes: number;
  /** Number of files (directories are not files). */
  maxFiles: number;
  /** Size of any one file. */
  maxFileBytes: number;
  /** Number of `/`-separated segments of a path, the file name included (`design.yaml` is 1). */
  maxDepth: number;
}

const MiB = 1024 * 1024;

/** SPEC §1: 50 MiB compressed, 200 MiB uncompressed, 5,000 files, 20 MiB per file, depth 16. */
export const DEFAULT_LIMITS: PackageLimits = Object.freeze({
  maxCompressedBytes: 50 * MiB,
  maxUncompressedBytes: 200 * MiB,
  maxFiles: 5000,
  maxFileBytes: 20 * MiB,
  maxDepth: 16,
});

/** No size or count limit: for checking paths only (e.g. writing what a registry served). */
export const NO_SIZE_LIMITS: PackageLimits = Object.freeze({
  maxCompressedBytes: Infinity,
  maxUncompressedBytes: Infinity,
  maxFiles: Infinity,
  maxFileBytes: Infinity,
  maxDepth: Infinity,
});

/** Longest path (UTF-8 bytes) and path segment we accept: what common file systems can store. */
export const MAX_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

/** The manifest every package has at its root. */
export const MANIFEST_PATH = 'design.yaml';

/**
 * Largest `.gitattributes` (anywhere in the package). Packages are stored as git trees, and
 * attributes change how git checks files out (filters, eol, working-tree encodings); a design
 * needs a few lines at most, and git itself gives up on lines over 2 KiB.
 */
export const MAX_GITATTRIBUTES_BYTES = 16 * 1024;

/**
 * Code points file systems and browsers drop or do not show: default-ignorable ones (zero-width
 * joiners and spaces, variation selectors, soft hyphen, BOM…). HFS+ ignores them in names, so
 * `.g\u200cit` *is* `.git` there.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** `.g\u200cit` → `".g\u200cit"`: invisible and control characters shown as escapes. */
const shown = (seg: string): string =>
  JSON.stringify(seg).replace(INVISIBLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/**
 * How Windows and macOS see a segment: invisible code points dropped (HFS+), trailing dots and
 * spaces dropped (Windows), NFC, lower case. Two names with the same view are the same file there.
 */
export function segmentView(seg: string): string {
  return seg.replace(INVISIBLE, '').replace(/[. ]+$/, '').normalize('NFC').toLowerCase();
}

/** `%2e%2e` → `..`: what a segment becomes if some tool percent-decodes it. */
const percentDecoded = (seg: string): string =>
  seg.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Why one path segment is refused, or null. */
function segmentProblem(seg: string): string | null {
  if (seg === '..') return '".." segments are not allowed';
  if (seg === '.') return '"." segments are not allowed';
  if (seg === '') return 'empty segments (// or a trailing /) are not allowed';
  if (seg.toLowerCase() === '.git') return '".git" segments are not allowed';
  if (segmentView(seg) === '.git' || segmentView(seg.split(':')[0]!) === '.git') {
    return `".git" segments are not allowed, nor look-alikes such as ${shown(seg)}`;
  }
  if (/^git~\d+$/i.test(seg)) return `${shown(seg)} is the Windows short name of ".git" and is not allowed`;
  const decoded = percentDecoded(seg);
  if (decoded !== seg && (decoded === '.' || decoded === '..' || /[/\\]/.test(decoded) || segmentView(decoded) === '.git')) {
    return `${shown(seg)} reads as ${JSON.stringify(decoded)} once percent-decoded and is not allowed`;
  }
  const device = windowsDeviceName(seg);
  if (device !== undefined) return `${shown(seg)} is a device name reserved by Windows (${device.toUpperCase()})`;
  if (utf8Length(seg) > MAX_SEGMENT_BYTES) return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`;
  return null;
}

const encoder = new TextEncoder();
const utf8Length = (s: string): number => encoder.encode(s).byteLength;

/** `200 MiB`, `3 KiB`, `100 bytes`: how limits are shown to people. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/**
 * Order of paths everywhere (checksum, archives, listings): byte order of their UTF-8 encoding.
 * (Not JS `<`, which compares UTF-16 code units and differs for characters above U+FFFF.)
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * `null` when `path` may be a file path in a package, else a human reason (without the path).
 * Refuses: empty, absolute (`/x`, `C:\x`, `C:/x`, `\\x`), backslashes, `..`, `.` and empty (`//`)
 * segments, a trailing `/`, `.git` segments in any case and their look-alikes (`.g\u200cit`,
 * `.git.`, `.git::$INDEX_ALLOCATION`, the 8.3 short name `git~1`), segments that percent-decode to
 * `.`, `..`, `.git` or a separator (`%2e%2e`), Windows device names (`con`, `CON.step`,
 * `docs/aux.txt`), control characters (NUL included), malformed Unicode, more than `maxDepth`
 * segments, paths over 1024 and segments over 255 bytes.
 */
export function checkPackagePath(path: string, limits: PackageLimits = DEFAULT_LIMITS): string | null {
  if (path.length === 0) return 'path is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control characters are not allowed';
  if (/[\uD800-\uDFFF]/u.test(path)) return 'path is not valid Unicode';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'absolute paths are not allowed';
  if (path.includes('\\')) return 'backslashes are not allowed';
  if (utf8Length(path) > MAX_PATH_BYTES) return `path is longer than ${MAX_PATH_BYTES} bytes`;
  const segments = path.split('/');
  for (const seg of segments) {
    const problem = segmentProblem(seg);
    if (problem !== null) return problem;
  }
  if (segments.length > limits.maxDepth) return `path is deeper than ${limits.maxDepth} levels (limit maxDepth)`;
  return null;
}

/** How messages name things: entries of an uploaded archive, or files of a package/folder. */
export type CheckSubject = 'archive' | 'package';

const WORDS: Record<CheckSubject, { one: string; many: string; whole: string; expands: string }> = {
  archive: { one: 'archive entry', many: 'archive entries', whole: 'archive', expands: 'archive expands to more than' },
  package: { one: 'package file', many: 'package files', whole: 'package', expands: 'package is larger in total than' },
};

/**
 * What macOS and Windows file systems compare: case, Unicode normalisation, invisible code points
 * and (per segment) trailing dots and spaces do not count.
 */
const foldKey = (s: string): string => s.split('/').map(segmentView).join('/');

/**
 * Incremental checker of a package's file list: `add` each file as it is discovered (so a hostile
 * archive is refused at the first bad entry, before its data is read), then `finish`.
 */
export class PackageChecker {
  readonly limits: PackageLimits;
  readonly subject: CheckSubject;
  private readonly words: (typeof WORDS)[CheckSubject];
  /** folded key of every file and directory prefix → how it was first spelled, and by which file. */
  private readonly seen = new Map<string, { spelled: string; kind: 'file' | 'dir'; by: string }>();
  private files = 0;
  private dirs = 0;
  private total = 0;

  constructor(limits: PackageLimits = DEFAULT_LIMITS, subject: CheckSubject = 'package') {
    this.limits = limits;
    this.subject = subject;
    this.words = WORDS[subject];
  }

  get fileCount(): number {
    return this.files;
  }

  get totalBytes(): number {
    return this.total;
  }

  /** The `archive entry "p": reason` error (INVALID_ARCHIVE unless said otherwise). */
  refuse(path: string, reason: string, code: 'INVALID_ARCHIVE' | 'TOO_LARGE' = 'INVALID_ARCHIVE'): OhwError {
    return new OhwError(code, `${this.words.one} ${JSON.stringify(path)}: ${reason}`, { details: { path } });
  }

  /** Checks a path by the path rules only; throws INVALID_ARCHIVE naming it. */
  checkPath(path: string): void {
    const reason = checkPackagePath(path, this.limits);
    if (reason !== null) throw this.refuse(path, reason);
  }

  /**
   * A directory entry (archives may list them; they carry no content). Its path is checked, and it
   * counts against `maxFiles` separately so that a flood of empty directories is bounded too.
   */
  addDirectory(path: string): void {
    this.checkPath(path);
    this.dirs += 1;
    if (this.dirs > this.limits.maxFiles) {
      throw new OhwError('TOO_LARGE', `${this.words.whole} has more than ${this.limits.maxFiles} directory entries (limit maxFiles)`, {
        details: { path, limit: 'maxFiles' },
      });
    }
  }

  /** One file: path rules, duplicates, collisions, count, per-file size, running total. */
  add(path: string, size: number): void {
    this.checkPath(path);
    if (segmentView(path.slice(path.lastIndexOf('/') + 1)) === '.gitattributes' && size > MAX_GITATTRIBUTES_BYTES) {
      throw this.refuse(path, `is larger than ${formatBytes(MAX_GITATTRIBUTES_BYTES)} (limit for .gitattributes, which changes how git checks files out)`);
    }
    this.register(path);
    this.files += 1;
    if (this.files > this.limits.maxFiles) {
      throw new OhwError('TOO_LARGE', `${this.words.whole} has more than ${this.limits.maxFiles} files (limit maxFiles)`, {
        details: { path, limit: 'maxFiles' },
      });
    }
    this.addBytes(path, size);
  }

  /** Size of a file (again, when the real size is only known after reading it). */
  checkFileSize(path: string, size: number): void {
    if (!(size >= 0) || !Number.isSafeInteger(size)) throw this.refuse(path, `invalid size ${size}`);
    if (size > this.limits.maxFileBytes) {
      throw new OhwError('TOO_LARGE', `${this.words.one} ${JSON.stringify(path)} is larger than ${formatBytes(this.limits.maxFileBytes)} (limit maxFileBytes)`, {
        details: { path, limit: 'maxFileBytes' },
      });
    }
  }

  /** Adds to the running total (and checks the per-file size); TOO_LARGE once past the limit. */
  addBytes(path: string, size: number): void {
    this.checkFileSize(path, size);
    this.total += size;
    if (this.total > this.limits.maxUncompressedBytes) throw this.tooLargeInTotal(path);
  }

  tooLargeInTotal(path?: string): OhwError {
    return new OhwError('TOO_LARGE', `${this.words.expands} ${formatBytes(this.limits.maxUncompressedBytes)} (limit maxUncompressedBytes)`, {
      details: { ...(path !== undefined ? { path } : {}), limit: 'maxUncompressedBytes' },
    });
  }

  /** Every package has `design.yaml` at its root. */
  finish(): void {
    if (this.seen.get(MANIFEST_PATH)?.spelled !== MANIFEST_PATH || this.seen.get(MANIFEST_PATH)?.kind !== 'file') {
      throw new OhwError('INVALID_ARCHIVE', `${this.words.whole} has no ${JSON.stringify(MANIFEST_PATH)} at its root`, {
        details: { path: MANIFEST_PATH },
      });
    }
  }

  /**
   * Records the file and each of its parent directories under a folded key. Refuses an exact
   * duplicate, two spellings of one name (`README.md` / `readme.md`, `Docs/a` / `docs/b`) and a
   * name that is both a file and a directory (`a` / `a/b`).
   */
  private register(path: string): void {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const kind = i === segments.length ? 'file' : 'dir';
      const key = foldKey(prefix);
      const prev = this.seen.get(key);
      if (prev === undefined) {
        this.seen.set(key, { spelled: prefix, kind, by: path });
        continue;
      }
      if (prev.spelled === prefix && prev.kind === 'dir' && kind === 'dir') continue;
      if (prev.spelled === prefix && prev.kind === 'file' && kind === 'file') {
        throw this.refuse(path, 'appears more than once');
      }
      const other = prev.by;
      if (prev.spelled === prefix) {
        // same spelling, one a file and the other a directory
        throw new OhwError(
          'INVALID_ARCHIVE',
          `${this.words.many} ${JSON.stringify(other)} and ${JSON.stringify(path)} conflict: ${JSON.stringify(prefix)} is both a file and a directory`,
          { details: { path, other } },
        );
      }
      const caseOnly = prev.spelled.normalize('NFC').toLowerCase() === prefix.normalize('NFC').toLowerCase();
      const where = caseOnly ? 'on case-insensitive file systems'
        : 'on Windows or macOS (which ignore trailing dots and spaces, invisible characters and case)';
      throw new OhwError('INVALID_ARCHIVE', `${this.words.many} ${JSON.stringify(other)} and ${JSON.stringify(path)} collide ${where}`, {
        details: { path, other },
      });
    }
  }
}

/**
 * Checks a whole file list; throws OhwError `INVALID_ARCHIVE` (bad path, duplicate, collision,
 * no `design.yaml` at the root) or `TOO_LARGE` (count, per-file size, total size) for the first
 * violation, the message naming the path and `details.path` holding it.
 */
export function checkPackageFiles(
  files: ReadonlyArray<{ path: string; size: number }>,
  limits: PackageLimits = DEFAULT_LIMITS,
  subject: CheckSubject = 'package',
): void {
  const checker = new PackageChecker(limits, subject);
  for (const f of files) checker.add(f.path, f.size);
  checker.finish();
}
