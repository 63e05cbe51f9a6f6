/**
 * Where things live under the data dir. Every path that contains a package name is built here,
 * from segments re-checked against the SPEC §1 name rule — raw input is never joined into a path,
 * even though callers are expected to have validated names already (defence in depth).
 */
import { join } from 'node:path';
import { OhwError } from '../../../schema/errors.ts';

const SEGMENT = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_SEGMENT = 64;

export function isNameSegment(s: string): boolean {
  return s.length >= 1 && s.length <= MAX_SEGMENT && SEGMENT.test(s);
}

/** Split and re-check `owner/name`. Throws INVALID_REQUEST for anything that is not a package name. */
export function parsePackageName(pkg: string): { owner: string; name: string } {
  const parts = typeof pkg === 'string' ? pkg.split('/') : [];
  const [owner, name] = parts;
  if (parts.length !== 2 || owner === undefined || name === undefined || !isNameSegment(owner) || !isNameSegment(name)) {
    throw new OhwError('INVALID_REQUEST', `"${String(pkg).slice(0, 140)}" is not a package name (expected owner/name, lowercase letters, digits and single dashes)`);
  }
  return { owner, name };
}

export function designsDir(dataDir: string): string {
  return join(dataDir, 'designs');
}

/** `$dataDir/designs/<owner>/<name>.git` */
export function designRepoPath(dataDir: string, pkg: string): string {
  const { owner, name } = parsePackageName(pkg);
  return join(designsDir(dataDir), owner, `${name}.git`);
}

/** `$dataDir/index.git` */
export function indexRepoPath(dataDir: string): string {
  return join(dataDir, 'index.git');
}

/**
 * A path inside a git tree (package file or index file): `/`-separated, no empty, `.`, `..` or
 * `.git` (any case) segments, no NUL. Returns the segments or undefined.
 */
export function treePathSegments(path: string): string[] | undefined {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) return undefined;
  const segs = path.split('/');
  for (const s of segs) {
    if (s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git') return undefined;
  }
  return segs;
}
