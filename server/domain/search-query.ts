/**
 * The typed search query and its parsing from URL-ish parameters (`/api/v1/search?…`, CLI flags).
 * Pure. Engines only ever see a SearchQuery; user strings never reach a filter expression except
 * as quoted literal values (see server/search/meili.ts buildMeiliFilter).
 *
 * Parameters (all optional; list parameters accept repeats and/or commas: `process=3DP,LAS`):
 *   q            free text, ≤ 512 characters. `owner/name` or `owner/name@version` pins that design first.
 *   license      SPDX ids (any of). Open vocabulary (LicenseRef-* exists): known ids are put in their
 *                canonical case, anything else is kept as a literal and simply matches nothing.
 *   licenseFamily public-domain | permissive | weakly-reciprocal | strongly-reciprocal | unknown (any of)
 *   category     OSHWA categories (any of), case-insensitive.
 *   process      process codes (any of): designs that use at least one of them.
 *   maturity     OTRL-1..6, ODRL-1..4, ODRL-3* (any of); literal (ODRL-3 does not match ODRL-3*).
 *   region       supplier-offer regions (any of), e.g. DE, EU, WORLD. Open vocabulary, upper-cased.
 *   certified    true|false (also 1/0/yes/no; present without value = true).
 *   built        true|false: designs with / without a successful build report (same spellings).
 *   canMake      process codes a producer has: designs whose processes are ALL in this set.
 *   tools        tools a producer has: designs whose tools are ALL in this set (case-insensitive,
 *                whitespace-collapsed). Repeat the parameter per tool; commas are NOT separators here
 *                because real tool names contain them ("MIG welder, 180 A or larger").
 *   facility     apartment < garage < homestead < campus < factory: designs needing at most this.
 *                Designs that do not state a facility level never match.
 *   sort         relevance (default) | updated (newest first) | cost (cheapest first, unpriced last).
 *                relevance with empty q = browse order (updated desc).
 *   page         ≥ 1 (default 1), ≤ 10,000.
 *   limit        1..100 (default 20). Larger → 400, not silently clamped.
 * Unknown parameters are ignored (like crates.io). Within one filter values are OR-ed; filters are
 * AND-ed with each other. A list parameter takes at most 20 values. A parameter given as a mapping
 * (`q[a]=1`, which an extended query-string parser turns into an object) or, for a single-valued
 * one, more than once (`q=a&q=b`) is a 400 naming it: the parser never trusts the shape it is given.
 */
import { OhwError } from '../../schema/errors.ts';
import {
  CATEGORIES,
  FACILITY_LEVELS,
  ODRL_LEVELS,
  OTRL_LEVELS,
  PROCESS_CODES,
  type Category,
  type FacilityLevel,
  type ProcessCode,
} from '../../schema/types.ts';
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };

export const FACETS = ['license', 'category', 'process', 'maturity', 'certified', 'region', 'builds', 'offers'] as const;
export type Facet = (typeof FACETS)[number];

export const SORTS = ['relevance', 'updated', 'cost'] as const;
export type SearchSort = (typeof SORTS)[number];

export const MATURITY_LEVELS = [...OTRL_LEVELS, ...ODRL_LEVELS, 'ODRL-3*'] as const;
export const LICENSE_FAMILIES = ['public-domain', 'permissive', 'weakly-reciprocal', 'strongly-reciprocal', 'unknown'] as const;

export const MAX_QUERY_LENGTH = 512;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
export const MAX_PAGE = 10_000;
/** Values per list parameter (one facet), after splitting commas; keeps filter expressions bounded. */
export const MAX_VALUES = 20;
export const MAX_VALUE_LENGTH = 200;

export interface SearchFilters {
  license?: string[];
  licenseFamily?: string[];
  category?: Category[];
  process?: ProcessCode[];
  maturity?: string[];
  region?: string[];
  certified?: boolean;
  /** Producer's processes: designs whose processes ⊆ this. */
  canMake?: ProcessCode[];
  /** Producer's tools (lower-case): designs whose tools ⊆ this. */
  tools?: string[];
  /** Designs needing at most this facility level. */
  facility?: FacilityLevel;
  /** Designs with (true) or without (false) a successful build report. */
  built?: boolean;
}

export interface SearchQuery {
  text: string;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
  limit: number;
}

/** `owner/name` or `owner/name@version` — a query that should return that design first. */
export interface ExactName {
  package: string;
  id: string;
  version?: string;
}

const NAME_SEGMENT = '[a-z0-9]+(?:-[a-z0-9]+)*';
const EXACT_NAME = new RegExp(`^(${NAME_SEGMENT})/(${NAME_SEGMENT})(?:@([0-9A-Za-z.+-]+))?$`);

export function exactNameOf(text: string): ExactName | undefined {
  const m = EXACT_NAME.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const pkg = `${m[1]}/${m[2]}`;
  const out: ExactName = { package: pkg, id: `${m[1]}--${m[2]}` };
  if (m[3]) out.version = m[3];
  return out;
}

export function defaultSearchQuery(partial: Partial<SearchQuery> = {}): SearchQuery {
  return { text: '', filters: {}, sort: 'relevance', page: 1, limit: DEFAULT_LIMIT, ...partial };
}

/** As a query-string parser hands them over: strings, arrays, even nested objects (`a[b]=c`). */
type Params = Readonly<Record<string, unknown>>;

function invalid(param: string, message: string, allowed?: readonly string[]): never {
  const details: Record<string, unknown> = { param };
  if (allowed) details.allowed = [...allowed];
  const suffix = allowed ? `; allowed: ${allowed.join(', ')}` : '';
  throw new OhwError('INVALID_REQUEST', `${param}: ${message}${suffix}`, { details });
}

/** The strings of a parameter (one per repeat), or 400 when it was given as a mapping or nested list. */
function strings(params: Params, name: string): string[] | undefined {
  const v = Object.hasOwn(params, name) ? params[name] : undefined;
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  // Past 20 repeats the `qs` parser (express's extended query parser) hands over an index-keyed
  // object instead of an array; read it as the list it is, so the count check names it.
  if (isIndexed(v)) return Object.values(v);
  return invalid(name, `must be given as ${name}=value, not as a list or mapping (${name}[…]=…)`);
}

const isIndexed = (v: unknown): v is Record<string, string> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
  && Object.entries(v).every(([k, x]) => /^\d+$/.test(k) && typeof x === 'string');

function single(params: Params, name: string): string | undefined {
  const v = strings(params, name);
  if (v === undefined) return undefined;
  if (v.length > 1) invalid(name, 'given more than once');
  return v[0];
}

function list(params: Params, name: string, splitCommas = true): string[] | undefined {
  const v = strings(params, name);
  if (v === undefined) return undefined;
  // Counted before splitting as well, so that a flood of repeats is refused without work.
  if (v.length > MAX_VALUES) invalid(name, `at most ${MAX_VALUES} values (got ${v.length})`);
  const raw = v
    .flatMap((s) => (splitCommas ? s.split(',') : [s]))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (raw.length === 0) return undefined;
  if (raw.length > MAX_VALUES) invalid(name, `at most ${MAX_VALUES} values (got ${raw.length})`);
  for (const s of raw) {
    if (s.length > MAX_VALUE_LENGTH) invalid(name, `value longer than ${MAX_VALUE_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(s)) invalid(name, 'control characters are not allowed');
  }
  return [...new Set(raw)];
}

/** Map each value onto a closed vocabulary case-insensitively; 400 naming the allowed values otherwise. */
function closed<T extends string>(name: string, values: string[] | undefined, allowed: readonly T[]): T[] | undefined {
  if (!values) return undefined;
  const byLower = new Map(allowed.map((a) => [a.toLowerCase(), a]));
  return [
    ...new Set(
      values.map((v) => byLower.get(v.toLowerCase()) ?? invalid(name, `unknown value "${v}"`, allowed)),
    ),
  ];
}

const SPDX_BY_LOWER = new Map((spdxIds as string[]).map((id) => [id.toLowerCase(), id]));

function integer(name: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return dflt;
  if (!/^\d+$/.test(raw.trim())) invalid(name, `must be an integer between ${min} and ${max}, got "${raw.slice(0, 40)}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) invalid(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

const TRUE = new Set(['', 'true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * Parse and validate search parameters. Throws OhwError('INVALID_REQUEST') whose message names the
 * parameter (and, for closed vocabularies, the allowed values); `details` = { param, allowed? }.
 */
export function parseSearchQuery(params: Params): SearchQuery {
  const text = (single(params, 'q') ?? '').trim();
  if ([...text].length > MAX_QUERY_LENGTH) invalid('q', `longer than ${MAX_QUERY_LENGTH} characters`);

  const filters: SearchFilters = {};
  const license = list(params, 'license');
  if (license) filters.license = [...new Set(license.map((l) => SPDX_BY_LOWER.get(l.toLowerCase()) ?? l))];
  const family = closed('licenseFamily', list(params, 'licenseFamily'), LICENSE_FAMILIES);
  if (family) filters.licenseFamily = family;
  const category = closed('category', list(params, 'category'), CATEGORIES);
  if (category) filters.category = category;
  const process = closed('process', list(params, 'process'), PROCESS_CODES);
  if (process) filters.process = process;
  const maturity = closed('maturity', list(params, 'maturity'), MATURITY_LEVELS);
  if (maturity) filters.maturity = maturity;
  const region = list(params, 'region');
  if (region) filters.region = [...new Set(region.map((r) => r.toUpperCase()))];
  const canMake = closed('canMake', list(params, 'canMake'), PROCESS_CODES);
  if (canMake) filters.canMake = canMake;
  const tools = list(params, 'tools', false);
  if (tools) filters.tools = [...new Set(tools.map((t) => t.replace(/\s+/g, ' ').toLowerCase()))];

  const certified = single(params, 'certified');
  if (certified !== undefined) {
    const c = certified.trim().toLowerCase();
    if (TRUE.has(c)) filters.certified = true;
    else if (FALSE.has(c)) filters.certified = false;
    else invalid('certified', `unknown value "${certified.slice(0, 40)}"`, ['true', 'false']);
  }
  const built = single(params, 'built');
  if (built !== undefined) {
    const c = built.trim().toLowerCase();
    if (TRUE.has(c)) filters.built = true;
    else if (FALSE.has(c)) filters.built = false;
    else invalid('built', `unknown value "${built.slice(0, 40)}"`, ['true', 'false']);
  }
  const facility = single(params, 'facility');
  if (facility !== undefined && facility.trim() !== '') {
    const [f] = closed('facility', [facility.trim()], FACILITY_LEVELS) ?? [];
    if (f) filters.facility = f;
  }

  const sortRaw = single(params, 'sort');
  let sort: SearchSort = 'relevance';
  if (sortRaw !== undefined && sortRaw.trim() !== '') {
    const [s] = closed('sort', [sortRaw.trim()], SORTS) ?? [];
    if (s) sort = s;
  }
  const page = integer('page', single(params, 'page'), 1, 1, MAX_PAGE);
  const limit = integer('limit', single(params, 'limit'), DEFAULT_LIMIT, 1, MAX_LIMIT);
  return { text, filters, sort, page, limit };
}
