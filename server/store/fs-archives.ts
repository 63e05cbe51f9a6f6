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

  constructor(opts: { dataDir: string }) {
    this.#root = path.join(path.resolve(opts.dataDir), 'archives');
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
    const tmp = path.join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
    const fh = await fs.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
    const d = await fs.open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  }

  async remove(pkg: string): Promise<void> {
    await fs.rm(path.join(this.#root, ...pkg.split('/')), { recursive: true, force: true });
  }

  /** Temporary files of writes a crash interrupted. */
  async sweep(): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.startsWith('.tmp-')) { await fs.rm(p, { force: true }); removed++; }
      }
    };
    await walk(this.#root);
    return removed;
  }
}
