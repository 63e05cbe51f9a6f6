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
 *                             never moved or deleted. (version-tags.ts)
 *   refs/meta/registry        commit chain, each commit's tree = `state.json` (PackageState); one
 *                             commit per change, authored by the actor. (state-ref.ts)
 *   refs/upstream/tags/v*     forks only: the upstream's tags at fork time. History (and every
 *                             object) is there and fetchable, but these are not versions of the fork.
 *
 * Writes: a publish encodes and hashes its blobs, trees, commit and tag once, in memory, writes
 * them as ONE pack (pack-writer.ts) and then moves the refs in one `update-ref` transaction
 * (repo.ts writeObjectsAndRefs): the tag by compare-and-swap against "does not exist", `main`
 * along with it. A lost race deletes its pack. With `fsync` (the default) the pack, the refs and
 * their folders are on disk before a publish resolves. Once a repo's writes pause, it is made one
 * pack with a bitmap (geometric roll-ups above 64 MiB), so a clone streams a pack as it is
 * (repo.ts RepoPool).
 *
 * Concurrency: one writer process per data dir is the deployment rule; inside it writes to a repo
 * go through a FIFO queue. Correctness across processes does not depend on that rule: refs change
 * only through `git update-ref` with an expected old value, packs appear atomically (rename).
 *
 * Damage: a repo whose objects cannot be read is reported as INTEGRITY naming the design (and
 * remembered, so later requests answer at once); the other designs are unaffected. `markDamaged`
 * lets the start-up check (fsck.ts) report what it found.
 */
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { OhwError, isOhwError } from '../../../schema/errors.ts';
import type { DesignStore, PackageFile, PackageState, Person, PublishInput, VersionMeta, VersionRecord } from '../ports.ts';
import { AnswerCache } from './answer-cache.ts';
import { designRepoPath, designsDir, isNameSegment } from './paths.ts';
import { identity, isoOf, readBlobAt, readTreeFiles, writePackageTree, type RepoCtx } from './objects.ts';
import { PackBuilder } from './pack-writer.ts';
import { readRef, runGit, ZERO_OID } from './real-git.ts';
import { RepoPool, backoff, conflict, createRepoAtomically, isRepo, writeObjectsAndRefs } from './repo.ts';
import { META_REF, ensureNewline, firstLine, readState, stateCommit } from './state-ref.ts';
import { VersionRecords, compareVersions, isStoreVersion, tagMessage } from './version-tags.ts';

export { META_REF } from './state-ref.ts';
export { tagMessage, parseTagMessage } from './version-tags.ts';

const CAS_ATTEMPTS = 25;

/** The cached answers of a repo: each one's key, and the ref file (or folder) whose stamp it follows. */
const versionsAnswer = (gitdir: string) => [`${gitdir}\0versions`, join(gitdir, 'refs', 'tags')] as const;
const stateAnswer = (gitdir: string) => [`${gitdir}\0state`, join(gitdir, META_REF)] as const;

export interface GitDesignStoreOptions {
  dataDir: string;
  /** Queue a repack once a repo holds more than N packs (0 = never). Default 4. */
  gcEvery?: number;
  /** Flush objects and refs to disk before a write resolves (power-loss durability). Default true. */
  fsync?: boolean;
}

export class GitDesignStore implements DesignStore {
  private readonly dataDir: string;
  private readonly pool: RepoPool;
  private readonly records = new VersionRecords();
  private readonly answers = new AnswerCache();
  /** Designs whose repository was found damaged, with what was found (for the operator's log). */
  private readonly damaged = new Map<string, string>();

  constructor(opts: GitDesignStoreOptions) {
    this.dataDir = resolve(opts.dataDir);
    this.pool = new RepoPool(opts.gcEvery ?? 4, opts.fsync ?? true);
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
    const found = await isRepo(path);
    if (found) this.assertIntact(pkg);
    return found;
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

  /** Record that `pkg`'s repository is damaged: from now on it answers INTEGRITY. */
  markDamaged(pkg: string, what: string): void {
    this.damaged.set(pkg, what);
  }

  /** The damaged designs found so far, with what was found. */
  damagedDesigns(): Map<string, string> {
    return new Map(this.damaged);
  }

  async create(pkg: string, state: PackageState, actor: Person): Promise<void> {
    const gitdir = this.repoPath(pkg);
    await this.pool.queue.run(gitdir, async () => {
      const created = await createRepoAtomically(gitdir, async (tmp) => {
        const objects = new PackBuilder();
        const commit = stateCommit(objects, state, undefined, actor, `Create ${pkg}`);
        await this.mustWrite(tmp, objects, META_REF, commit, `create ${pkg}`);
      }, { fsync: this.pool.fsync });
      if (!created) throw new OhwError('NAME_TAKEN', `${pkg} already exists`);
      await this.primeNew(gitdir, state);
    });
  }

  async fork(from: string, to: string, state: PackageState, actor: Person): Promise<void> {
    const source = await this.existingRepo(from);
    const gitdir = this.repoPath(to);
    await this.pool.queue.run(gitdir, async () => {
      const created = await createRepoAtomically(gitdir, async (tmp) => {
        // Every object reachable from the upstream's versions, packed by git itself.
        await runGit(tmp, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', source, '+refs/tags/*:refs/upstream/tags/*'], undefined, { fsync: this.pool.fsync });
        const objects = new PackBuilder();
        const commit = stateCommit(objects, state, undefined, actor, `Fork ${from} as ${to}`);
        await this.mustWrite(tmp, objects, META_REF, commit, `fork ${from}`);
      }, { fsync: this.pool.fsync });
      if (!created) throw new OhwError('NAME_TAKEN', `${to} already exists`);
      await this.primeNew(gitdir, state);
    });
  }

  /** A repo this process just created: its state and its (no) versions are known without reading. */
  private async primeNew(gitdir: string, state: PackageState): Promise<void> {
    await this.answers.prime(...stateAnswer(gitdir), structuredClone(state));
    await this.answers.prime(...versionsAnswer(gitdir), []);
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
      const who = identity(input.author, input.date);
      const objects = new PackBuilder();
      const tree = writePackageTree(objects, input.files);
      const commit = objects.commit({ message: ensureNewline(input.message), tree, parent: parentCommit ? [parentCommit] : [], author: who, committer: who });
      const tag = objects.tag({ object: commit, type: 'commit', tag: `v${version}`, tagger: who, message: tagMessage(version, meta) });
      // `main` follows the highest release so a plain `git clone` checks out the newest design;
      // it moves in the same transaction as the tag (unconditionally: it is a convenience ref).
      const releases = [...existing.map((r) => r.version), version].filter((v) => !semver.prerelease(v));
      const moveMain = !semver.prerelease(version) && semver.maxSatisfying(releases, '*') === version;
      const updates = [{ ref: `refs/tags/v${version}`, newOid: tag, expected: ZERO_OID }, ...(moveMain ? [{ ref: 'refs/heads/main', newOid: commit }] : [])];
      // The one visible step: the tag is created by compare-and-swap against "does not exist".
      const result = await writeObjectsAndRefs(gitdir, objects, updates, `publish ${version}`, { fsync: this.pool.fsync });
      if (!result.ok) {
        if ((await readRef(gitdir, `refs/tags/v${version}`)) !== undefined) throw exists();
        throw new OhwError('CONFLICT', `could not create version ${version} of ${pkg}, try again`, { details: { git: result.reason } });
      }
      this.pool.afterWrite(gitdir);
      const record: VersionRecord = { version, tag, commit, tree, publishedAt: isoOf(who), meta };
      this.records.remember(gitdir, record);
      const list = [...existing, record].sort((a, b) => compareVersions(a.version, b.version));
      await this.answers.prime(...versionsAnswer(gitdir), list);
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
    const list = await this.answers.get(...versionsAnswer(gitdir), () => this.read(pkg, gitdir, (ctx) => this.records.list(ctx)));
    return list.map((r) => structuredClone(r));
  }

  async version(pkg: string, version: string): Promise<VersionRecord | undefined> {
    const gitdir = await this.existingRepo(pkg);
    if (!isStoreVersion(version)) return undefined;
    return this.read(pkg, gitdir, (ctx) => this.records.load(ctx, version));
  }

  async readFiles(pkg: string, version: string): Promise<PackageFile[]> {
    const rec = await this.requireVersion(pkg, version);
    return this.read(pkg, this.repoPath(pkg), (ctx) => readTreeFiles(ctx, rec.tree));
  }

  async readFile(pkg: string, version: string, path: string): Promise<Uint8Array | undefined> {
    const rec = await this.requireVersion(pkg, version);
    return this.read(pkg, this.repoPath(pkg), (ctx) => readBlobAt(ctx, rec.tree, path));
  }

  async state(pkg: string): Promise<PackageState> {
    const gitdir = await this.existingRepo(pkg);
    const state = await this.answers.get(...stateAnswer(gitdir), async () =>
      (await this.read(pkg, gitdir, (ctx) => readState(ctx, pkg))).state);
    return structuredClone(state);
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
        const { head, state } = await this.read(pkg, gitdir, (ctx) => readState(ctx, pkg));
        const next = change(structuredClone(state));
        if (JSON.stringify(next) === JSON.stringify(state)) return next;
        const objects = new PackBuilder();
        const commit = stateCommit(objects, next, head, actor, message);
        const result = await writeObjectsAndRefs(gitdir, objects, [{ ref: META_REF, newOid: commit, expected: head }], firstLine(message), { fsync: this.pool.fsync });
        if (result.ok) {
          this.pool.afterWrite(gitdir);
          await this.answers.prime(...stateAnswer(gitdir), structuredClone(next));
          return structuredClone(next);
        }
        await backoff(attempt);
      }
      throw conflict(`state of ${pkg}`);
    });
  }

  /**
   * Repack the repo now (it also happens by itself behind writes); `full: true` runs a plain
   * `git gc` (everything into one pack; prunes only objects older than 2 weeks).
   */
  async maintain(pkg: string, opts: { full?: boolean } = {}): Promise<void> {
    const gitdir = await this.existingRepo(pkg);
    await (opts.full ? this.pool.gc(gitdir, true) : this.pool.repack(gitdir));
  }

  /** Resolves when all queued writes and maintenance of this store instance have finished. */
  idle(): Promise<void> {
    return this.pool.idle();
  }

  private assertIntact(pkg: string): void {
    if (this.damaged.has(pkg)) {
      throw new OhwError('INTEGRITY', `the repository of ${pkg} is damaged and cannot be read; the operator has been told (npm run fsck). Other designs are not affected`);
    }
  }

  /** A read of `pkg`'s repo; an unreadable object (after one retry with a fresh cache) → INTEGRITY. */
  private async read<T>(pkg: string, gitdir: string, fn: (ctx: RepoCtx) => Promise<T>): Promise<T> {
    try {
      return await this.pool.read(gitdir, fn);
    } catch (e) {
      if (isOhwError(e) || isSystemError(e)) throw e;
      this.markDamaged(pkg, e instanceof Error ? e.message : String(e));
      this.assertIntact(pkg);
      throw e;
    }
  }

  private async mustWrite(gitdir: string, objects: PackBuilder, ref: string, oid: string, message: string): Promise<void> {
    const result = await writeObjectsAndRefs(gitdir, objects, [{ ref, newOid: oid, expected: ZERO_OID }], message, { fsync: this.pool.fsync });
    if (!result.ok) throw new OhwError('INTERNAL', `could not set ${ref}`, { details: { git: result.reason } });
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
    this.assertIntact(pkg);
    return gitdir;
  }

  private async requireVersion(pkg: string, version: string): Promise<VersionRecord> {
    const rec = await this.version(pkg, version);
    if (!rec) throw new OhwError('NOT_FOUND', `version ${String(version).slice(0, 80)} of ${pkg} not found`);
    return rec;
  }
}

/** Errors of the machine rather than of the repo's bytes (no file handles, no permission, full disk…). */
function isSystemError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOENT';
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}
