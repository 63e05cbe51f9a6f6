/**
 * Meilisearch adapter (used when MEILI_HOST is set), via the official `meilisearch` client. The
 * pieces, one concern each:
 *   meili-settings.ts  index settings (ranking rules with `sort` first, id tie-break, limits) and
 *                      the check that they are the ones in force;
 *   meili-filter.ts    typed query → filter expression (quoted literals only);
 *   meili-query.ts     one search (pinned exact name, facets, the tools vocabulary);
 *   meili-sync.ts      writes, rebuilds, lost-index recovery, the connection;
 *   meili-tasks.ts     tasks followed by uid (slow is not down);
 *   meili-errors.ts    what a failure means (outage, key, lost index, refusal).
 *
 * Promises kept here:
 * - Writes never fail because Meilisearch is down, slow or misconfigured: they are queued (latest
 *   intent per id, bounded) and applied in the background. A write call waits for its own write at
 *   most `taskTimeoutMs`, then returns while the task is still followed. A refused write (a bug)
 *   is reported as INTERNAL.
 * - Searches never wait for writes or rebuilds. When Meilisearch cannot answer, or the index was
 *   lost and is being rebuilt: OhwError('SEARCH_UNAVAILABLE') (503).
 * - health(): status ok | degraded | down with a public reason (no host, no client message) and an
 *   operator `detail` for admins only.
 */
import { Meilisearch, type Index } from 'meilisearch';
import { OhwError } from '../../schema/errors.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import type { SearchQuery } from '../domain/search-query.ts';
import type { SearchHealth, SearchIndex, SearchResult } from './port.ts';
import { checkQueryWords } from './common.ts';
import { classify, describe, isRequestTimeout } from './meili-errors.ts';
import { MAX_TOTAL_HITS, meiliSettings } from './meili-settings.ts';
import { MeiliQuery } from './meili-query.ts';
import { MeiliSync } from './meili-sync.ts';

export { buildMeiliFilter, quoteFilterValue } from './meili-filter.ts';
export { MEILI_SETTINGS, MAX_TOTAL_HITS, MAX_VALUES_PER_FACET } from './meili-settings.ts';

export interface MeiliOptions {
  host: string;
  apiKey?: string;
  /** Default `designs`. */
  indexName?: string;
  /** How long a write call waits for its task before returning (the task is still followed). Default 30 s. */
  taskTimeoutMs?: number;
  /** Max time per HTTP request. Default 5 s. */
  requestTimeoutMs?: number;
  /** Retry interval while Meilisearch is down or refuses the key; 0 disables the timer. Default 5 s. */
  retryIntervalMs?: number;
  /** Documents per addDocuments batch. Default 1,000. */
  batchSize?: number;
  /** First task polling interval (backs off to 1 s). Default 50 ms. */
  pollIntervalMs?: number;
  /** Queued writes kept while Meilisearch is unavailable; past it: one rebuild from `source`. Default 10,000. */
  maxPendingWrites?: number;
  /** pagination.maxTotalHits; only tests lower it. Default MAX_TOTAL_HITS. */
  maxTotalHits?: number;
  /** Every search document of the registry: rebuilds a lost index without a restart. */
  source?: () => Promise<SearchDocument[]>;
  /** Operator log (configuration errors, lost index); each condition is logged once. */
  log?: (line: string) => void;
}

export class MeiliSearchIndex implements SearchIndex {
  readonly engine = 'meilisearch' as const;
  readonly indexName: string;
  private readonly client: Meilisearch;
  private readonly taskTimeoutMs: number;
  private readonly sync: MeiliSync;
  private readonly queries: MeiliQuery;

  constructor(opts: MeiliOptions) {
    this.indexName = opts.indexName ?? 'designs';
    this.taskTimeoutMs = opts.taskTimeoutMs ?? 30_000;
    const config: ConstructorParameters<typeof Meilisearch>[0] = { host: opts.host, timeout: opts.requestTimeoutMs ?? 5_000 };
    if (opts.apiKey) config.apiKey = opts.apiKey;
    this.client = new Meilisearch(config);
    const maxTotalHits = opts.maxTotalHits ?? MAX_TOTAL_HITS;
    this.sync = new MeiliSync({
      client: this.client,
      indexName: this.indexName,
      settings: meiliSettings(maxTotalHits),
      batchSize: opts.batchSize ?? 1_000,
      pollIntervalMs: opts.pollIntervalMs ?? 50,
      retryIntervalMs: opts.retryIntervalMs ?? 5_000,
      maxPendingWrites: opts.maxPendingWrites ?? 10_000,
      source: opts.source,
      log: opts.log ?? (() => {}),
    });
    this.queries = new MeiliQuery(() => this.index, maxTotalHits);
  }

  /** Writes not yet in Meilisearch: queued (upserts, removes), in a task being followed, full rebuild wanted. */
  pendingCounts(): { full: boolean; upserts: number; removes: number; inflight: number } {
    return this.sync.counts();
  }

  async init(): Promise<void> {
    await this.sync.connectNow();
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.sync.waitFor(this.sync.write(docs.map((d) => [d.id, d.yanked ? null : structuredClone(d)])), this.taskTimeoutMs);
  }

  async remove(ids: string[]): Promise<void> {
    await this.sync.waitFor(this.sync.write(ids.map((id) => [id, null])), this.taskTimeoutMs);
  }

  async replaceAll(docs: SearchDocument[]): Promise<void> {
    await this.sync.waitFor(this.sync.requestFull(docs.map((d) => structuredClone(d))), this.taskTimeoutMs);
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    checkQueryWords(q.text);
    if (this.sync.recovering) throw unavailable();
    try {
      const r = await this.queries.run(q);
      if (!this.sync.ready) this.sync.kick(); // reachable again: reconnect (and check settings) in the background
      return r;
    } catch (e) {
      if (e instanceof OhwError) throw e;
      const kind = classify(e);
      if (kind === 'index_not_found') this.sync.noteLost('a search found no index');
      else if (kind === 'refused') throw new OhwError('INTERNAL', `search failed: ${describe(e)}`);
      else if (!isRequestTimeout(e)) this.sync.noteFailure(e); // a slow search is not an outage
      throw unavailable();
    }
  }

  async health(): Promise<SearchHealth> {
    const s = this.sync;
    const p = s.counts();
    const pending = `queued: ${p.upserts} upserts, ${p.removes} removes, ${p.inflight} in a task${p.full ? ', full rebuild' : ''}`;
    let unreachable: string | undefined;
    try {
      await this.client.health();
    } catch (e) {
      unreachable = describe(e);
    }
    if (!unreachable) await s.verify();
    if (!unreachable && !s.ready) s.kick();
    const h = (status: 'ok' | 'degraded' | 'down', reason: string | undefined, detail: string): SearchHealth => {
      const out: SearchHealth = { ok: status === 'ok', engine: this.engine, status, detail: `index ${this.indexName}; ${detail}; ${pending}` };
      if (reason) out.reason = reason;
      return out;
    };
    const waiting = p.upserts + p.removes + p.inflight;
    const changes = waiting ? `; ${waiting} changes wait to be indexed` : '';
    if (unreachable) return h('down', `Meilisearch is unreachable; searches answer 503 until it is back${changes}`, `unreachable: ${unreachable}`);
    if (s.trouble?.kind === 'auth') {
      return h('down', 'configuration error: Meilisearch refused the API key; check MEILI_MASTER_KEY', `HTTP ${s.trouble.status}: ${s.trouble.error}`);
    }
    if (s.recovering) return h('degraded', 'the search index was lost and is being rebuilt from the registry; searches answer 503 until it is done', `lost: ${s.lost}`);
    if (s.lost) return h('degraded', 'the search index was lost; results are incomplete until an operator runs a rebuild', `lost: ${s.lost}; no source to rebuild from`);
    if (s.trouble?.kind === 'refused') return h('degraded', 'Meilisearch refused a request of the registry; see the server log', `refused: ${s.trouble.error}`);
    if (s.trouble) return h('degraded', `reconnecting to Meilisearch${changes}`, `last error: ${s.trouble.error}`);
    if (s.settingsMismatch.length) return h('degraded', `index settings not in force: ${s.settingsMismatch.join(', ')}`, 'settings differ after applying them');
    if (s.dropped) return h('degraded', 'some changes were dropped while Meilisearch was unavailable; an operator must run a rebuild', 'queue overflowed without a source');
    return h('ok', undefined, 'ok');
  }

  /** Delete the index and its rebuild copy (tests, maintenance). Queued writes are dropped. */
  async drop(): Promise<void> {
    await this.sync.drop();
  }

  async close(): Promise<void> {
    await this.sync.close();
  }

  private get index(): Index<SearchDocument> {
    return this.client.index<SearchDocument>(this.indexName);
  }
}

function unavailable(): OhwError {
  return new OhwError('SEARCH_UNAVAILABLE', 'Search is temporarily unavailable; please retry shortly.', { details: { engine: 'meilisearch' } });
}
