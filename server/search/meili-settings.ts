/**
 * The Meilisearch index settings and how we check that they are the ones in force.
 *
 * Ranking rules: `sort` comes FIRST. Meilisearch applies a search-time `sort` where `sort` sits in
 * the ranking rules and later rules only break ties, so an explicit sort=updated|cost must come
 * before relevance; a search without `sort` skips the rule, so relevance stays the default. The
 * last two rules are the tie-breaks the port promises (updated desc, then id asc): without `id` the
 * server would break ties by its internal insertion order.
 */
import type { Settings } from 'meilisearch';
import { MAX_LIMIT, MAX_PAGE } from '../domain/search-query.ts';
import { EXACT_TEXT_FIELDS, PRODUCTION_FILTER_FIELDS, TEXT_FIELDS } from './common.ts';

/**
 * Values per facet Meilisearch returns (most frequent first). Only bounds the facet lists shown with
 * a result: the `tools` filter no longer depends on it (see meili-query.ts).
 */
export const MAX_VALUES_PER_FACET = 2000;

/**
 * pagination.maxTotalHits: Meilisearch counts `totalHits` only up to this and serves no result
 * beyond it. Our API can ask for position MAX_PAGE × MAX_LIMIT at most, so that much must be
 * reachable; we go far beyond it so that `total` is exact for any realistic registry. Should a
 * search ever match more, the adapter says so (`totalCapped: true`) instead of pretending.
 */
export const MAX_TOTAL_HITS = 1_000_000_000;
export const DEEPEST_POSITION = MAX_PAGE * MAX_LIMIT;

const FILTERABLE = [
  'id', 'package', 'versions', 'owner', 'forkOf', 'licenses', 'licenseFamily', 'categories', 'processes', 'tools',
  'facilityRank', 'maturity', 'certified', 'regions', ...PRODUCTION_FILTER_FIELDS,
];

export const RANKING_RULES = ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'updatedAtTs:desc', 'id:asc'];

/** Index settings; applied at init, after a reconnect and to every rebuild index. */
export function meiliSettings(maxTotalHits = MAX_TOTAL_HITS): Settings {
  return {
    searchableAttributes: [...TEXT_FIELDS],
    filterableAttributes: FILTERABLE,
    sortableAttributes: ['updatedAtTs', 'costSort', 'id'],
    rankingRules: RANKING_RULES,
    typoTolerance: {
      enabled: true,
      // Licence ids and part numbers are identifiers: "MIT" must not match "MID".
      disableOnAttributes: [...EXACT_TEXT_FIELDS],
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    },
    faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits },
  };
}

export const MEILI_SETTINGS: Settings = meiliSettings();

/** Settings whose order carries no meaning (the server returns them sorted). */
const SETS = new Set(['filterableAttributes', 'sortableAttributes', 'disableOnAttributes']);

/**
 * Top-level setting names whose value in force differs from the wanted one. Only what we set is
 * compared (the server reports every setting, with its defaults); lists that are sets compare
 * as sets; objects compare key by key.
 */
export function settingsDiff(wanted: Settings, actual: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    const same = key === 'rankingRules' ? matches(splitAttribute(value), splitAttribute(actual[key]), key) : matches(value, actual[key], key);
    if (!same) out.push(key);
  }
  return out;
}

/** Newer servers may report the `attribute` rule as its two halves, `attributeRank, wordPosition`. */
function splitAttribute(rules: unknown): unknown {
  return Array.isArray(rules) ? rules.flatMap((r) => (r === 'attribute' ? ['attributeRank', 'wordPosition'] : [r])) : rules;
}

function matches(wanted: unknown, actual: unknown, key: string): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
    if (SETS.has(key)) {
      const have = new Set(actual.map((x) => JSON.stringify(x)));
      return wanted.every((x) => have.has(JSON.stringify(x)));
    }
    return wanted.every((x, i) => JSON.stringify(x) === JSON.stringify(actual[i]));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(wanted).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k], k));
  }
  return wanted === actual;
}
