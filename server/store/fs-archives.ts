/**
 * The published bytes of every version, stored once at publish as
 * `$OHW_DATA/archives/<owner>/<name>/<version>.tar.gz` and served as they are (DESIGN "Data on
 * disk"). Derived from git: a missing file is written again from the tag's tree on first read.
 * Writes are atomic (temp file, fsync, rename, fsync of the folder), so a crash never leaves a
 * torn archive under its final name.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ArchiveStore } from './ports.ts';

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
    const file = this.filePath(pkg, version);
    const dir = path.dirname(file);
    await fs.mkdir(dir, { recursive: true });
    await fs.mkdir(this.#staging, { recursive: true });
    // Staged in one folder beside the archives (same file system, so the rename is atomic):
    // the start sweeps that folder alone, whatever the number of designs.
    const tmp = path.join(this.#staging, `${randomBytes(8).toString('hex')}.tmp`);
    const fh = await fs.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    const d = await fs.open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
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
