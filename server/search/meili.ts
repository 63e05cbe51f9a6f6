/**
 * Meilisearch adapter (used when MEILI_HOST is set), via the official `meilisearch` client.
 *
 * - init(): creates the index and applies settings idempotently (Meilisearch diffs settings; an
 *   unchanged PATCH is a no-op task). Every task is awaited with a timeout and must succeed.
 * - Writes never fail because Meilisearch is down: they are kept in memory (latest intent per id;
 *   a replaceAll supersedes everything before it) and flushed on the next write, search or
 *   health check, and by a background retry timer. A write whose task *fails* (a bug, not an
 *   outage) is dropped and reported as OhwError('INTERNAL').
 * - search(): flushes pending writes first (read-your-writes), then queries. If Meilisearch cannot
 *   answer: OhwError('SEARCH_UNAVAILABLE'). Reads/publishes elsewhere keep working.
 * - replaceAll(): builds `<index>_rebuild`, applies settings, adds documents in batches, then
 *   `swapIndexes` (atomic for readers) and deletes the old copy.
 * - Filters are built from the typed SearchQuery only (buildMeiliFilter), every value quoted and
 *   escaped; user strings can never change the expression's structure.
 */
import {
  Meilisearch,
  MeilisearchApiError,
  type EnqueuedTaskPromise,
  type Hit,
  type Index,
  type IndexSwap,
  type SearchParams,
  type Settings,
  type Task,
} from 'meilisearch';
import { OhwError } from '../../schema/errors.ts';
import { FACILITY_LEVELS } from '../../schema/types.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import { FACETS, exactNameOf, type SearchQuery } from '../domain/search-query.ts';
import type { SearchHealth, SearchHit, SearchIndex, SearchResult } from './port.ts';
import {
  EXACT_TEXT_FIELDS,
  FACET_FIELDS,
  TEXT_FIELDS,
  addFacetCounts,
  effectiveOrdering,
  emptyFacets,
  pageWindow,
  processComplement,
} from './common.ts';

export interface MeiliOptions {
  host: string;
  apiKey?: string;
  /** Default `designs`. */
  indexName?: string;
  /** Max wait per task (settings, document batches, swap). Default 30 s. */
  taskTimeoutMs?: number;
  /** Max time per HTTP request. Default 5 s. */
  requestTimeoutMs?: number;
  /** Retry interval for pending writes while Meilisearch is down; 0 disables the timer. Default 5 s. */
  retryIntervalMs?: number;
  /** Documents per addDocuments batch. Default 1,000. */
  batchSize?: number;
  /** Task polling interval. Default 50 ms. */
  pollIntervalMs?: number;
}

/** Values per facet Meilisearch returns (also bounds the tool vocabulary used for `tools`). */
export const MAX_VALUES_PER_FACET = 2000;
/** Upper bound of `total` and of reachable results. */
export const MAX_TOTAL_HITS = 100_000;

const FILTERABLE = [
  'id', 'package', 'versions', 'owner', 'forkOf', 'licenses', 'licenseFamily', 'categories', 'processes', 'tools',
  'facilityRank', 'maturity', 'certified', 'regions',
];

/** Index settings; applied at init and to every rebuild index. */
export const MEILI_SETTINGS: Settings = {
  searchableAttributes: [...TEXT_FIELDS],
  filterableAttributes: FILTERABLE,
  sortableAttributes: ['updatedAtTs', 'costSort', 'id'],
  // Defaults, plus "newest first" as the last tie-breaker (the embedded engine does the same).
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'updatedAtTs:desc'],
  typoTolerance: {
    enabled: true,
    // Licence ids and part numbers are identifiers: "MIT" must not match "MID".
    disableOnAttributes: [...EXACT_TEXT_FIELDS],
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
  },
  faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
};

/** A Meilisearch filter string literal: `"` + value with `\` and `"` backslash-escaped + `"`. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const inList = (field: string, values: readonly string[]): string => `${field} IN [${values.map(quoteFilterValue).join(', ')}]`;

/**
 * The filter as an AND-list of expressions, built only from typed fields of the query. Every user
 * value is a quoted literal. canMake → `NOT processes IN [complement]`; tools →
 * `NOT tools IN [toolUniverse − tools]` (needs the known tool vocabulary, which the adapter reads
 * from the `tools` facet); facility → `facilityRank <= n`.
 */
export function buildMeiliFilter(q: SearchQuery, opts: { toolUniverse?: readonly string[] } = {}): string[] {
  const f = q.filters;
  const out: string[] = [];
  if (f.license?.length) out.push(inList('licenses', f.license));
  if (f.licenseFamily?.length) out.push(inList('licenseFamily', f.licenseFamily));
  if (f.category?.length) out.push(inList('categories', f.category));
  if (f.process?.length) out.push(inList('processes', f.process));
  if (f.maturity?.length) out.push(inList('maturity', f.maturity));
  if (f.region?.length) out.push(inList('regions', f.region));
  if (f.certified !== undefined) out.push(`certified = ${f.certified ? 'true' : 'false'}`);
  if (f.canMake) {
    const missing = processComplement(f.canMake);
    if (missing.length > 0) out.push(`NOT ${inList('processes', missing)}`);
  }
  if (f.tools) {
    if (!opts.toolUniverse) throw new Error('buildMeiliFilter: a tools filter needs opts.toolUniverse');
    const have = new Set(f.tools.map((t) => t.toLowerCase()));
    const missing = opts.toolUniverse.filter((t) => !have.has(t.toLowerCase()));
    if (missing.length > 0) out.push(`NOT ${inList('tools', missing)}`);
  }
  if (f.facility) {
    const rank = FACILITY_LEVELS.indexOf(f.facility);
    if (rank < 0) throw new Error(`buildMeiliFilter: unknown facility ${String(f.facility)}`);
    out.push(`facilityRank <= ${rank}`);
  }
  return out;
}

class TaskFailedError extends Error {
  constructor(
    readonly what: string,
    readonly task: Task,
  ) {
    super(`Meilisearch task ${task.uid} (${what}) ${task.status}: ${task.error?.code ?? ''} ${task.error?.message ?? ''}`.trim());
  }
}

/** Outage (retry later) vs. a request Meilisearch understood and refused (a bug: don't retry). */
function isOutage(e: unknown): boolean {
  if (e instanceof TaskFailedError) return false;
  if (e instanceof MeilisearchApiError) {
    const status = e.response.status;
    return status >= 500 || status === 408 || status === 429 || status === 401 || status === 403;
  }
  // MeilisearchRequestError (refused, reset, request timeout), task wait timeouts, non-JSON bodies
  // from a proxy in front of a dead server.
  return true;
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

interface Pending {
  full: { docs: SearchDocument[] } | null;
  upserts: Map<string, SearchDocument>;
  removes: Map<string, object>;
}

export class MeiliSearchIndex implements SearchIndex {
  readonly engine = 'meilisearch' as const;
  readonly indexName: string;
  private readonly client: Meilisearch;
  private readonly taskTimeoutMs: number;
  private readonly retryIntervalMs: number;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private ready = false;
  private pending: Pending = { full: null, upserts: new Map(), removes: new Map() };
  private chain: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastError: string | undefined;

  constructor(opts: MeiliOptions) {
    this.indexName = opts.indexName ?? 'designs';
    this.taskTimeoutMs = opts.taskTimeoutMs ?? 30_000;
    this.retryIntervalMs = opts.retryIntervalMs ?? 5_000;
    this.batchSize = opts.batchSize ?? 1_000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 50;
    const config: ConstructorParameters<typeof Meilisearch>[0] = {
      host: opts.host,
      timeout: opts.requestTimeoutMs ?? 5_000,
      defaultWaitOptions: { timeout: this.taskTimeoutMs, interval: this.pollIntervalMs },
    };
    if (opts.apiKey) config.apiKey = opts.apiKey;
    this.client = new Meilisearch(config);
  }

  /** Pending writes not yet in Meilisearch (for health and tests). */
  pendingCounts(): { full: boolean; upserts: number; removes: number } {
    return { full: this.pending.full !== null, upserts: this.pending.upserts.size, removes: this.pending.removes.size };
  }

  async init(): Promise<void> {
    await this.serial(async () => {
      try {
        await this.ensureReady();
      } catch (e) {
        this.noteFailure(e);
      }
    });
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    for (const d of docs) {
      if (d.yanked) {
        this.pending.upserts.delete(d.id);
        this.pending.removes.set(d.id, {});
      } else {
        this.pending.removes.delete(d.id);
        this.pending.upserts.set(d.id, structuredClone(d));
      }
    }
    await this.flushTolerant();
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) {
      this.pending.upserts.delete(id);
      this.pending.removes.set(id, {});
    }
    await this.flushTolerant();
  }

  async replaceAll(docs: SearchDocument[]): Promise<void> {
    this.pending = { full: { docs: docs.filter((d) => !d.yanked).map((d) => structuredClone(d)) }, upserts: new Map(), removes: new Map() };
    await this.flushTolerant();
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    try {
      await this.serial(() => this.flush());
      return await this.query(q);
    } catch (e) {
      if (e instanceof OhwError) throw e;
      if (isOutage(e)) {
        this.noteFailure(e);
        throw new OhwError('SEARCH_UNAVAILABLE', 'Search is temporarily unavailable; please retry shortly.', {
          details: { engine: this.engine },
        });
      }
      throw new OhwError('INTERNAL', `search failed: ${describe(e)}`);
    }
  }

  async health(): Promise<SearchHealth> {
    try {
      await this.client.health();
    } catch (e) {
      return { ok: false, engine: this.engine, detail: `unreachable: ${describe(e)}; ${this.pendingDetail()}` };
    }
    await this.flushTolerant();
    const p = this.pendingCounts();
    const ok = this.ready && !p.full && p.upserts === 0 && p.removes === 0;
    return { ok, engine: this.engine, detail: ok ? `index ${this.indexName}` : `${this.pendingDetail()}; last error: ${this.lastError ?? 'none'}` };
  }

  /** Delete the index and its rebuild copy (tests, `ohw` maintenance). Pending writes are dropped. */
  async drop(): Promise<void> {
    this.pending = { full: null, upserts: new Map(), removes: new Map() };
    await this.serial(async () => {
      for (const uid of [this.indexName, `${this.indexName}_rebuild`]) {
        await this.waitOk(this.client.deleteIndex(uid), `delete index ${uid}`, ['index_not_found']);
      }
      this.ready = false;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.chain.catch(() => undefined);
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Run `fn` after every earlier write/flush (one flush at a time). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Flush; outages are remembered (and retried later), real failures are thrown. */
  private async flushTolerant(): Promise<void> {
    try {
      await this.serial(() => this.flush());
    } catch (e) {
      if (!isOutage(e)) throw new OhwError('INTERNAL', `search index update failed: ${describe(e)}`);
      this.noteFailure(e);
    }
  }

  private async flush(): Promise<void> {
    if (!this.ready) await this.ensureReady();
    const full = this.pending.full;
    if (full) {
      await this.settle(() => this.rebuild(full.docs), () => {
        if (this.pending.full === full) this.pending.full = null;
      });
    }
    if (this.pending.upserts.size > 0) {
      const sent = [...this.pending.upserts.values()];
      await this.settle(
        async () => {
          for (let i = 0; i < sent.length; i += this.batchSize) {
            await this.waitOk(this.index.addDocuments(sent.slice(i, i + this.batchSize), { primaryKey: 'id' }), 'add documents');
          }
        },
        () => {
          for (const d of sent) if (this.pending.upserts.get(d.id) === d) this.pending.upserts.delete(d.id);
        },
      );
    }
    if (this.pending.removes.size > 0) {
      const sent = [...this.pending.removes.entries()];
      await this.settle(
        () => this.waitOk(this.index.deleteDocuments(sent.map(([id]) => id)), 'delete documents'),
        () => {
          for (const [id, token] of sent) if (this.pending.removes.get(id) === token) this.pending.removes.delete(id);
        },
      );
    }
    this.lastError = undefined;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  /**
   * Run one step of a flush. On success, or on a refusal that retrying cannot fix, `done` drops the
   * step's writes from pending (only entries nobody has overwritten since). On an outage they stay.
   */
  private async settle(step: () => Promise<unknown>, done: () => void): Promise<void> {
    try {
      await step();
    } catch (e) {
      if (!isOutage(e)) done();
      throw e;
    }
    done();
  }

  private get index(): Index<SearchDocument> {
    return this.client.index<SearchDocument>(this.indexName);
  }

  private async ensureReady(): Promise<void> {
    await this.createIndex(this.indexName);
    await this.waitOk(this.client.index(this.indexName).updateSettings(MEILI_SETTINGS), 'update settings');
    this.ready = true;
  }

  private async createIndex(uid: string): Promise<void> {
    await this.waitOk(this.client.createIndex(uid, { primaryKey: 'id' }), `create index ${uid}`, ['index_already_exists']);
  }

  /** Full rebuild: fill a temporary index, swap it in atomically, delete the old one. */
  private async rebuild(docs: SearchDocument[]): Promise<void> {
    const tmp = `${this.indexName}_rebuild`;
    await this.waitOk(this.client.deleteIndex(tmp), `delete index ${tmp}`, ['index_not_found']);
    await this.createIndex(tmp);
    const tmpIndex = this.client.index<SearchDocument>(tmp);
    await this.waitOk(tmpIndex.updateSettings(MEILI_SETTINGS), `update settings ${tmp}`);
    for (let i = 0; i < docs.length; i += this.batchSize) {
      await this.waitOk(tmpIndex.addDocuments(docs.slice(i, i + this.batchSize), { primaryKey: 'id' }), `add documents ${tmp}`);
    }
    // `rename` is left out on purpose: servers before v1.18 reject the unknown field; false is the default.
    const swap = { indexes: [this.indexName, tmp] } as unknown as IndexSwap;
    await this.waitOk(this.client.swapIndexes([swap]), 'swap indexes');
    await this.waitOk(this.client.deleteIndex(tmp), `delete index ${tmp}`, ['index_not_found']);
  }

  private async waitOk(enqueued: EnqueuedTaskPromise, what: string, okErrorCodes: string[] = []): Promise<Task> {
    const task = await enqueued.waitTask({ timeout: this.taskTimeoutMs, interval: this.pollIntervalMs });
    if (task.status === 'succeeded') return task;
    if (task.status === 'failed' && task.error && okErrorCodes.includes(task.error.code)) return task;
    throw new TaskFailedError(what, task);
  }

  private noteFailure(e: unknown): void {
    this.lastError = describe(e);
    // Re-check index and settings on the next attempt (idempotent; the server may have restarted empty).
    this.ready = false;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryIntervalMs <= 0 || this.retryTimer || !this.hasPending()) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flushTolerant().catch(() => undefined);
    }, this.retryIntervalMs);
    this.retryTimer.unref();
  }

  private hasPending(): boolean {
    return this.pending.full !== null || this.pending.upserts.size > 0 || this.pending.removes.size > 0 || !this.ready;
  }

  private pendingDetail(): string {
    const p = this.pendingCounts();
    return `pending: ${p.full ? 'full rebuild, ' : ''}${p.upserts} upserts, ${p.removes} removes${this.ready ? '' : ', settings not applied'}`;
  }

  // ---- reads -------------------------------------------------------------------------------

  private async query(q: SearchQuery): Promise<SearchResult> {
    const toolUniverse = q.filters.tools ? await this.toolUniverse() : undefined;
    const filter = buildMeiliFilter(q, toolUniverse ? { toolUniverse } : {});
    const ordering = effectiveOrdering(q);
    const sort =
      ordering === 'updated' ? ['updatedAtTs:desc', 'id:asc'] : ordering === 'cost' ? ['costSort:asc', 'updatedAtTs:desc', 'id:asc'] : undefined;
    const base: SearchParams = { filter, matchingStrategy: 'all', showRankingScore: true };
    if (sort) base.sort = sort;
    const facetFields = FACETS.map((f) => FACET_FIELDS[f]);
    const text = q.text.trim();

    const exact = exactNameOf(text);
    let pinned: SearchDocument | undefined;
    if (exact) {
      const pinFilter = [...filter, `id = ${quoteFilterValue(exact.id)}`];
      if (exact.version) pinFilter.push(`versions = ${quoteFilterValue(exact.version)}`);
      const r = await this.index.search('', { filter: pinFilter, limit: 1 });
      pinned = r.hits[0] ? stripHit(r.hits[0]) : undefined;
    }

    if (!pinned) {
      const r = await this.index.search(text, { ...base, facets: facetFields, page: q.page, hitsPerPage: q.limit });
      return { hits: r.hits.map(stripHit), total: r.totalHits, facets: mapFacets(r.facetDistribution), page: q.page, limit: q.limit };
    }

    // The pinned design is result #0; the rest is the normal result without it, shifted by one.
    const rest = [...filter, `NOT id = ${quoteFilterValue(pinned.id)}`];
    const { offset } = pageWindow(q.page, q.limit);
    const window = q.page === 1 ? { offset: 0, limit: q.limit - 1 } : { offset: offset - 1, limit: q.limit };
    const [hitsRes, countRes] = await Promise.all([
      this.index.search(text, { ...base, filter: rest, offset: window.offset, limit: window.limit }),
      this.index.search(text, { ...base, filter: rest, facets: facetFields, page: 1, hitsPerPage: 0 }),
    ]);
    const facets = mapFacets(countRes.facetDistribution);
    addFacetCounts(facets, pinned);
    const hits = hitsRes.hits.map(stripHit);
    return {
      hits: q.page === 1 ? [pinned, ...hits] : hits,
      total: countRes.totalHits + 1,
      facets,
      page: q.page,
      limit: q.limit,
    };
  }

  /** Every tool any design needs (the `tools` facet over all documents). */
  private async toolUniverse(): Promise<string[]> {
    const r = await this.index.search('', { facets: ['tools'], limit: 0 });
    return Object.keys(r.facetDistribution?.tools ?? {});
  }
}

/** A Meilisearch hit without its `_…` extras; `_rankingScore` becomes `score`. */
function stripHit(hit: Hit<SearchDocument>): SearchHit {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hit)) if (!k.startsWith('_')) out[k] = v;
  if (typeof hit._rankingScore === 'number') out.score = hit._rankingScore;
  return out as unknown as SearchHit;
}

function mapFacets(dist: Record<string, Record<string, number>> | undefined): Record<string, Record<string, number>> {
  const out = emptyFacets() as Record<string, Record<string, number>>;
  for (const f of FACETS) {
    const src = dist?.[FACET_FIELDS[f]] ?? {};
    for (const [k, v] of Object.entries(src)) if (v > 0) (out[f] ??= {})[k] = v;
  }
  return out;
}
