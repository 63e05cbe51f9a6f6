/**
 * `DesignStore` over one bare git repository per design.
 *
 * Layout of `$dataDir/designs/<owner>/<name>.git` (HEAD → refs/heads/main = the highest release's commit):
 *
 *   refs/tags/v<semver>       annotated tag → commit → tree = the package files (100644/100755).
 *                             Tagger = publisher and date = publishedAt; message:
 *                                 ohw version <semver>
 *                                 <blank line>
 *                                 <VersionMeta as JSON>
 *                             The commit's parent is the commit of the highest version lower than
 *                             this one that existed when it was published (none for the first) —
 *                             so `git log v2.0.0` reads as the design's history. Informational only:
 *                             versions published concurrently from different processes may not
 *                             see each other. Tags are created once (CAS against the zero oid) and
 *                             never moved or deleted.
 *   refs/meta/registry        commit chain, each commit's tree = `state.json` (PackageState); one
 *                             commit per change, authored by the actor: the audit trail of owners,
 *                             yanks and lineage. Updated with CAS, retried on a lost race.
 *   refs/upstream/tags/v*     forks only: the upstream's tags at fork time. History (and every
 *                             object) is there and fetchable, but these are not versions of the fork
 *                             — a fork starts with no published versions of its own.
 *
 * Concurrency: one writer process per data dir is the deployment rule; inside it writes to a repo
 * go through a FIFO queue. Correctness across processes does not depend on that rule, only
 * efficiency: refs change only through `git update-ref` with an expected old value, objects are
 * content-addressed and written atomically (see fs.ts), objects written by a loser are dangling
 * garbage that `git gc` eventually prunes (`git fsck` does not count them as errors).
 */
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import semver from 'semver';
import { OhwError, isOhwError } from '../../../schema/errors.ts';
import type { DesignStore, PackageFile, PackageState, Person, PublishInput, VersionMeta, VersionRecord } from '../ports.ts';
import { designRepoPath, designsDir, isNameSegment } from './paths.ts';
import { fs, identity, isNotFound, isoOf, readBlobAt, readTreeFiles, writePackageTree, MODE_FILE, type RepoCtx } from './objects.ts';
import { casRef, readRef, runGit, ZERO_OID } from './real-git.ts';
import { RepoPool, backoff, conflict, createRepoAtomically, isRepo } from './repo.ts';

export const META_REF = 'refs/meta/registry';
/** How old a ref's change time must be before a cached answer keyed on it is trusted. */
const RACY_MARGIN_MS = 1000;
const STATE_FILE = 'state.json';
const CAS_ATTEMPTS = 25;

export interface GitDesignStoreOptions {
  dataDir: string;
  /** Run `git gc --auto` on a repo after every N writes to it by this process (0 = never). Default 20. */
  gcEvery?: number;
}

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
function isStoreVersion(v: string): boolean {
  if (typeof v !== 'string' || v.length > 256 || v.endsWith('.lock')) return false;
  const parsed = semver.parse(v);
  if (!parsed) return false;
  const canonical = parsed.build.length ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version;
  return canonical === v;
}

export class GitDesignStore implements DesignStore {
  private readonly dataDir: string;
  private readonly pool: RepoPool;
  /** Parsed version records by `gitdir \0 tag oid` — a tag object never changes. */
  private readonly records = new Map<string, VersionRecord>();
  /**
   * versions() and state() answers per repo, keyed by a stamp of the refs they come from. Refs
   * are loose (gc.packRefs=false) and every update renames a file into place, so one stat tells
   * whether anything changed, even when another process wrote. Reads are the hot path of the
   * API; without this each one re-walks tags and objects on disk.
   */
  private readonly answers = new Map<string, { stamp: string; value: Promise<unknown> }>();

  constructor(opts: GitDesignStoreOptions) {
    this.dataDir = resolve(opts.dataDir);
    this.pool = new RepoPool(opts.gcEvery ?? 20);
  }

  repoPath(pkg: string): string {
    return designRepoPath(this.dataDir, pkg);
  }

  async exists(pkg: string): Promise<boolean> {
    let path: string;
    try {
      path = this.repoPath(pkg);
    } catch {
      return false;
    }
    return isRepo(path);
  }

  async list(): Promise<string[]> {
    const out: string[] = [];
    const root = designsDir(this.dataDir);
    for (const owner of await readdirOrEmpty(root)) {
      if (!isNameSegment(owner)) continue;
      for (const entry of await readdirOrEmpty(join(root, owner))) {
        if (!entry.endsWith('.git')) continue;
        const name = entry.slice(0, -4);
        if (isNameSegment(name) && (await isRepo(join(root, owner, entry)))) out.push(`${owner}/${name}`);
      }
    }
    return out.sort();
  }

  async create(pkg: string, state: PackageState, actor: Person): Promise<void> {
    const gitdir = this.repoPath(pkg);
    await this.pool.queue.run(gitdir, async () => {
      const created = await createRepoAtomically(gitdir, async (tmp) => {
        const ctx: RepoCtx = { gitdir: tmp, cache: {} };
        const commit = await writeStateCommit(ctx, state, undefined, actor, `Create ${pkg}`);
        await mustCas(tmp, META_REF, commit, undefined, `create ${pkg}`);
      });
      if (!created) throw new OhwError('NAME_TAKEN', `${pkg} already exists`);
    });
  }

  async fork(from: string, to: string, state: PackageState, actor: Person): Promise<void> {
    const source = await this.existingRepo(from);
    const gitdir = this.repoPath(to);
    await this.pool.queue.run(gitdir, async () => {
      const created = await createRepoAtomically(gitdir, async (tmp) => {
        // Every object reachable from the upstream's versions, packed by git itself.
        await runGit(tmp, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', source, '+refs/tags/*:refs/upstream/tags/*']);
        const ctx: RepoCtx = { gitdir: tmp, cache: {} };
        const commit = await writeStateCommit(ctx, state, undefined, actor, `Fork ${from} as ${to}`);
        await mustCas(tmp, META_REF, commit, undefined, `fork ${from}`);
      });
      if (!created) throw new OhwError('NAME_TAKEN', `${to} already exists`);
    });
  }

  async publish(pkg: string, input: PublishInput): Promise<VersionRecord> {
    const { version } = input;
    if (!isStoreVersion(version)) throw new OhwError('INVALID_REQUEST', `"${String(version).slice(0, 80)}" is not a valid semver version`);
    const gitdir = await this.existingRepo(pkg);
    const exists = () => new OhwError('VERSION_EXISTS', `version ${version} of ${pkg} already exists`);
    return this.pool.queue.run(gitdir, async () => {
      const existing = await this.versions(pkg);
      // semver.compare ignores build metadata: 1.0.0+b is the same version as 1.0.0 (as in cargo/npm).
      if (existing.some((r) => semver.compare(r.version, version) === 0)) throw exists();
      // A fork's first version continues the upstream's history from the fork point, so
      // `git log` on a fork reaches the designs it came from.
      const parentCommit = existing.filter((r) => semver.lt(r.version, version)).at(-1)?.commit ?? (await this.forkPointCommit(pkg));
      const meta = JSON.parse(JSON.stringify(input.meta)) as VersionMeta;
      const ctx = this.pool.ctx(gitdir);
      const who = identity(input.author, input.date);
      const tree = await writePackageTree(ctx, input.files);
      const commit = await git.writeCommit({
        fs,
        gitdir,
        commit: { message: ensureNewline(input.message), tree, parent: parentCommit ? [parentCommit] : [], author: who, committer: who },
      });
      const tag = await git.writeTag({
        fs,
        gitdir,
        tag: { object: commit, type: 'commit', tag: `v${version}`, tagger: who, message: tagMessage(version, meta) },
      });
      // The one visible step: compare-and-swap against "does not exist".
      const cas = await casRef(gitdir, `refs/tags/v${version}`, tag, ZERO_OID, `publish ${version}`);
      if (!cas.ok) {
        if (cas.current !== undefined) throw exists();
        throw new OhwError('CONFLICT', `could not create version ${version} of ${pkg}, try again`, { details: { git: cas.reason } });
      }
      // `main` follows the highest release so a plain `git clone` checks out the newest design;
      // it is a convenience ref (tags are the versions), so a lost update is harmless.
      const releases = [...existing.map((r) => r.version), version].filter((v) => !semver.prerelease(v));
      if (!semver.prerelease(version) && semver.maxSatisfying(releases, '*') === version) {
        // A transaction prints `start: ok`/`commit: ok`; simple-git waits ~50 ms on silent commands.
        await runGit(gitdir, ['update-ref', '--stdin'], `start\nupdate refs/heads/main ${commit}\ncommit\n`).catch(() => undefined);
      }
      this.pool.afterWrite(gitdir);
      const record: VersionRecord = { version, tag, commit, tree, publishedAt: isoOf(who), meta };
      this.records.set(`${gitdir}\0${tag}`, record);
      return structuredClone(record);
    });
  }

  private async forkPointCommit(pkg: string): Promise<string | undefined> {
    const forkOf = (await this.state(pkg)).forkOf;
    if (!forkOf) return undefined;
    return readRef(this.repoPath(pkg), `refs/upstream/tags/v${forkOf.version}^{commit}`).catch(() => undefined);
  }

  async versions(pkg: string): Promise<VersionRecord[]> {
    const gitdir = await this.existingRepo(pkg);
    const list = await this.remembered(gitdir, 'versions', join(gitdir, 'refs', 'tags'), () => this.readVersions(gitdir));
    return list.map((r) => structuredClone(r));
  }

  private readVersions(gitdir: string): Promise<VersionRecord[]> {
    return this.pool.read(gitdir, async (ctx) => {
      const names = (await git.listRefs({ fs, gitdir, filepath: 'refs/tags' })).filter(
        (n) => n.startsWith('v') && isStoreVersion(n.slice(1)),
      );
      const records = await Promise.all(names.map((n) => this.loadRecord(ctx, n.slice(1))));
      return records
        .filter((r): r is VersionRecord => r !== undefined)
        .sort((a, b) => semver.compare(a.version, b.version) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    });
  }

  async version(pkg: string, version: string): Promise<VersionRecord | undefined> {
    const gitdir = await this.existingRepo(pkg);
    if (!isStoreVersion(version)) return undefined;
    return this.pool.read(gitdir, (ctx) => this.loadRecord(ctx, version));
  }

  async readFiles(pkg: string, version: string): Promise<PackageFile[]> {
    const rec = await this.requireVersion(pkg, version);
    return this.pool.read(this.repoPath(pkg), (ctx) => readTreeFiles(ctx, rec.tree));
  }

  async readFile(pkg: string, version: string, path: string): Promise<Uint8Array | undefined> {
    const rec = await this.requireVersion(pkg, version);
    return this.pool.read(this.repoPath(pkg), (ctx) => readBlobAt(ctx, rec.tree, path));
  }

  async state(pkg: string): Promise<PackageState> {
    const gitdir = await this.existingRepo(pkg);
    const state = await this.remembered(gitdir, 'state', join(gitdir, META_REF), async () =>
      (await this.pool.read(gitdir, (ctx) => readState(ctx, pkg))).state);
    return structuredClone(state);
  }

  /** The cached answer while the stamp of `watched` is unchanged; recomputed otherwise. */
  private async remembered<T>(gitdir: string, what: string, watched: string, compute: () => Promise<T>): Promise<T> {
    const st = await fsp.stat(watched, { bigint: true }).catch(() => undefined);
    const key = `${gitdir}\0${what}`;
    // File times move in coarse ticks: a second update within one tick would keep the stamp.
    // Like git's "racy" index entries, a stamp younger than the margin is not trusted.
    const racy = st !== undefined && Date.now() - Number(st.ctimeNs / 1_000_000n) < RACY_MARGIN_MS;
    if (racy) {
      this.answers.delete(key);
      return compute();
    }
    const stamp = st ? `${st.ino}:${st.mtimeNs}:${st.ctimeNs}:${st.size}` : 'none';
    const hit = this.answers.get(key);
    if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
    const value = compute();
    this.answers.set(key, { stamp, value });
    value.catch(() => this.answers.delete(key));
    if (this.answers.size > 20_000) this.answers.clear();
    return value;
  }

  /**
   * Apply `change` to the current state and record it as a commit by `actor`. `change` may run
   * more than once (when another process changed the state in between) so it must be a pure
   * function of its argument; it may throw (e.g. FORBIDDEN) to abort. A change that leaves the
   * state identical writes no commit.
   */
  async updateState(pkg: string, change: (s: PackageState) => PackageState, actor: Person, message: string): Promise<PackageState> {
    const gitdir = await this.existingRepo(pkg);
    return this.pool.queue.run(gitdir, async () => {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const ctx = this.pool.ctx(gitdir);
        const { head, state } = await readState(ctx, pkg);
        const next = change(structuredClone(state));
        if (JSON.stringify(next) === JSON.stringify(state)) return next;
        const commit = await writeStateCommit(ctx, next, head, actor, message);
        const cas = await casRef(gitdir, META_REF, commit, head, firstLine(message));
        if (cas.ok) {
          this.pool.afterWrite(gitdir);
          return structuredClone(next);
        }
        await backoff(attempt);
      }
      throw conflict(`state of ${pkg}`);
    });
  }

  /**
   * Queue a `git gc --auto` on the repo now (it also runs by itself every `gcEvery` writes);
   * `full: true` runs a plain `git gc` (repack everything; prunes only objects older than 2 weeks).
   */
  async maintain(pkg: string, opts: { full?: boolean } = {}): Promise<void> {
    await this.pool.gc(await this.existingRepo(pkg), opts.full === true);
  }

  /** Resolves when all queued writes and maintenance of this store instance have finished. */
  idle(): Promise<void> {
    return this.pool.idle();
  }

  private async existingRepo(pkg: string): Promise<string> {
    let gitdir: string;
    try {
      gitdir = this.repoPath(pkg);
    } catch (e) {
      if (isOhwError(e)) throw new OhwError('NOT_FOUND', `package ${String(pkg).slice(0, 140)} not found`);
      throw e;
    }
    if (!(await isRepo(gitdir))) throw new OhwError('NOT_FOUND', `package ${pkg} not found`);
    return gitdir;
  }

  private async requireVersion(pkg: string, version: string): Promise<VersionRecord> {
    const rec = await this.version(pkg, version);
    if (!rec) throw new OhwError('NOT_FOUND', `version ${String(version).slice(0, 80)} of ${pkg} not found`);
    return rec;
  }

  private async loadRecord(ctx: RepoCtx, version: string): Promise<VersionRecord | undefined> {
    let tagOid: string;
    try {
      tagOid = await git.resolveRef({ fs, gitdir: ctx.gitdir, ref: `refs/tags/v${version}` });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const key = `${ctx.gitdir}\0${tagOid}`;
    let rec = this.records.get(key);
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
      if (this.records.size > 100_000) this.records.clear();
      this.records.set(key, rec);
    }
    return structuredClone(rec);
  }
}

async function readState(ctx: RepoCtx, pkg: string): Promise<{ head: string; state: PackageState }> {
  let head: string;
  try {
    head = await git.resolveRef({ fs, gitdir: ctx.gitdir, ref: META_REF });
  } catch (e) {
    if (isNotFound(e)) throw new OhwError('INTERNAL', `${pkg} has no registry state (${META_REF} is missing)`);
    throw e;
  }
  const { commit } = await git.readCommit({ fs, gitdir: ctx.gitdir, oid: head, cache: ctx.cache });
  const data = await readBlobAt(ctx, commit.tree, STATE_FILE);
  if (!data) throw new OhwError('INTERNAL', `${pkg}: ${STATE_FILE} is missing from ${META_REF}`);
  return { head, state: JSON.parse(new TextDecoder().decode(data)) as PackageState };
}

async function writeStateCommit(ctx: RepoCtx, state: PackageState, parent: string | undefined, actor: Person, message: string): Promise<string> {
  const blob = await git.writeBlob({ fs, gitdir: ctx.gitdir, blob: new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`) });
  const tree = await git.writeTree({ fs, gitdir: ctx.gitdir, tree: [{ mode: MODE_FILE, path: STATE_FILE, oid: blob, type: 'blob' }] });
  const who = identity(actor, new Date());
  return git.writeCommit({
    fs,
    gitdir: ctx.gitdir,
    commit: { message: ensureNewline(message), tree, parent: parent ? [parent] : [], author: who, committer: who },
  });
}

async function mustCas(gitdir: string, ref: string, oid: string, expected: string | undefined, message: string): Promise<void> {
  const cas = await casRef(gitdir, ref, oid, expected ?? ZERO_OID, message);
  if (!cas.ok) throw new OhwError('INTERNAL', `could not set ${ref}`, { details: { git: cas.reason } });
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200) || 'update';
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}

