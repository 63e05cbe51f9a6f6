/**
 * One SearchQuery against a Meilisearch index: filters, text, sort, pinned exact name, facets.
 *
 * `tools` (designs whose tools are all in the producer's set) needs `NOT tools IN [every tool the
 * producer lacks]`, i.e. every tool any candidate design needs. A facet only lists the most frequent
 * values (maxValuesPerFacet), so the vocabulary is discovered, not assumed: ask for the `tools`
 * facet of the candidates that pass the exclusions known so far; any tool there that the producer
 * lacks is added and the question asked again, until none is left. Each round strictly grows the
 * exclusion list, so this ends, and is correct for any number of distinct tools. Known tools are
 * kept between searches (a superset is harmless: excluding an unused tool excludes nothing), so a
 * tools search usually costs one extra request.
 */
import type { Hit, Index, SearchParams, SearchResponse } from 'meilisearch';
import { FACETS, exactNameOf, type SearchQuery } from '../domain/search-query.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import type { SearchHit, SearchResult } from './port.ts';
import { FACET_FIELDS, addFacetCounts, effectiveOrdering, emptyFacets, pageWindow, plainQueryText } from './common.ts';
import { buildMeiliFilter, quoteFilterValue, toolsMissing } from './meili-filter.ts';

/** Bound on remembered tool names; past it the memory starts again (correctness does not need it). */
const MAX_KNOWN_TOOLS = 200_000;

export class MeiliQuery {
  private readonly knownTools = new Set<string>();

  constructor(
    private readonly index: () => Index<SearchDocument>,
    private readonly maxTotalHits: number,
  ) {}

  async run(q: SearchQuery): Promise<SearchResult> {
    const toolUniverse = q.filters.tools ? await this.toolUniverse(q) : undefined;
    const filter = buildMeiliFilter(q, toolUniverse ? { toolUniverse } : {});
    const ordering = effectiveOrdering(q);
    const sort =
      ordering === 'updated' ? ['updatedAtTs:desc', 'id:asc'] : ordering === 'cost' ? ['costSort:asc', 'updatedAtTs:desc', 'id:asc'] : undefined;
    const base: SearchParams = { filter, matchingStrategy: 'all', showRankingScore: true };
    if (sort) base.sort = sort;
    const facetFields = FACETS.map((f) => FACET_FIELDS[f]);
    const text = plainQueryText(q.text);
    const index = this.index();

    const exact = exactNameOf(q.text);
    let pinned: SearchDocument | undefined;
    if (exact) {
      const pinFilter = [...filter, `id = ${quoteFilterValue(exact.id)}`];
      if (exact.version) pinFilter.push(`versions = ${quoteFilterValue(exact.version)}`);
      const r = await index.search('', { filter: pinFilter, limit: 1 });
      pinned = r.hits[0] ? stripHit(r.hits[0]) : undefined;
    }

    if (!pinned) {
      const r = await index.search(text, { ...base, facets: facetFields, page: q.page, hitsPerPage: q.limit });
      return this.result(q, r.hits.map(stripHit), r.totalHits ?? 0, mapFacets(r.facetDistribution));
    }

    // The pinned design is result #0; the rest is the normal result without it, shifted by one.
    const rest = [...filter, `NOT id = ${quoteFilterValue(pinned.id)}`];
    const { offset } = pageWindow(q.page, q.limit);
    const window = q.page === 1 ? { offset: 0, limit: q.limit - 1 } : { offset: offset - 1, limit: q.limit };
    const [hitsRes, countRes] = await Promise.all([
      index.search(text, { ...base, filter: rest, offset: window.offset, limit: window.limit }),
      index.search(text, { ...base, filter: rest, facets: facetFields, page: 1, hitsPerPage: 0 }),
    ]);
    const facets = mapFacets(countRes.facetDistribution);
    addFacetCounts(facets, pinned);
    const hits = hitsRes.hits.map(stripHit);
    return this.result(q, q.page === 1 ? [pinned, ...hits] : hits, (countRes.totalHits ?? 0) + 1, facets, countRes.totalHits);
  }

  private result(q: SearchQuery, hits: SearchHit[], total: number, facets: SearchResult['facets'], counted = total): SearchResult {
    const out: SearchResult = { hits, total, facets, page: q.page, limit: q.limit };
    // Meilisearch stops counting at maxTotalHits: say so rather than pass a lower bound off as the total.
    if (counted >= this.maxTotalHits) out.totalCapped = true;
    return out;
  }

  /** Every tool of every design that passes the query's other filters (see the module comment). */
  private async toolUniverse(q: SearchQuery): Promise<string[]> {
    const have = q.filters.tools ?? [];
    const others: SearchQuery = { ...q, filters: { ...q.filters, tools: undefined } };
    delete others.filters.tools;
    const base = buildMeiliFilter(others);
    if (this.knownTools.size > MAX_KNOWN_TOOLS) this.knownTools.clear();
    for (;;) {
      const missing = toolsMissing(this.knownTools, have);
      const filter = missing.length ? [...base, `NOT tools IN [${missing.map(quoteFilterValue).join(', ')}]`] : base;
      const r: SearchResponse<SearchDocument> = await this.index().search('', { filter, facets: ['tools'], limit: 0 });
      const fresh = toolsMissing(Object.keys(r.facetDistribution?.tools ?? {}), have).filter((t) => !this.knownTools.has(t));
      if (fresh.length === 0) return [...this.knownTools];
      for (const t of fresh) this.knownTools.add(t);
    }
  }
}

/** A Meilisearch hit without its `_…` extras; `_rankingScore` becomes `score`. */
export function stripHit(hit: Hit<SearchDocument>): SearchHit {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hit)) if (!k.startsWith('_')) out[k] = v;
  if (typeof hit._rankingScore === 'number') out.score = hit._rankingScore;
  return out as unknown as SearchHit;
}

export function mapFacets(dist: Record<string, Record<string, number>> | undefined): Record<string, Record<string, number>> {
  const out = emptyFacets() as Record<string, Record<string, number>>;
  for (const f of FACETS) {
    const src = dist?.[FACET_FIELDS[f]] ?? {};
    for (const [k, v] of Object.entries(src)) if (v > 0) (out[f] ??= {})[k] = v;
  }
  return out;
}
