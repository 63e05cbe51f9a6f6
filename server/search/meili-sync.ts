/**
 * Keeps the Meilisearch index in step with the registry: the connection (index identity and the
 * settings in force), the queue of incremental writes, full rebuilds, and recovery from a lost
 * index. Searches never go through here and never wait for it.
 *
 * - Writes are kept as the latest intent per id (upsert or remove) and applied by one writer loop,
 *   a batch at a time; each batch is one task followed by uid (meili-tasks.ts). A batch that could
 *   not be enqueued goes back to the queue; one that was enqueued is never sent again.
 * - A full rebuild (replaceAll, or recovery) runs as its own background job: it fills
 *   `<index>_rebuild`, swaps it in and deletes the old copy. Incremental writes keep going to the
 *   live index meanwhile and are replayed onto the new one after the swap.
 * - The index is "ours" when it exists with the createdAt we last saw. Before and after every batch
 *   of upserts that is checked: if it vanished or was recreated (e.g. by our own upsert, which
 *   Meilisearch answers by creating a bare index with default settings), the index is lost: its
 *   settings are applied at once, searches answer 503, and it is rebuilt from `source`.
 * - The queue is bounded (maxPendingWrites): past it, queued writes collapse into one rebuild from
 *   the source, which regenerates everything anyway.
 */
import type { Meilisearch, Settings } from 'meilisearch';
import { OhwError } from '../../schema/errors.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import { classify, describe, errorCode, troubleOf, type Trouble } from './meili-errors.ts';
import { MeiliIndexAdmin } from './meili-index-admin.ts';
import { Signal, WriteQueue, type Batch, type Entry } from './meili-queue.ts';
import { TaskFollower } from './meili-tasks.ts';

export interface SyncOptions {
  client: Meilisearch;
  indexName: string;
  settings: Settings;
  batchSize: number;
  pollIntervalMs: number;
  retryIntervalMs: number;
  maxPendingWrites: number;
  source: (() => Promise<SearchDocument[]>) | undefined;
  log: (line: string) => void;
}

interface FullRequest {
  gen: number;
  docs?: SearchDocument[];
}

export class MeiliSync {
  /** Index exists and its settings were checked since the last failure. */
  ready = false;
  /** Why the index content is lost, until a full rebuild swapped in. */
  lost: string | undefined;
  trouble: Trouble | undefined;
  settingsMismatch: string[] = [];
  /** Writes dropped with no source to rebuild from. */
  dropped = false;

  private readonly o: SyncOptions;
  private readonly tasks: TaskFollower;
  private readonly admin: MeiliIndexAdmin;
  private gen = 0;
  private readonly queue = new WriteQueue();
  private inflight: Batch | undefined;
  private full: FullRequest | undefined;
  private replay: Map<string, Entry> | undefined;
  private createdAt: string | undefined;
  private readonly refused = new Map<number, OhwError>();
  private writerRun: Promise<void> | undefined;
  private rebuildRun: Promise<void> | undefined;
  private readonly signal = new Signal();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private logged = new Set<string>();

  constructor(opts: SyncOptions) {
    this.o = opts;
    this.tasks = new TaskFollower(opts.client, opts.pollIntervalMs, () => this.closed);
    this.admin = new MeiliIndexAdmin({ ...opts, tasks: this.tasks, logOnce: (key, line) => this.logOnce(key, line) });
  }

  /** Lost and being rebuilt: searches answer 503 meanwhile (rather than incomplete results). */
  get recovering(): boolean {
    return this.lost !== undefined && this.full !== undefined;
  }

  counts(): { full: boolean; upserts: number; removes: number; inflight: number } {
    return { full: this.full !== undefined, ...this.queue.counts(), inflight: this.inflight?.entries.size ?? 0 };
  }

  /** Connect now (init); failures are remembered and retried, never thrown. */
  async connectNow(): Promise<void> {
    try {
      await this.connect();
    } catch (e) {
      this.onFailure(e);
    }
  }

  /** Queue writes (doc null = remove); returns their generation for waitFor. */
  write(changes: Array<[string, SearchDocument | null]>): number {
    const gen = ++this.gen;
    for (const [id, doc] of changes) {
      const entry = { doc, gen };
      this.queue.add(id, entry);
      this.replay?.set(id, entry);
    }
    if (this.queue.size > this.o.maxPendingWrites) this.overflow();
    this.kick();
    return gen;
  }

  /** Make the index contain exactly `docs` (or, without docs, what `source` returns). */
  requestFull(docs?: SearchDocument[]): number {
    const gen = ++this.gen;
    this.full = docs ? { gen, docs } : { gen };
    if (docs) {
      // The snapshot supersedes every write before it.
      this.queue.dropOlderThan(gen);
      this.replay = new Map();
    }
    this.kick();
    return gen;
  }

  /**
   * Wait until the writes of generation `gen` are applied, at most `timeoutMs`. Returns early when
   * the writers stopped (Meilisearch down: the writes stay queued). Throws INTERNAL when
   * Meilisearch refused them (a bug, not an outage; they are dropped).
   */
  async waitFor(gen: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const refusal = this.refused.get(gen);
      if (refusal) {
        this.refused.delete(gen);
        throw refusal;
      }
      if (this.settled(gen) || (!this.writerRun && !this.rebuildRun)) return;
      const left = deadline - Date.now();
      if (left <= 0) return;
      await this.signal.wait(left);
    }
  }

  /** Start whatever work is due (writer, rebuild). Cheap when there is none. */
  kick(): void {
    if (this.closed) return;
    if (this.full && !this.rebuildRun) {
      this.rebuildRun = this.guarded(() => this.rebuildLoop()).finally(() => {
        this.rebuildRun = undefined;
        this.notify();
      });
    }
    if (!this.writerRun && (!this.ready || this.queue.size > 0 || this.inflight)) {
      this.writerRun = this.guarded(() => this.writerLoop()).finally(() => {
        this.writerRun = undefined;
        this.notify();
      });
    }
  }

  /** Health check: is the index still ours? (Finds a lost index before any search or write does.) */
  async verify(): Promise<void> {
    if (!this.ready || this.lost) return;
    await this.checkIdentity().catch((e) => this.onFailure(e));
  }

  /** A search met `index_not_found`. */
  noteLost(reason: string): void {
    this.onLost(reason);
  }

  /** A search failed in a way that says something about the server (outage, key, settings). */
  noteFailure(e: unknown): void {
    if (classify(e) === 'settings') {
      this.ready = false;
      this.kick();
      return;
    }
    this.onFailure(e);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await Promise.all([this.writerRun, this.rebuildRun]);
    this.notify();
  }

  /** Delete the index and its rebuild copy (tests, maintenance). */
  async drop(): Promise<void> {
    this.queue.clear();
    this.full = undefined;
    await this.admin.dropAll();
    this.ready = false;
    this.createdAt = undefined;
  }

  // ---- connection ----------------------------------------------------------------------------

  /** Make sure the live index exists, is the one we know, and has our settings. */
  private async connect(): Promise<void> {
    const name = this.o.indexName;
    let info = await this.admin.rawIndex(name);
    if (!info) {
      if (this.createdAt !== undefined) this.onLost('the index disappeared');
      await this.tasks.run(this.o.client.createIndex(name, { primaryKey: 'id' }), `create index ${name}`, ['index_already_exists']);
      info = await this.admin.rawIndex(name);
      if (!info) throw new Error(`index ${name} missing right after its creation`);
    } else if (this.createdAt !== undefined && info.createdAt !== this.createdAt) {
      this.onLost('the index was replaced by another one');
    }
    this.settingsMismatch = await this.admin.applySettings(name);
    this.createdAt = info.createdAt;
    this.ready = true;
    this.trouble = undefined;
    this.logged.delete('auth');
    this.logged.delete('outage');
  }

  /** Still the index we know? Otherwise it is lost (and false). */
  private async checkIdentity(): Promise<boolean> {
    const info = await this.admin.rawIndex(this.o.indexName);
    if (!info) this.onLost('the index disappeared');
    else if (this.createdAt !== undefined && info.createdAt !== this.createdAt) this.onLost('the index was recreated (with default settings)');
    else return true;
    return false;
  }

  // ---- incremental writes --------------------------------------------------------------------

  private async writerLoop(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      // connect() recreates a lost index with its settings first: writes never create a bare one.
      if (!this.ready) await this.connect();
      if (!this.inflight) {
        const batch = this.queue.take(this.o.batchSize);
        if (!batch) return;
        this.inflight = batch; // not yet sent (no uid): still pending for waitFor
        try {
          if (!(await this.checkIdentity())) {
            this.inflight = undefined;
            return this.queue.putBack(batch);
          }
          batch.uid = await this.tasks.enqueue(this.send(batch));
        } catch (e) {
          this.inflight = undefined;
          this.queue.putBack(batch);
          throw e;
        }
      }
      const batch = this.inflight;
      try {
        await this.tasks.follow(batch.uid!, `${batch.kind} ${batch.entries.size} documents`);
      } catch (e) {
        if (errorCode(e) === 'task_not_found') {
          // The server lost the task (restarted empty): this batch was never applied.
          this.inflight = undefined;
          this.queue.putBack(batch);
          continue;
        }
        const kind = classify(e);
        if (kind !== 'refused' && kind !== 'index_not_found') throw e; // keep following it later
        this.inflight = undefined;
        if (kind === 'index_not_found') this.onLost('the index disappeared');
        else this.refuse(batch, e);
        this.notify();
        continue;
      }
      this.inflight = undefined;
      this.notify();
      // An upsert into a missing index creates a bare one with default settings: never keep that.
      if (batch.kind === 'upsert') await this.checkIdentity();
    }
  }

  private send(batch: Batch) {
    const index = this.o.client.index<SearchDocument>(this.o.indexName);
    if (batch.kind === 'upsert') return index.addDocuments([...batch.entries.values()].map((e) => e.doc!), { primaryKey: 'id' });
    return index.deleteDocuments([...batch.entries.keys()]);
  }

  private refuse(batch: Batch, e: unknown): void {
    const err = new OhwError('INTERNAL', `search index update failed: ${describe(e)}`);
    for (const entry of batch.entries.values()) this.refused.set(entry.gen, err);
    while (this.refused.size > 1000) this.refused.delete(this.refused.keys().next().value!);
  }

  private settled(gen: number): boolean {
    if (this.queue.holds(gen)) return false;
    for (const e of this.inflight?.entries.values() ?? []) if (e.gen <= gen) return false;
    if (this.full && this.full.gen <= gen) return false;
    return true;
  }

  private overflow(): void {
    this.queue.clear();
    if (this.o.source) {
      this.logOnce('overflow', `search: more than ${this.o.maxPendingWrites} changes waiting for Meilisearch; they will be applied by one rebuild from the registry instead`);
      if (!this.full || this.full.docs) this.requestFull();
    } else {
      this.dropped = true;
      this.logOnce('overflow', `search: more than ${this.o.maxPendingWrites} changes waiting for Meilisearch were dropped; run \`ohw-server rebuild\` once it is back`);
    }
  }

  // ---- full rebuilds and recovery -------------------------------------------------------------

  private onLost(reason: string): void {
    const hadIt = this.createdAt !== undefined;
    this.ready = false;
    this.createdAt = undefined;
    if (!hadIt || this.lost) {
      // Never had it (created on connect), or already recovering: just reconnect.
      this.kick();
      return;
    }
    this.lost = reason;
    if (this.o.source) {
      this.o.log(`search: the Meilisearch index ${this.o.indexName} was lost (${reason}); rebuilding it from the registry`);
      if (!this.full) this.requestFull();
    } else {
      this.o.log(`search: the Meilisearch index ${this.o.indexName} was lost (${reason}); run \`ohw-server rebuild\` to fill it again`);
    }
    this.notify();
    this.kick();
  }

  private async rebuildLoop(): Promise<void> {
    while (this.full && !this.closed) {
      const req = this.full;
      if (!this.ready) await this.connect();
      let docs = req.docs;
      if (!docs) {
        this.replay = new Map(); // writes from here on are replayed after the swap
        docs = await this.o.source!();
      }
      const createdAt = await this.admin.fillAndSwap(docs, () => this.full === req && !this.closed);
      if (createdAt === undefined) continue; // superseded by a newer request
      this.createdAt = createdAt;
      this.settingsMismatch = [];
      this.ready = true;
      const replay = this.replay ?? new Map<string, Entry>();
      this.replay = undefined;
      if (this.full === req) this.full = undefined;
      for (const [id, e] of replay) if (!this.queue.has(id)) this.queue.add(id, e);
      this.lost = undefined;
      this.dropped = false;
      this.notify();
      this.kick();
    }
  }

  // ---- failures ------------------------------------------------------------------------------

  private guarded(fn: () => Promise<void>): Promise<void> {
    return fn().catch((e) => {
      if (!this.closed) this.onFailure(e);
    });
  }

  private onFailure(e: unknown): void {
    if (classify(e) === 'index_not_found') return this.onLost('the index disappeared');
    this.ready = false;
    const t = troubleOf(e, this.o.indexName);
    this.trouble = t.trouble;
    if (t.once) this.logOnce(t.trouble.kind, t.line);
    else this.o.log(t.line);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.o.retryIntervalMs <= 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.o.retryIntervalMs);
    this.retryTimer.unref();
  }

  private logOnce(key: string, line: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.o.log(line);
  }

  private notify(): void {
    this.signal.notify();
  }
}
