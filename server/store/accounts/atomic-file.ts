/**
 * Crash-safe small-file writes for the account store. A reader sees either the old file or the
 * complete new one, never a torn write: the bytes go to a temporary file in the same directory
 * (so rename/link stay on one filesystem), are fsynced, and only then become visible by
 * `rename` (replace) or `link` (create-if-absent, atomic and exclusive even across processes);
 * finally the directory is fsynced so the new entry survives a power cut.
 * Files are 0600 and directories 0700: they hold password and token hashes.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Temporary files start with `.` and end with `.tmp`; listings skip them. */
export const isTempName = (base: string): boolean => base.startsWith('.') || base.endsWith('.tmp');

export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
  // mkdir's mode is filtered by the umask and ignored for an existing directory: set it exactly.
  await fs.chmod(dir, DIR_MODE);
}

async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Some platforms cannot open or fsync a directory; the rename is still atomic there.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}

async function writeTemp(file: string, data: string | Uint8Array): Promise<string> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'wx', FILE_MODE);
  try {
    await fh.chmod(FILE_MODE); // exact, whatever the umask
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  return tmp;
}

/** Create or replace `file` atomically. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(file, data);
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(path.dirname(file));
}

/**
 * Create `file` with `data` only if it does not exist: true when created, false when it already
 * existed. Of concurrent callers (in this process or another) exactly one wins, and the winner's
 * file is complete from the moment it appears.
 */
export async function createFileExclusive(file: string, data: string | Uint8Array): Promise<boolean> {
  const tmp = await writeTemp(file, data);
  try {
    await fs.link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await fsyncDir(path.dirname(file));
  return true;
}

/** Parsed JSON of `file`, or undefined when it does not exist. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}
