/**
 * The package checksum (SPEC §1 "Checksum"): SHA-256 over the canonical file list, so it depends
 * only on paths and bytes — not on file order, archive format, compression or git's object format.
 *
 *   canonical = for each file, sorted by the UTF-8 bytes of its path:  path \0 sha256hex(bytes) \n
 *   checksum  = "sha256:" + sha256hex(canonical)
 *
 * The executable bit is not part of it (SPEC defines the list as paths and bytes only).
 */
import { createHash } from 'node:crypto';
import { OhwError } from './errors.ts';
import { comparePaths } from './package-rules.ts';

export const CHECKSUM_PREFIX = 'sha256:';

/** Lower-case hex SHA-256 of the bytes. */
export function fileSha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Each file's SHA-256 (hex) by path: computed once, for the checksum and the stored file list. */
export function fileHashes(files: ReadonlyArray<{ path: string; data: Uint8Array }>): Map<string, string> {
  return new Map(files.map((f) => [f.path, fileSha256(f.data)]));
}

/** The exact text that is hashed (useful to show or debug a mismatch); `hashes` from fileHashes, when at hand. */
export function canonicalFileList(files: ReadonlyArray<{ path: string; data: Uint8Array }>, hashes?: ReadonlyMap<string, string>): string {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    const p = (sorted[i] as { path: string }).path;
    if (p === (sorted[i - 1] as { path: string }).path) {
      throw new OhwError('INVALID_ARCHIVE', `package file ${JSON.stringify(p)}: appears more than once`, { details: { path: p } });
    }
  }
  return sorted.map((f) => `${f.path}\0${hashes?.get(f.path) ?? fileSha256(f.data)}\n`).join('');
}

/** `sha256:<hex>` of the canonical file list; the same for the same files in any order. */
export function packageChecksum(files: ReadonlyArray<{ path: string; data: Uint8Array }>, hashes?: ReadonlyMap<string, string>): string {
  return CHECKSUM_PREFIX + createHash('sha256').update(canonicalFileList(files, hashes), 'utf8').digest('hex');
}

/** Whether a string looks like a checksum this module produces. */
export const isChecksum = (s: string): boolean => /^sha256:[0-9a-f]{64}$/.test(s);
