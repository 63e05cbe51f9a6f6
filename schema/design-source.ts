/**
 * A read-only view of a design's files, as the validator sees them, wherever they came from
 * (a folder on disk, an uploaded archive, a stored version). Pure.
 */
import { comparePaths, type PackageFile } from './package-rules.ts';

export interface DesignSource {
  /** Bytes of the file at this package path (exact match, `/` separators), or undefined. */
  read(path: string): Uint8Array | undefined;
  /** All file paths, sorted (UTF-8 byte order). */
  files(): string[];
}

/** A DesignSource over in-memory files. Later duplicates do not replace earlier ones. */
export function designSource(files: ReadonlyArray<PackageFile>): DesignSource {
  const byPath = new Map<string, Uint8Array>();
  for (const f of files) if (!byPath.has(f.path)) byPath.set(f.path, f.data);
  const sorted = [...byPath.keys()].sort(comparePaths);
  return {
    read: (path) => byPath.get(path),
    files: () => [...sorted],
  };
}
