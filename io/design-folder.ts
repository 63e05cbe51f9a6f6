/**
 * Design folders on disk (Node I/O shared by the CLI and the server): read one into package files
 * (`ohw pack`, `ohw validate`, seeding) and write package files into one (`ohw download`).
 * The rules themselves live in `schema/package-rules.ts`; this module only walks and writes.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { OhwError } from '../schema/errors.ts';
import {
  DEFAULT_LIMITS,
  NO_SIZE_LIMITS,
  PackageChecker,
  comparePaths,
  type PackageFile,
  type PackageLimits,
} from '../schema/package-rules.ts';

export { designSource, type DesignSource } from '../schema/design-source.ts';

/** The ignore file at the root of a design folder (gitignore syntax). */
export const IGNORE_FILE = '.ohwignore';

const isGitDir = (name: string): boolean => name.toLowerCase() === '.git';

function refusedKind(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'symbolic links are not allowed';
  if (st.isCharacterDevice()) return 'character devices are not allowed';
  if (st.isBlockDevice()) return 'block devices are not allowed';
  if (st.isFIFO()) return 'FIFOs (named pipes) are not allowed';
  if (st.isSocket()) return 'sockets are not allowed';
  if (!st.isFile() && !st.isDirectory()) return 'only regular files and directories are allowed';
  return undefined;
}

async function loadIgnore(root: string): Promise<Ignore> {
  const ig = ignore();
  const file = path.join(root, IGNORE_FILE);
  const st = await fs.lstat(file).catch(() => undefined);
  // A symlinked .ohwignore is not followed; the walk refuses it like any other symlink.
  if (st?.isFile()) ig.add(await fs.readFile(file, 'utf8'));
  return ig;
}

function ignored(ig: Ignore, rel: string, isDir: boolean): boolean {
  try {
    return ig.ignores(isDir ? `${rel}/` : rel);
  } catch {
    return false; // a name `ignore` cannot test (never produced by readdir); the path rules decide
  }
}

/**
 * Walks a design folder into package files, sorted by path (UTF-8 byte order), `data` as Buffers,
 * `executable: true` when the owner/group/other execute bit is set.
 *
 * - Skips `.git` (directory or file, any case) at any depth, and whatever the root `.ohwignore`
 *   lists (gitignore syntax, negation included; as in git, a file inside an ignored directory
 *   cannot be re-included). `.ohwignore` itself is packed unless it lists itself.
 * - Refuses symlinks, devices, FIFOs and sockets that are not ignored, with OhwError
 *   `INVALID_ARCHIVE` naming the path relative to the folder.
 * - Applies the package rules and limits as it goes (a file over `maxFileBytes` is refused by its
 *   size, before it is read): `INVALID_ARCHIVE` / `TOO_LARGE` as {@link checkPackageFiles};
 *   `design.yaml` must be at the root.
 * - `NOT_FOUND` when `dir` does not exist, `INVALID_REQUEST` when it is not a directory.
 */
export async function readDesignFolder(dir: string, limits: PackageLimits = DEFAULT_LIMITS): Promise<PackageFile[]> {
  const root = path.resolve(dir);
  const rootStat = await fs.stat(root).catch(() => undefined);
  if (!rootStat) throw new OhwError('NOT_FOUND', `design folder ${JSON.stringify(dir)} does not exist`, { details: { path: dir } });
  if (!rootStat.isDirectory()) {
    throw new OhwError('INVALID_REQUEST', `${JSON.stringify(dir)} is not a directory`, { details: { path: dir } });
  }
  const ig = await loadIgnore(root);
  const checker = new PackageChecker(limits, 'package');
  const files: PackageFile[] = [];

  const walk = async (abs: string, rel: string): Promise<void> => {
    const names = (await fs.readdir(abs)).sort(comparePaths);
    for (const name of names) {
      if (isGitDir(name)) continue;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childAbs = path.join(abs, name);
      const st = await fs.lstat(childAbs);
      if (ignored(ig, childRel, st.isDirectory())) continue;
      const refused = refusedKind(st);
      if (refused) throw checker.refuse(childRel, refused);
      if (st.isDirectory()) {
        await walk(childAbs, childRel);
        continue;
      }
      checker.add(childRel, st.size);
      const data = await fs.readFile(childAbs);
      if (data.byteLength > st.size) {
        // grew while we were reading: check and count what we actually got
        checker.checkFileSize(childRel, data.byteLength);
        checker.addBytes(childRel, data.byteLength - st.size);
      }
      const file: PackageFile = { path: childRel, data };
      if ((st.mode & 0o111) !== 0) file.executable = true;
      files.push(file);
    }
  };
  await walk(root, '');
  checker.finish();
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

/**
 * Safely writes package files under `dir` (`ohw download`). Before writing anything, every path is
 * re-checked with the package path rules (plus duplicates and case collisions; sizes are not
 * limited here) → `INVALID_ARCHIVE` naming the path. `dir` must not exist, be empty, or `force`
 * must be set (→ `CONFLICT` otherwise; with `force` files are overwritten, others left alone).
 * Each file must resolve inside `dir` after following any symlinked directory that already exists
 * there, and is never written through a symlink. Modes are 0644, or 0755 when executable.
 */
export async function writeDesignFolder(dir: string, files: PackageFile[], opts: { force?: boolean } = {}): Promise<void> {
  const checker = new PackageChecker(NO_SIZE_LIMITS, 'package');
  for (const f of files) checker.add(f.path, f.data.byteLength);

  const st = await fs.stat(dir).catch(() => undefined);
  if (st) {
    if (!st.isDirectory()) {
      throw new OhwError('CONFLICT', `${JSON.stringify(dir)} exists and is not a directory`, { details: { path: dir } });
    }
    if (!opts.force && (await fs.readdir(dir)).length > 0) {
      throw new OhwError('CONFLICT', `directory ${JSON.stringify(dir)} already exists and is not empty (use force to overwrite)`, {
        details: { path: dir },
      });
    }
  }
  await fs.mkdir(dir, { recursive: true });
  const root = await fs.realpath(dir);

  const inside = (p: string): boolean => {
    const r = path.relative(root, p);
    return r !== '' && !r.startsWith(`..${path.sep}`) && r !== '..' && !path.isAbsolute(r);
  };
  const escapes = (p: string): OhwError => checker.refuse(p, `resolves outside ${JSON.stringify(dir)}`);

  for (const f of [...files].sort((a, b) => comparePaths(a.path, b.path))) {
    const target = path.join(root, ...f.path.split('/'));
    if (!inside(target)) throw escapes(f.path);
    // Create parents one by one without following symlinks: a symlinked directory already in the
    // folder (possible with force) must not let a write land outside it.
    const segments = f.path.split('/');
    let parent = root;
    for (const [i, seg] of segments.slice(0, -1).entries()) {
      parent = path.join(parent, seg);
      const dirName = JSON.stringify(segments.slice(0, i + 1).join('/'));
      const st = await fs.lstat(parent).catch(() => undefined);
      if (st?.isSymbolicLink()) throw checker.refuse(f.path, `${dirName} is a symbolic link in the target folder`);
      if (st && !st.isDirectory()) throw checker.refuse(f.path, `${dirName} exists in the target folder and is not a directory`);
      if (!st) await fs.mkdir(parent);
    }
    const realParent = await fs.realpath(parent);
    if (realParent !== root && !inside(realParent)) throw escapes(f.path);

    const existing = await fs.lstat(target).catch(() => undefined);
    if (existing && !existing.isFile()) throw checker.refuse(f.path, 'exists in the target folder and is not a regular file');

    const mode = f.executable ? 0o755 : 0o644;
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | (fsConstants.O_NOFOLLOW ?? 0);
    const fh = await fs.open(target, flags, mode);
    try {
      await fh.writeFile(f.data);
      await fh.chmod(mode);
    } finally {
      await fh.close();
    }
  }
}
