/**
 * The SearchIndex port. Two adapters implement it and pass the same contract suite
 * (test/server/search/contract.ts): EmbeddedSearchIndex (default) and MeiliSearchIndex.
 *
 * Semantics both engines share (the contract tests pin them down):
 * - Text: plain words, AND-ed; the last word matches by prefix (the embedded engine: every word),
 *   all with typo tolerance on prose fields (title, package, keywords, summary, function,
 *   categories, part names, owner); licence ids and MPNs match exactly or by prefix, never with
 *   typos. `"` and a leading `-` are no query syntax (common.ts plainQueryText). More than
 *   MAX_QUERY_WORDS (10) words → OhwError('INVALID_REQUEST'), never a silently shortened query.
 * - Exact name: text `owner/name` or `owner/name@version` (version non-yanked) pins that design at
 *   position 0 of page 1 when it passes the filters; the rest follows in the normal order, so
 *   `total` counts it once.
 * - Filters: values within one filter are OR-ed, filters are AND-ed, comparison is
 *   case-insensitive. canMake/tools: the design's set ⊆ the given set. facility: facilityRank ≤ rank.
 * - Facets: value → count over the whole filtered result set (not only the page), for FACETS;
 *   not disjunctive (a selected category's siblings show 0 / are absent). Zero counts are omitted.
 *   `certified` counts under "true"/"false".
 * - Sort: relevance (ties: updated desc, id asc); empty text + relevance = updated desc;
 *   updated = updatedAtTs desc; cost = costSort asc, unpriced last.
 * - Upserting a document with `yanked: true` removes it.
 */
import type { SearchDocument } from '../domain/search-document.ts';
import type { SearchQuery } from '../domain/search-query.ts';

export type SearchHit = SearchDocument & { score?: number };

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  /** facet name (FACETS) → value → count. Every FACETS key is present (possibly `{}`). */
  facets: Record<string, Record<string, number>>;
  page: number;
  limit: number;
  /**
   * True when the engine stopped counting (Meilisearch: pagination.maxTotalHits) and `total` is
   * only a lower bound. Absent otherwise: `total` is exact.
   */
  totalCapped?: true;
}

export interface SearchHealth {
  /** status === 'ok'. */
  ok: boolean;
  engine: string;
  /** ok; degraded: answers in part or is repairing itself; down: cannot answer searches. */
  status?: 'ok' | 'degraded' | 'down';
  /** Why it is not ok, fit for the public: never a host, URL or client error message. */
  reason?: string;
  /** Operator detail (may name the host and client errors): admin-only. */
  detail?: string;
}

export interface SearchIndex {
  readonly engine: 'embedded' | 'meilisearch';
  /** Prepare the engine (settings, empty index). Never throws because a server is down. */
  init(): Promise<void>;
  /** Insert or replace by id. Never throws because a server is down (queued instead). */
  upsert(docs: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Make the index contain exactly `docs` (atomic for readers). */
  replaceAll(docs: SearchDocument[]): Promise<void>;
  /** Throws OhwError('SEARCH_UNAVAILABLE') when the engine cannot answer. */
  search(q: SearchQuery): Promise<SearchResult>;
  health(): Promise<SearchHealth>;
  /** Stop background work (retry timers). Idempotent. */
  close(): Promise<void>;
  /**
   * Engines that keep their index in this process may load the one saved at the last close
   * instead of rebuilding it: the digest of every document it holds, or undefined (rebuild).
   */
  restore?(): Promise<Map<string, string> | undefined>;
}
