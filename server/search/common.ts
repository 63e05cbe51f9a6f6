/**
 * Engine-independent pieces of search: which document field backs each facet/filter, the filter
 * predicate (used by the embedded engine, and by the Meilisearch adapter for the pinned document),
 * facet counting and the result ordering rules. Keeping these in one place is what makes the two
 * engines agree.
 */
import { FACETS, type Facet, type SearchFilters, type SearchQuery } from '../domain/search-query.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import { FACILITY_LEVELS, PROCESS_CODES } from '../../schema/types.ts';
import { OhwError } from '../../schema/errors.ts';

/** Facet name (public, FACETS) → document field. */
export const FACET_FIELDS = {
  license: 'licenses',
  category: 'categories',
  process: 'processes',
  maturity: 'maturity',
  certified: 'certified',
  region: 'regions',
  builds: 'builds',
  offers: 'offerLevels',
} as const satisfies Record<Facet, keyof SearchDocument>;

/** Filterable fields of the production network (issue 16), for both engines' settings. */
export const PRODUCTION_FILTER_FIELDS = ['built', 'builds', 'offerLevels'] as const;

/** Text fields, in priority order (Meilisearch searchableAttributes order; embedded boosts). */
export const TEXT_FIELDS = ['title', 'package', 'keywords', 'summary', 'function', 'categories', 'partNames', 'mpns', 'licenses', 'owner'] as const;
/** Identifiers: prefix match only, no typo tolerance (Meilisearch typoTolerance.disableOnAttributes). */
export const EXACT_TEXT_FIELDS = ['mpns', 'licenses'] as const;
/** Embedded engine field boosts: title > package/keywords > summary > function > part names / MPNs. */
export const TEXT_BOOSTS: Record<(typeof TEXT_FIELDS)[number], number> = {
  title: 6,
  package: 4,
  keywords: 4,
  summary: 3,
  function: 2,
  categories: 1.5,
  partNames: 1,
  mpns: 1,
  licenses: 1,
  owner: 1,
};

export function emptyFacets(): Record<Facet, Record<string, number>> {
  return Object.fromEntries(FACETS.map((f) => [f, {}])) as Record<Facet, Record<string, number>>;
}

export function facetValues(doc: SearchDocument, facet: Facet): string[] {
  const v = doc[FACET_FIELDS[facet]];
  if (typeof v === 'boolean') return [String(v)];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v : [];
}

export function addFacetCounts(acc: Record<string, Record<string, number>>, doc: SearchDocument): void {
  for (const f of FACETS) {
    const bucket = (acc[f] ??= {});
    for (const value of facetValues(doc, f)) bucket[value] = (bucket[value] ?? 0) + 1;
  }
}

const lc = (xs: readonly string[] | undefined): Set<string> => new Set((xs ?? []).map((x) => x.toLowerCase()));
const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase());

/**
 * The filterable fields of a document, lower-cased, in one fixed shape (fast, monomorphic access
 * in the embedded engine's scan; documents themselves vary in shape because of optional fields).
 */
export interface FilterView {
  licenses: string[];
  categories: string[];
  processes: string[];
  maturity: string[];
  regions: string[];
  tools: string[];
  licenseFamily: string;
  certified: boolean;
  /** Absent on a document without the field: then neither built=true nor built=false matches (as in Meilisearch). */
  built: boolean | undefined;
  facilityRank: number;
}

export function filterView(doc: SearchDocument): FilterView {
  return {
    licenses: lower(doc.licenses),
    categories: lower(doc.categories),
    processes: lower(doc.processes),
    maturity: lower(doc.maturity),
    regions: lower(doc.regions),
    tools: lower(doc.tools),
    licenseFamily: doc.licenseFamily.toLowerCase(),
    certified: doc.certified,
    built: doc.built,
    facilityRank: doc.facilityRank,
  };
}

type ListField = 'licenses' | 'categories' | 'processes' | 'maturity' | 'regions';

/** A compiled filter over FilterViews; case-insensitive like Meilisearch filters. */
export function compileFilter(filters: SearchFilters): (v: FilterView) => boolean {
  const anyOf: Array<[ListField, Set<string>]> = [];
  if (filters.license) anyOf.push(['licenses', lc(filters.license)]);
  if (filters.category) anyOf.push(['categories', lc(filters.category)]);
  if (filters.process) anyOf.push(['processes', lc(filters.process)]);
  if (filters.maturity) anyOf.push(['maturity', lc(filters.maturity)]);
  if (filters.region) anyOf.push(['regions', lc(filters.region)]);
  const family = filters.licenseFamily ? lc(filters.licenseFamily) : undefined;
  const canMake = filters.canMake ? lc(filters.canMake) : undefined;
  const tools = filters.tools ? lc(filters.tools) : undefined;
  const maxRank = filters.facility ? FACILITY_LEVELS.indexOf(filters.facility) : undefined;
  const certified = filters.certified;
  const built = filters.built;
  if (anyOf.length === 0 && !family && !canMake && !tools && maxRank === undefined && certified === undefined && built === undefined) return () => true;

  return (v) => {
    for (const [field, wanted] of anyOf) {
      if (!v[field].some((x) => wanted.has(x))) return false;
    }
    if (family && !family.has(v.licenseFamily)) return false;
    if (certified !== undefined && v.certified !== certified) return false;
    if (built !== undefined && v.built !== built) return false;
    if (canMake && !v.processes.every((p) => canMake.has(p))) return false;
    if (tools && !v.tools.every((t) => tools.has(t))) return false;
    if (maxRank !== undefined && !(v.facilityRank <= maxRank)) return false;
    return true;
  };
}

/** Process codes not in `have`: `canMake` becomes `NOT processes IN [complement]` in Meilisearch. */
export function processComplement(have: readonly string[]): string[] {
  const set = new Set(have.map((h) => h.toUpperCase()));
  return PROCESS_CODES.filter((p) => !set.has(p));
}

/** Ordering used everywhere; `score` only matters for relevance with text. */
export type Ordering = 'relevance' | 'updated' | 'cost';

export function effectiveOrdering(q: SearchQuery): Ordering {
  return q.sort === 'relevance' && q.text.trim() === '' ? 'updated' : q.sort;
}

export function byUpdated(a: SearchDocument, b: SearchDocument): number {
  return b.updatedAtTs - a.updatedAtTs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function byCost(a: SearchDocument, b: SearchDocument): number {
  const ca = a.costSort;
  const cb = b.costSort;
  if (ca !== cb) {
    if (ca === undefined) return 1;
    if (cb === undefined) return -1;
    return ca - cb;
  }
  return byUpdated(a, b);
}

/** Offset/limit of page `page`. */
export function pageWindow(page: number, limit: number): { offset: number; limit: number } {
  return { offset: (page - 1) * limit, limit };
}

// ---- query text: one meaning in both engines -------------------------------------------------

/**
 * Meilisearch reads only the first 10 words of a query (and ignores the rest silently), so a longer
 * query could not keep its promise that every word must match. Both engines refuse it instead.
 */
export const MAX_QUERY_WORDS = 10;

/** The words of a query as both engines count them: runs of letters and digits. */
export function queryWords(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}

/** Throws INVALID_REQUEST (400, naming `q` and the limit) for a query of more than 10 words. */
export function checkQueryWords(text: string): void {
  const n = queryWords(text).length;
  if (n > MAX_QUERY_WORDS) {
    throw new OhwError('INVALID_REQUEST', `q: at most ${MAX_QUERY_WORDS} words (got ${n}); every word must match, so leave out the least useful ones`, {
      details: { param: 'q', limit: MAX_QUERY_WORDS },
    });
  }
}

/**
 * The query text with Meilisearch's query syntax neutralised: `"` (phrase) becomes a space and a
 * `-` that starts a word (exclude the word) is dropped. Both engines then read a query the same
 * way: plain words, all of which must match. A `-` inside a word (`cern-ohl`) is a separator in
 * both engines and is kept.
 */
export function plainQueryText(text: string): string {
  return text.replace(/"/g, ' ').replace(/(^|\s)-+/gu, '$1').trim();
}
