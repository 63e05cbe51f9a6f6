/**
 * The published bytes of every version, stored once at publish as
 * `$OHW_DATA/archives/<owner>/<name>/<version>.tar.gz` and served as they are (DESIGN "Data on
 * disk"). Derived from git: a missing file is written again from the tag's tree on first read.
 * Writes are atomic (temp file, fsync, rename, fsync of the folder), so a crash never leaves a
 * torn archive under its final name.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArchiveStore } from './ports.ts';
import { writeFileDurably } from './durable-file.ts';

export class FsArchiveStore implements ArchiveStore {
  readonly #root: string;
  readonly #staging: string;

  constructor(opts: { dataDir: string }) {
    this.#root = path.join(path.resolve(opts.dataDir), 'archives');
    this.#staging = path.join(this.#root, '.staging');
  }

  filePath(pkg: string, version: string): string {
    // Names and versions are validated before they reach a store; semver has no path separators.
    return path.join(this.#root, ...pkg.split('/'), `${version}.tar.gz`);
  }

  async size(pkg: string, version: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.filePath(pkg, version))).size;
    } catch {
      return undefined;
    }
  }

  async write(pkg: string, version: string, bytes: Uint8Array): Promise<void> {
    // Staged in one folder beside the archives (same file system, so the rename is atomic):
    // the start sweeps that folder alone, whatever the number of designs.
    await writeFileDurably(this.filePath(pkg, version), bytes, this.#staging);
  }

  async remove(pkg: string): Promise<void> {
    await fs.rm(path.join(this.#root, ...pkg.split('/')), { recursive: true, force: true });
  }

  /** Temporary files of writes a crash interrupted. */
  async sweep(): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.#staging);
    } catch {
      return 0;
    }
    for (const n of names) await fs.rm(path.join(this.#staging, n), { force: true, recursive: true });
    return names.length;
  }
}
