/**
 * Ports of the storage layer. Adapters (git, accounts on disk) implement these and are handed to
 * services through `deps`; tests run one contract suite per port.
 */

import type { PackageFile } from '../../schema/package-file.ts';
import type { Manifest } from '../../schema/types.ts';
import type { IndexEntry } from '../../schema/bom/where-used.ts';
import type { SearchDocument } from '../domain/search-document.ts';

export type { PackageFile };

export interface Person { name: string; email: string }

/** What the registry stores with each published version (in the annotated tag's message, as JSON). */
export interface VersionMeta {
  checksum: string;
  publisher: string;
  /** Commit of the designer's own git working tree, when published from one. */
  sourceCommit?: string;
  /** Resolved sub-assembly tree at publish time: `owner/name` → exact version, direct deps. */
  dependencies?: Array<{ package: string; range: string; version: string }>;
  /** Licences as declared in the manifest, so the index can be regenerated from tags alone. */
  license?: { hardware: string; documentation: string; software?: string };
}

export interface VersionRecord {
  version: string;
  /** Object id of the annotated tag (what a certificate binds to). */
  tag: string;
  commit: string;
  tree: string;
  publishedAt: string;
  meta: VersionMeta;
}

/** Mutable registry state of one package, kept as a commit chain on `refs/meta/registry`. */
export interface PackageState {
  owners: string[];
  yanked: Record<string, { at: string; by: string; reason?: string }>;
  forkOf?: { package: string; version: string; at: string; by: string };
  /** Hidden from search and browse by an admin at the licensor's request; kept in git. */
  delisted?: { at: string; by: string; reason?: string };
  createdAt: string;
}

export interface PublishInput {
  version: string;
  files: PackageFile[];
  meta: VersionMeta;
  author: Person;
  message: string;
  /** Timestamp used for commit and tag (seconds precision in git). */
  date: Date;
}

export interface DesignStore {
  /** Absolute path of the bare repository (for `git http-backend`); name already validated. */
  repoPath(pkg: string): string;
  exists(pkg: string): Promise<boolean>;
  /** All packages, `owner/name`, sorted. */
  list(): Promise<string[]>;
  /** Create the bare repo and its initial state. NAME_TAKEN if it exists. */
  create(pkg: string, state: PackageState, actor: Person): Promise<void>;
  /**
   * Write the version's objects and create `refs/tags/v<version>` with compare-and-swap against the
   * zero oid. VERSION_EXISTS when the tag exists (whatever the bytes). Nothing is visible before
   * the ref is created.
   */
  publish(pkg: string, input: PublishInput): Promise<VersionRecord>;
  versions(pkg: string): Promise<VersionRecord[]>;
  version(pkg: string, version: string): Promise<VersionRecord | undefined>;
  readFiles(pkg: string, version: string): Promise<PackageFile[]>;
  readFile(pkg: string, version: string, path: string): Promise<Uint8Array | undefined>;
  /** Current state; `update` applies a change as a new commit on the meta ref (CAS, retried). */
  state(pkg: string): Promise<PackageState>;
  updateState(pkg: string, change: (s: PackageState) => PackageState, actor: Person, message: string): Promise<PackageState>;
  /** Copy all objects, tags and history of `from` into a new repo `to` (fork). */
  fork(from: string, to: string, state: PackageState, actor: Person): Promise<void>;
}

export type Scope = 'publish' | 'review' | 'admin';
export type Role = 'reviewer' | 'admin';

export interface Account {
  name: string;
  email: string;
  roles: Role[];
  createdAt: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt?: string;
}

export interface AccountStore {
  /** NAME_TAKEN if the name (lowercased) exists. Password stored as a scrypt hash only. */
  create(input: { name: string; email: string; password: string; roles?: Role[] }): Promise<Account>;
  /** A new account with its first token, atomically: never an account without its token. */
  register(input: { name: string; email: string; password: string }, token: { name: string; scopes: Scope[] }): Promise<{ account: Account; token: string; info: TokenInfo }>;
  get(name: string): Promise<Account | undefined>;
  /** undefined when the account does not exist or the password is wrong (same timing path). */
  verifyPassword(name: string, password: string): Promise<Account | undefined>;
  /** Returns the plaintext token once; only its hash is stored. */
  issueToken(account: string, input: { name: string; scopes: Scope[] }): Promise<{ token: string; info: TokenInfo }>;
  authenticate(token: string): Promise<{ account: Account; token: TokenInfo } | undefined>;
  revokeToken(account: string, id: string): Promise<void>;
  /** Revoke whichever live token this string is (one found in published content); undefined if none. */
  revokeTokenString(token: string): Promise<{ account: string; id: string } | undefined>;
  listTokens(account: string): Promise<TokenInfo[]>;
  setRoles(name: string, roles: Role[]): Promise<Account>;
}

export interface IndexChange { path: string; content: string | null }

export interface IndexCommit {
  commit: string;
  author: Person;
  date: string;
  message: string;
  content: string | undefined;
}

/** `index.git`: derived registry metadata plus the append-only certification records. */
export interface IndexStore {
  init(): Promise<void>;
  /** One commit with all changes (CAS on the branch, serialized); no-op returns the current head. */
  commit(changes: IndexChange[], author: Person, message: string): Promise<string>;
  read(path: string): Promise<string | undefined>;
  list(prefix: string): Promise<string[]>;
  history(path: string): Promise<IndexCommit[]>;
  head(): Promise<string | undefined>;
  /** Paths that differ between commit `from` and the head; undefined when `from` is not in the history. */
  changedSince(from: string): Promise<string[] | undefined>;
  repoPath(): string;
}

/** One file of a published version, as reads show it. */
export interface FileEntry { path: string; size: number; sha256: string; executable: boolean }

/** What a version read needs, computed once at publish (DESIGN "Data on disk"). */
export interface VersionSummary {
  pkg: string;
  record: VersionRecord;
  manifest: Manifest;
  files: FileEntry[];
}

export interface DerivedPackage {
  pkg: string;
  /** The package read, as sent. */
  packageJson: unknown;
  searchDoc: SearchDocument | null;
  latest: string | null;
  /** Versions yanked now (flags the dependency edges for where-used). */
  yanked: string[];
  /** The upstream, for a fork. */
  forkOf: string | null;
}

/**
 * Derived state in the operational database: written in the step that acknowledges a change,
 * rebuilt from git by `npm run rebuild`. `pending` journals designs whose git truth moved before
 * their rows caught up (a crash in between); the start replays them.
 */
export interface DerivedStore {
  version(pkg: string, version: string): Promise<VersionSummary | undefined>;
  /** Versions of `pkg` that already have a summary. */
  storedVersions(pkg: string): Promise<Set<string>>;
  /** The stored package read, as JSON text. */
  packageJson(pkg: string): Promise<string | undefined>;
  /** One transaction: new summaries, the package row, the dependency edges; clears `pkg`'s pending mark. */
  save(pkg: DerivedPackage, newVersions: VersionSummary[], watermark?: string): Promise<void>;
  remove(pkg: string, watermark?: string): Promise<void>;
  /** Version entries of every design that uses `pkg`, directly or transitively (for where-used). */
  dependentEntries(pkg: string): Promise<IndexEntry[]>;
  searchDocuments(): Promise<SearchDocument[]>;
  searchDocumentsById(ids: string[]): Promise<SearchDocument[]>;
  /** Search document id → its digest, for every design with a visible version. */
  searchDigests(): Promise<Map<string, string>>;
  packages(): Promise<string[]>;
  /** The designs whose stored rows say they are forks of `pkg`, sorted. */
  forksOf(pkg: string): Promise<string[]>;
  /** Every design that has at least one fork, by the stored rows. */
  upstreams(): Promise<Set<string>>;
  markPending(pkg: string): Promise<void>;
  pending(): Promise<string[]>;
  /** The index head that the stored rows reflect. */
  watermark(): Promise<string | undefined>;
  setWatermark(head: string): Promise<void>;
}

/** The stored archive bytes of each published version (derived from git, served as they are). */
export interface ArchiveStore {
  /** Where the bytes are, for streaming with Range support; never shown to a client. */
  filePath(pkg: string, version: string): string;
  size(pkg: string, version: string): Promise<number | undefined>;
  write(pkg: string, version: string, bytes: Uint8Array): Promise<void>;
  remove(pkg: string): Promise<void>;
  sweep(): Promise<number>;
}
