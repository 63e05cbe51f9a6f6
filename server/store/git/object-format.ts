/**
 * Git's object encodings (blob, tree, commit, annotated tag), byte for byte what isomorphic-git's
 * writeTree / writeCommit / writeTag produce — every repo written before keeps the same shape,
 * and test/server/store/git/object-format.test.ts pins the equality. Objects are encoded and
 * hashed once here, in memory, and handed to the pack writer (pack-writer.ts).
 */
import { createHash } from 'node:crypto';
import type { GitIdentity } from './objects.ts';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  type: ObjectType;
  oid: string;
  /** The content without git's `<type> <size>\0` header. */
  content: Buffer;
}

export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
}

/** SHA-1 of `<type> <size>\0<content>`: the object id. */
export function hashObject(type: ObjectType, content: Uint8Array): string {
  return createHash('sha1').update(`${type} ${content.byteLength}\0`).update(content).digest('hex');
}

export function gitObject(type: ObjectType, content: Buffer): GitObject {
  return { type, oid: hashObject(type, content), content };
}

/**
 * Entries sorted as git sorts them: by UTF-8 bytes, a folder compared as if its name ended in
 * `/`. Mode without its leading zero (`40000`), then the name, NUL, the 20-byte id.
 */
export function encodeTree(entries: TreeEntry[]): Buffer {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.mode === '040000' ? `${e.path}/` : e.path, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(
    keyed.flatMap(({ e }) => [Buffer.from(`${e.mode.replace(/^0/, '')} ${e.path}\0`, 'utf8'), Buffer.from(e.oid, 'hex')]),
  );
}

function formatIdentity(p: GitIdentity): string {
  const minutes = Math.abs(p.timezoneOffset);
  // isomorphic-git stores the offset negated (minutes west); 0 is written `+0000`.
  const sign = p.timezoneOffset > 0 ? '-' : '+';
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${p.name} <${p.email}> ${p.timestamp} ${sign}${hh}${mm}`;
}

/** isomorphic-git's message normalization: no CR, no leading newlines, exactly one trailing newline. */
function normalizeMessage(message: string): string {
  return `${message.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}

export function encodeCommit(c: { tree: string; parent: string[]; author: GitIdentity; committer: GitIdentity; message: string }): Buffer {
  let text = `tree ${c.tree}\n`;
  for (const p of c.parent) text += `parent ${p}\n`;
  text += `author ${formatIdentity(c.author)}\ncommitter ${formatIdentity(c.committer)}\n\n${normalizeMessage(c.message)}`;
  return Buffer.from(text, 'utf8');
}

/** As isomorphic-git writes it: the message as given, then one more newline. */
export function encodeTag(t: { object: string; type: ObjectType; tag: string; tagger: GitIdentity; message: string }): Buffer {
  return Buffer.from(`object ${t.object}\ntype ${t.type}\ntag ${t.tag}\ntagger ${formatIdentity(t.tagger)}\n\n${t.message}\n`, 'utf8');
}
