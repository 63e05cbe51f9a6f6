/** Helpers of the SearchIndex contract (./contract.ts). */
import { defaultSearchQuery, FACETS, type SearchFilters, type SearchQuery } from '../../../server/domain/search-query.ts';
import type { SearchDocument } from '../../../server/domain/search-document.ts';
import type { SearchResult } from '../../../server/search/port.ts';

export const q = (partial: Partial<SearchQuery> & { filters?: SearchFilters } = {}): SearchQuery => defaultSearchQuery(partial);
export const ids = (r: SearchResult): string[] => r.hits.map((h) => h.id);
export const sortedIds = (r: SearchResult): string[] => ids(r).sort();
export const idsOf = (...docs: SearchDocument[]): string[] => docs.map((d) => d.id).sort();
export const browseOrder = (docs: SearchDocument[]): string[] =>
  [...docs].sort((a, b) => b.updatedAtTs - a.updatedAtTs || a.id.localeCompare(b.id)).map((d) => d.id);

/** Facet counts computed straight from the documents, independently of any engine. */
export function expectedFacets(docs: SearchDocument[]): Record<string, Record<string, number>> {
  const field = { license: 'licenses', category: 'categories', process: 'processes', maturity: 'maturity', region: 'regions' } as const;
  const out: Record<string, Record<string, number>> = {};
  for (const f of FACETS) {
    const counts: Record<string, number> = {};
    for (const d of docs) {
      const values = f === 'certified' ? [String(d.certified)]
        : f === 'builds' ? (d.builds ? [d.builds] : [])
        : f === 'offers' ? (d.offerLevels ?? [])
        : d[field[f]];
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
    }
    out[f] = counts;
  }
  return out;
}
