/**
 * A design's versions as git tags: `refs/tags/v<semver>` → annotated tag → commit → tree.
 * The tag message is the version record (first line, blank line, the VersionMeta as JSON); tag
 * objects never change, so parsed records are kept per tag id.
 */
import git from 'isomorphic-git';
import semver from 'semver';
import { OhwError } from '../../../schema/errors.ts';
import type { VersionMeta, VersionRecord } from '../ports.ts';
import { fs, isNotFound, isoOf, type RepoCtx } from './objects.ts';

/** Tag message: first line, blank line, the meta as JSON. */
export function tagMessage(version: string, meta: VersionMeta): string {
  return `ohw version ${version}\n\n${JSON.stringify(meta, null, 2)}\n`;
}

export function parseTagMessage(message: string): VersionMeta {
  const at = message.indexOf('\n\n');
  if (!message.startsWith('ohw version ') || at < 0) throw new Error('not an ohw version tag');
  return JSON.parse(message.slice(at + 2)) as VersionMeta;
}

/** Canonical semver only (`1.2.0`, `2.0.0-rc.1`), usable as a ref name. */
export function isStoreVersion(v: string): boolean {
  if (typeof v !== 'string' || v.length > 256 || v.endsWith('.lock')) return false;
  const parsed = semver.parse(v);
  if (!parsed) return false;
  const canonical = parsed.build.length ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version;
  return canonical === v;
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Version records read from tags, remembered by `gitdir \0 tag oid` (a tag object never changes). */
export class VersionRecords {
  private readonly records = new Map<string, VersionRecord>();

  remember(gitdir: string, record: VersionRecord): void {
    if (this.records.size > 100_000) this.records.clear();
    this.records.set(`${gitdir}\0${record.tag}`, record);
  }

  async load(ctx: RepoCtx, version: string): Promise<VersionRecord | undefined> {
    let tagOid: string;
    try {
      tagOid = await git.resolveRef({ fs, gitdir: ctx.gitdir, ref: `refs/tags/v${version}` });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    let rec = this.records.get(`${ctx.gitdir}\0${tagOid}`);
    if (!rec) {
      const { tag } = await git.readTag({ fs, gitdir: ctx.gitdir, oid: tagOid, cache: ctx.cache });
      if (tag.type !== 'commit' || tag.tag !== `v${version}`) {
        throw new OhwError('INTERNAL', `tag v${version} of ${ctx.gitdir} is not a version tag`);
      }
      let meta: VersionMeta;
      try {
        meta = parseTagMessage(tag.message);
      } catch {
        throw new OhwError('INTERNAL', `tag v${version} has an unreadable version record`);
      }
      const { commit } = await git.readCommit({ fs, gitdir: ctx.gitdir, oid: tag.object, cache: ctx.cache });
      rec = { version, tag: tagOid, commit: tag.object, tree: commit.tree, publishedAt: isoOf(tag.tagger), meta };
      this.remember(ctx.gitdir, rec);
    }
    return structuredClone(rec);
  }

  async list(ctx: RepoCtx): Promise<VersionRecord[]> {
    const names = (await git.listRefs({ fs, gitdir: ctx.gitdir, filepath: 'refs/tags' })).filter((n) => n.startsWith('v') && isStoreVersion(n.slice(1)));
    const records = await Promise.all(names.map((n) => this.load(ctx, n.slice(1))));
    return records.filter((r): r is VersionRecord => r !== undefined).sort((a, b) => compareVersions(a.version, b.version));
  }
}
