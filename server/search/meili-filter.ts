/**
 * From a typed SearchQuery to what Meilisearch is sent: the filter expression (every user value a
 * quoted, escaped literal, so user strings never change its structure) and the query text with
 * Meilisearch's query syntax neutralised (see plainQueryText in ./common.ts).
 */
import { FACILITY_LEVELS } from '../../schema/types.ts';
import type { SearchQuery } from '../domain/search-query.ts';
import { processComplement } from './common.ts';

/** A Meilisearch filter string literal: `"` + value with `\` and `"` backslash-escaped + `"`. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const inList = (field: string, values: readonly string[]): string => `${field} IN [${values.map(quoteFilterValue).join(', ')}]`;

/**
 * The filter as an AND-list of expressions, built only from typed fields of the query. Every user
 * value is a quoted literal. canMake → `NOT processes IN [complement]`; tools →
 * `NOT tools IN [toolUniverse − tools]`, where the universe must contain every tool of every
 * candidate design (the adapter discovers it, see meili-query.ts; extra values are harmless);
 * facility → `facilityRank <= n`.
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
  if (f.built !== undefined) out.push(`built = ${f.built ? 'true' : 'false'}`);
  if (f.canMake) {
    const missing = processComplement(f.canMake);
    if (missing.length > 0) out.push(`NOT ${inList('processes', missing)}`);
  }
  if (f.tools) {
    if (!opts.toolUniverse) throw new Error('buildMeiliFilter: a tools filter needs opts.toolUniverse');
    const missing = toolsMissing(opts.toolUniverse, f.tools);
    if (missing.length > 0) out.push(`NOT ${inList('tools', missing)}`);
  }
  if (f.facility) {
    const rank = FACILITY_LEVELS.indexOf(f.facility);
    if (rank < 0) throw new Error(`buildMeiliFilter: unknown facility ${String(f.facility)}`);
    out.push(`facilityRank <= ${rank}`);
  }
  return out;
}

/** Tools of `universe` the producer does not have (case-insensitive). */
export function toolsMissing(universe: Iterable<string>, have: readonly string[]): string[] {
  const set = new Set(have.map((t) => t.toLowerCase()));
  return [...universe].filter((t) => !set.has(t.toLowerCase()));
}
