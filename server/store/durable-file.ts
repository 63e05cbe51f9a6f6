/**
 * Write a file so that it is either absent or whole, and on disk before the caller answers:
 * bytes to a temporary file in `stagingDir` (same file system), fsync, rename into place, fsync of
 * the folder. A failed write leaves no temporary file behind.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileDurably(file: string, bytes: Uint8Array, stagingDir: string = path.dirname(file)): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  await fs.mkdir(stagingDir, { recursive: true });
  const tmp = path.join(stagingDir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const fh = await fs.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const d = await fs.open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}
