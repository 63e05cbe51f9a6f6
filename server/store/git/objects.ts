/**
 * Git object helpers over isomorphic-git: building nested trees from a flat file list, reading a
 * tree back into files, editing a tree by path (index), and reading one path.
 */
import git from 'isomorphic-git';
import { OhwError } from '../../../schema/errors.ts';
import type { PackageFile, Person } from '../ports.ts';
import { atomicFs } from './fs.ts';
import { treePathSegments } from './paths.ts';
import type { ObjectSink } from './pack-writer.ts';

export const fs = atomicFs;

export const MODE_FILE = '100644';
export const MODE_EXEC = '100755';
export const MODE_TREE = '040000';
/** `git hash-object -t tree /dev/null` */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Per-repo context: the gitdir and the isomorphic-git cache shared by every read of that repo. */
export interface RepoCtx {
  gitdir: string;
  cache: object;
}

export interface GitIdentity {
  name: string;
  email: string;
  timestamp: number;
  timezoneOffset: number;
}

/** Git stores seconds; we always write UTC (`+0000`). */
export function identity(p: Person, date: Date): GitIdentity {
  return { name: p.name, email: p.email, timestamp: Math.floor(date.getTime() / 1000), timezoneOffset: 0 };
}

export function personOf(id: { name: string; email: string }): Person {
  return { name: id.name, email: id.email };
}

export function isoOf(id: { timestamp: number }): string {
  return new Date(id.timestamp * 1000).toISOString();
}

export function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'NotFoundError';
}

interface DirNode {
  files: Map<string, { data: Uint8Array; executable: boolean }>;
  dirs: Map<string, DirNode>;
}

const newDir = (): DirNode => ({ files: new Map(), dirs: new Map() });

/**
 * Blobs and nested trees for a flat file list, into `sink` (encoded and hashed once, written later
 * as one pack); returns the root tree oid.
 * Paths are re-checked (no empty / `.` / `..` / `.git` segments, no duplicates, no path that is
 * both a file and a folder) → INVALID_ARCHIVE. Modes: 100755 when `executable`, else 100644.
 */
export function writePackageTree(sink: ObjectSink, files: PackageFile[]): string {
  if (files.length === 0) throw new OhwError('INVALID_ARCHIVE', 'the package has no files');
  const root = newDir();
  for (const f of files) {
    const segs = treePathSegments(f.path);
    if (!segs) throw new OhwError('INVALID_ARCHIVE', `invalid path in package: "${f.path}"`);
    let node = root;
    for (const s of segs.slice(0, -1)) {
      if (node.files.has(s)) throw new OhwError('INVALID_ARCHIVE', `"${f.path}": "${s}" is both a file and a folder`);
      let next = node.dirs.get(s);
      if (!next) node.dirs.set(s, (next = newDir()));
      node = next;
    }
    const leaf = segs[segs.length - 1] as string;
    if (node.files.has(leaf)) throw new OhwError('INVALID_ARCHIVE', `duplicate path in package: "${f.path}"`);
    if (node.dirs.has(leaf)) throw new OhwError('INVALID_ARCHIVE', `"${f.path}" is both a file and a folder`);
    node.files.set(leaf, { data: f.data, executable: f.executable === true });
  }
  return writeDir(sink, root);
}

function writeDir(sink: ObjectSink, node: DirNode): string {
  return sink.tree([
    ...[...node.files].map(([path, f]) => ({ mode: f.executable ? MODE_EXEC : MODE_FILE, path, oid: sink.blob(f.data) })),
    ...[...node.dirs].map(([path, d]) => ({ mode: MODE_TREE, path, oid: writeDir(sink, d) })),
  ]);
}

/** All regular files of a tree, recursively, sorted by path (symlinks/submodules are skipped). */
export async function readTreeFiles(ctx: RepoCtx, treeOid: string): Promise<PackageFile[]> {
  const out: PackageFile[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    const { tree } = await git.readTree({ fs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    await Promise.all(
      tree.map(async (e) => {
        const path = prefix + e.path;
        if (e.type === 'tree') return walk(e.oid, `${path}/`);
        if (e.type !== 'blob' || (e.mode !== MODE_FILE && e.mode !== MODE_EXEC)) return;
        const { blob } = await git.readBlob({ fs, gitdir: ctx.gitdir, oid: e.oid, cache: ctx.cache });
        out.push(e.mode === MODE_EXEC ? { path, data: blob, executable: true } : { path, data: blob });
      }),
    );
  };
  await walk(treeOid, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The blob entry at `path` inside a tree, or undefined (missing, a folder, or not a regular file). */
export async function lookupBlob(ctx: RepoCtx, treeOid: string, path: string): Promise<{ oid: string; mode: string } | undefined> {
  const segs = treePathSegments(path);
  if (!segs) return undefined;
  let oid = treeOid;
  for (let i = 0; i < segs.length; i++) {
    const { tree } = await git.readTree({ fs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    const e = tree.find((t) => t.path === segs[i]);
    if (!e) return undefined;
    const last = i === segs.length - 1;
    if (last) return e.type === 'blob' && (e.mode === MODE_FILE || e.mode === MODE_EXEC) ? { oid: e.oid, mode: e.mode } : undefined;
    if (e.type !== 'tree') return undefined;
    oid = e.oid;
  }
  return undefined;
}

export async function readBlobAt(ctx: RepoCtx, treeOid: string, path: string): Promise<Uint8Array | undefined> {
  const hit = await lookupBlob(ctx, treeOid, path);
  if (!hit) return undefined;
  return (await git.readBlob({ fs, gitdir: ctx.gitdir, oid: hit.oid, cache: ctx.cache })).blob;
}

/** One edit of a tree: set `path` to `data`, or delete it (`null`). */
export interface TreeEdit {
  segs: string[];
  data: Uint8Array | null;
}

/**
 * Apply edits to a tree (undefined = empty) and put the changed blobs and trees into `sink`,
 * bottom-up. Folders left empty disappear (git has no empty folders). Returns the new root tree
 * oid (EMPTY_TREE if empty). A path that runs through a file, or a file edit on a folder →
 * INVALID_REQUEST.
 */
export async function editTree(ctx: RepoCtx, sink: ObjectSink, base: string | undefined, edits: TreeEdit[]): Promise<string> {
  const oid = await editDir(ctx, sink, base, edits, '');
  return oid ?? sink.tree([]);
}

async function editDir(ctx: RepoCtx, sink: ObjectSink, base: string | undefined, edits: TreeEdit[], prefix: string): Promise<string | undefined> {
  const entries = new Map<string, { mode: string; path: string; oid: string; type: 'blob' | 'tree' | 'commit' }>();
  if (base && base !== EMPTY_TREE) {
    for (const e of (await git.readTree({ fs, gitdir: ctx.gitdir, oid: base, cache: ctx.cache })).tree) entries.set(e.path, e);
  }
  const groups = new Map<string, TreeEdit[]>();
  for (const ed of edits) {
    const head = ed.segs[0] as string;
    const g = groups.get(head);
    if (g) g.push(ed);
    else groups.set(head, [ed]);
  }
  for (const [name, group] of groups) {
    const here = `${prefix}${name}`;
    const existing = entries.get(name);
    const leaf = group.filter((g) => g.segs.length === 1);
    const deeper = group.filter((g) => g.segs.length > 1);
    if (leaf.length > 0 && deeper.length > 0) throw new OhwError('INVALID_REQUEST', `"${here}" is changed both as a file and as a folder`);
    const only = leaf[0];
    if (only) {
      if (existing && existing.type !== 'blob') throw new OhwError('INVALID_REQUEST', `"${here}" is a folder, not a file`);
      if (only.data === null) entries.delete(name);
      else entries.set(name, { mode: MODE_FILE, path: name, type: 'blob', oid: sink.blob(only.data) });
      continue;
    }
    if (existing && existing.type !== 'tree') throw new OhwError('INVALID_REQUEST', `"${here}" is a file, not a folder`);
    const sub = await editDir(ctx, sink, existing?.oid, deeper.map((d) => ({ segs: d.segs.slice(1), data: d.data })), `${here}/`);
    if (sub === undefined) entries.delete(name);
    else entries.set(name, { mode: MODE_TREE, path: name, type: 'tree', oid: sub });
  }
  if (entries.size === 0) return undefined;
  return sink.tree([...entries.values()].map((e) => ({ mode: e.mode, path: e.path, oid: e.oid })));
}
