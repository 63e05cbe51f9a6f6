/**
 * The file-system client handed to isomorphic-git.
 *
 * Why not plain `node:fs`: isomorphic-git writes a loose object straight to its final path, and
 * skips the write when a file already exists there. A crash (or a reader in another process)
 * in the middle of that write would see — and keep forever — a truncated object. Here every
 * `writeFile` goes to a unique temp file in the same directory and is renamed into place, so a
 * loose object is either absent or complete. Same-content races between processes are harmless:
 * objects are content-addressed, the last rename wins with identical bytes.
 *
 * The stores no longer write objects through isomorphic-git (they write packs: pack-writer.ts,
 * flushed there); what still goes through here is `git.init`'s few files of a new repo, which
 * createRepoAtomically flushes before the repo is renamed into place.
 */
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';

async function atomicWriteFile(path: string, data: string | Uint8Array, options?: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  // Throws ENOENT when the parent dir is missing: isomorphic-git then mkdirs and retries.
  await fsp.writeFile(tmp, data, options as Parameters<typeof fsp.writeFile>[2]);
  try {
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** An isomorphic-git `FsClient` (promise style: `promises` must be an enumerable own property). */
export const atomicFs = {
  promises: {
    readFile: fsp.readFile,
    writeFile: atomicWriteFile,
    unlink: fsp.unlink,
    readdir: fsp.readdir,
    mkdir: fsp.mkdir,
    rmdir: fsp.rmdir,
    rm: fsp.rm,
    stat: fsp.stat,
    lstat: fsp.lstat,
    readlink: fsp.readlink,
    symlink: fsp.symlink,
    chmod: fsp.chmod,
  },
};
