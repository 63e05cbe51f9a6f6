/**
 * The search of the fake Meilisearch (./fake-meili.ts): small, but faithful to Meilisearch v1.x on
 * what the adapter depends on (crates/milli search, documented API):
 * - query: plain words, AND-ed (matchingStrategy `all`); only the LAST word matches as a prefix;
 *   `"…"` is a phrase, a `-` after whitespace excludes the next word (or phrase); only the first 10
 *   words/phrases count, the rest is ignored silently;
 * - typos per word: 0 under minWordSizeForTypos.oneTypo, 1 from it, 2 from twoTypos; none on
 *   typoTolerance.disableOnAttributes;
 * - ranking: the index's rankingRules IN THEIR ORDER (words, typo, proximity, attribute, sort,
 *   exactness, `field:asc|desc`); a search-time `sort` applies where `sort` sits; final ties by
 *   internal document id (insertion order);
 * - filters (`=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT`, `AND`, `OR`, `EXISTS`, parentheses;
 *   case-insensitive strings) only on filterableAttributes, sort only on sortableAttributes, facets
 *   only on filterable ones: 400 with Meilisearch's codes otherwise;
 * - facets over every candidate, capped at faceting.maxValuesPerFacet (count or alpha order);
 * - totals and reachable hits capped at pagination.maxTotalHits.
 * Simplified: no synonyms, no n-grams/splits, no first-letter typo cost, proximity and attribute
 * ranks approximated.
 */
export type Doc = Record<string, unknown> & { id: string };
export type Settings = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class SearchError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---- query ------------------------------------------------------------------------------------

interface Term {
  words: string[]; // one word, or a phrase
  prefix: boolean;
}

export function parseQuery(q: string, limit = 10): { terms: Term[]; negative: string[][] } {
  const tokens = q.toLowerCase().match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]/gu) ?? [];
  const terms: Term[] = [];
  const negative: string[][] = [];
  let phrase: string[] | null = null;
  let negPhrase = false;
  let negNext = false;
  let afterSpace = true;
  for (let i = 0; i < tokens.length && terms.length < limit; i++) {
    const tok = tokens[i]!;
    if (/^[\p{L}\p{N}]/u.test(tok)) {
      if (phrase) phrase.push(tok);
      else if (negNext) {
        negative.push([tok]);
        negNext = false;
      } else terms.push({ words: [tok], prefix: i === tokens.length - 1 });
    } else {
      if (tok === '"') {
        if (phrase) {
          if (phrase.length && negPhrase) negative.push(phrase);
          else if (phrase.length) terms.push({ words: phrase, prefix: false });
          phrase = null;
          negPhrase = false;
        } else {
          phrase = [];
          negPhrase = negNext;
        }
      }
      negNext = phrase === null && tok === '-' && afterSpace;
    }
    afterSpace = /\s/u.test(tok);
  }
  if (phrase?.length && terms.length < limit) {
    if (negPhrase) negative.push(phrase);
    else terms.push({ words: phrase, prefix: false });
  }
  return { terms, negative };
}

function osa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Typos needed for query word `w` to match token `t` (Infinity: no match). */
function typos(w: string, t: string, prefix: boolean, allowed: number): number {
  if (t === w || (prefix && t.startsWith(w))) return 0;
  if (allowed === 0) return Infinity;
  let best = osa(w, t);
  if (prefix) for (let n = Math.max(1, w.length - allowed); n <= Math.min(t.length, w.length + allowed); n++) best = Math.min(best, osa(w, t.slice(0, n)));
  return best <= allowed ? best : Infinity;
}

interface Occurrence {
  attr: number;
  pos: number;
  typos: number;
  exact: boolean;
}

/** Searchable attributes of a document: [attribute index, words with positions]. */
function fields(doc: Doc, s: Settings): Array<{ attr: number; name: string; words: string[] }> {
  const names: string[] = s.searchableAttributes[0] === '*' ? Object.keys(doc) : s.searchableAttributes;
  return names.map((name, attr) => {
    const v = doc[name];
    const parts = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    const words: string[] = [];
    for (const p of parts) {
      if (words.length) words.push(...Array<string>(7).fill('')); // array elements are far apart
      words.push(...(String(p).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
    }
    return { attr, name, words };
  });
}

function occurrences(doc: Doc, s: Settings, term: Term): Occurrence[] {
  const out: Occurrence[] = [];
  const tt = s.typoTolerance;
  for (const f of fields(doc, s)) {
    const noTypos = !tt.enabled || tt.disableOnAttributes.includes(f.name);
    if (term.words.length > 1) {
      for (let i = 0; i + term.words.length <= f.words.length; i++) {
        if (term.words.every((w, k) => f.words[i + k] === w)) out.push({ attr: f.attr, pos: i, typos: 0, exact: true });
      }
      continue;
    }
    const w = term.words[0]!;
    const len = [...w].length;
    const allowed = noTypos ? 0 : len >= tt.minWordSizeForTypos.twoTypos ? 2 : len >= tt.minWordSizeForTypos.oneTypo ? 1 : 0;
    f.words.forEach((t, pos) => {
      if (t === '') return;
      const n = typos(w, t, term.prefix, allowed);
      if (n !== Infinity) out.push({ attr: f.attr, pos, typos: n, exact: t === w });
    });
  }
  return out;
}

// ---- filters ----------------------------------------------------------------------------------

type Pred = (d: Doc) => boolean;

function lex(src: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(<=|>=|!=|[=<>()[\],])|([^\s=<>!()[\],"']+))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1]) out.push(`\u0000${m[1].slice(1, -1).replace(/\\(.)/g, '$1')}`);
    else if (m[2] ?? m[3]) out.push((m[2] ?? m[3])!);
  }
  if (re.lastIndex < src.trimEnd().length) throw new SearchError('invalid_search_filter', `Was expecting a value but instead got \`${src.slice(re.lastIndex)}\`.`);
  return out;
}

const literal = (t: string | undefined): string => {
  if (t === undefined) throw new SearchError('invalid_search_filter', 'Was expecting a value.');
  return t.startsWith('\u0000') ? t.slice(1) : t;
};

function values(doc: Doc, field: string): string[] {
  const v = doc[field];
  const xs = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return xs.map((x) => String(x).toLowerCase());
}

function compileFilter(src: string, filterable: string[]): Pred {
  const toks = lex(src);
  let i = 0;
  const kw = (w: string) => toks[i]?.toUpperCase() === w && !toks[i]!.startsWith('\u0000');
  const or = (): Pred => {
    const parts = [and()];
    while (kw('OR')) (i++, parts.push(and()));
    return (d) => parts.some((p) => p(d));
  };
  const and = (): Pred => {
    const parts = [not()];
    while (kw('AND')) (i++, parts.push(not()));
    return (d) => parts.every((p) => p(d));
  };
  const not = (): Pred => {
    if (kw('NOT')) {
      i++;
      const p = not();
      return (d) => !p(d);
    }
    if (toks[i] === '(') {
      i++;
      const p = or();
      if (toks[i++] !== ')') throw new SearchError('invalid_search_filter', 'Expression `(` is missing its closing `)`.');
      return p;
    }
    return cond();
  };
  const cond = (): Pred => {
    const field = literal(toks[i++]);
    if (!filterable.includes(field)) {
      throw new SearchError('invalid_search_filter', `Attribute \`${field}\` is not filterable. Available filterable attribute patterns are: ${filterable.map((f) => `\`${f}\``).join(', ')}.`);
    }
    if (kw('EXISTS')) return (i++, (d) => d[field] !== undefined);
    const negIn = kw('NOT') && toks[i + 1]?.toUpperCase() === 'IN';
    if (negIn) i++;
    if (kw('IN')) {
      i++;
      if (toks[i++] !== '[') throw new SearchError('invalid_search_filter', 'Expected `[` after IN keyword.');
      const set = new Set<string>();
      while (toks[i] !== ']') {
        set.add(literal(toks[i++]).toLowerCase());
        if (toks[i] === ',') i++;
        else if (toks[i] !== ']') throw new SearchError('invalid_search_filter', 'Expected only comma-separated values inside `[…]`.');
      }
      i++;
      const p: Pred = (d) => values(d, field).some((v) => set.has(v));
      return negIn ? (d) => !p(d) : p;
    }
    const op = toks[i++];
    const value = literal(toks[i++]).toLowerCase();
    const num = Number(value);
    const cmp = (v: string) => (Number.isNaN(num) || Number.isNaN(Number(v)) ? (v < value ? -1 : v > value ? 1 : 0) : Number(v) - num);
    const test: Record<string, (c: number) => boolean> = { '=': (c) => c === 0, '!=': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
    const t = test[op ?? ''];
    if (!t) throw new SearchError('invalid_search_filter', `Was expecting an operation \`=\`, \`!=\`, \`>=\`, \`>\`, \`<=\`, \`<\`, \`IN\`, \`NOT IN\`, \`TO\`, \`EXISTS\`, \`NOT EXISTS\`, \`IS NULL\`, \`IS NOT NULL\`, \`IS EMPTY\`, \`IS NOT EMPTY\`, \`_geoRadius\`, or \`_geoBoundingBox\` at \`${field}\`.`);
    if (op === '!=') return (d) => !values(d, field).some((v) => cmp(v) === 0);
    return (d) => values(d, field).some((v) => t(cmp(v)));
  };
  const p = or();
  if (i < toks.length) throw new SearchError('invalid_search_filter', `Found unexpected characters at the end of the filter: \`${toks.slice(i).join(' ')}\`.`);
  return p;
}

function filterOf(filter: unknown, filterable: string[]): Pred {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter === 'string') return filter.trim() === '' ? () => true : compileFilter(filter, filterable);
  const parts = (filter as unknown[]).map((f) => (Array.isArray(f) ? ((d: Doc) => f.some((g) => compileFilter(g as string, filterable)(d))) : filterOf(f, filterable)));
  return (d) => parts.every((p) => p(d));
}

// ---- search -----------------------------------------------------------------------------------

type Key = number | string | undefined;

function compareKeys(a: Key[], b: Key[], dirs: number[]): number {
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x === undefined) return 1; // documents without the field come last, whatever the direction
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * dirs[k]!;
  }
  return 0;
}

export function search(docs: Doc[], s: Settings, body: Record<string, any>): Record<string, unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const sort: string[] | undefined = body.sort;
  if (sort?.length) {
    if (!s.rankingRules.includes('sort')) {
      throw new SearchError('invalid_search_sort', 'You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.');
    }
    for (const spec of sort) {
      const field = spec.split(':')[0]!;
      if (!s.sortableAttributes.includes(field)) {
        throw new SearchError('invalid_search_sort', `Attribute \`${field}\` is not sortable. Available sortable attributes are: \`${s.sortableAttributes.join(', ')}\`.`);
      }
    }
  }
  for (const f of body.facets ?? []) {
    if (!s.filterableAttributes.includes(f)) throw new SearchError('invalid_search_facets', `Invalid facet distribution: Attribute \`${f}\` is not filterable.`);
  }
  const pass = filterOf(body.filter, s.filterableAttributes);
  const { terms, negative } = parseQuery(String(body.q ?? ''));

  const keys: Array<{ doc: Doc; key: Key[]; order: number }> = [];
  const dirs: number[] = [];
  let built = false;
  docs.forEach((doc, order) => {
    if (!pass(doc)) return;
    const occ = terms.map((t) => occurrences(doc, s, t));
    if (occ.some((o) => o.length === 0)) return;
    if (negative.some((words) => occurrences(doc, s, { words, prefix: false }).some((o) => o.exact))) return;
    const key: Key[] = [];
    for (const rule of s.rankingRules as string[]) {
      const custom = /^(.+):(asc|desc)$/.exec(rule);
      if (custom) (key.push(doc[custom[1]!] as Key), built || dirs.push(custom[2] === 'asc' ? 1 : -1));
      else if (rule === 'sort') for (const spec of sort ?? []) (key.push(doc[spec.split(':')[0]!] as Key), built || dirs.push(spec.endsWith(':desc') ? -1 : 1));
      else if (terms.length === 0 || rule === 'words') continue;
      else if (rule === 'typo') (key.push(occ.reduce((n, o) => n + Math.min(...o.map((x) => x.typos)), 0)), built || dirs.push(1));
      else if (rule === 'proximity') (key.push(proximity(occ)), built || dirs.push(1));
      else if (rule === 'attribute') {
        key.push(occ.reduce((n, o) => n + Math.min(...o.map((x) => x.attr)), 0), occ.reduce((n, o) => n + Math.min(...o.map((x) => x.pos)), 0));
        if (!built) dirs.push(1, 1);
      } else if (rule === 'exactness') (key.push(-occ.filter((o) => o.some((x) => x.exact)).length), built || dirs.push(1));
    }
    built = true;
    keys.push({ doc, key, order });
  });
  keys.sort((a, b) => compareKeys(a.key, b.key, dirs) || a.order - b.order);

  const maxTotal: number = s.pagination.maxTotalHits;
  const finite = body.page !== undefined || body.hitsPerPage !== undefined;
  const hpp: number = body.hitsPerPage ?? 20;
  const page: number = body.page ?? 1;
  let offset: number = finite ? (page - 1) * hpp : (body.offset ?? 0);
  let limit: number = finite ? hpp : (body.limit ?? 20);
  offset = Math.min(offset, maxTotal);
  limit = Math.min(limit, maxTotal - offset);
  const total = Math.min(keys.length, maxTotal);
  const hits = keys.slice(offset, offset + limit).map((k, n) => {
    const hit: Record<string, unknown> = structuredClone(k.doc);
    if (body.showRankingScore) hit._rankingScore = 1 - (offset + n) / (keys.length + 1);
    return hit;
  });
  const out: Record<string, unknown> = { hits, query: body.q ?? '', processingTimeMs: 0 };
  if (finite) Object.assign(out, { hitsPerPage: hpp, page, totalPages: hpp ? Math.ceil(total / hpp) : 0, totalHits: total });
  else Object.assign(out, { limit, offset, estimatedTotalHits: total });
  if (body.facets) {
    out.facetDistribution = facetDistribution(keys.map((k) => k.doc), body.facets, s);
    out.facetStats = {};
  }
  return out;
}

function proximity(occ: Occurrence[][]): number {
  let sum = 0;
  for (let k = 0; k + 1 < occ.length; k++) {
    let best = 8;
    for (const a of occ[k]!) for (const b of occ[k + 1]!) if (a.attr === b.attr) best = Math.min(best, b.pos > a.pos ? b.pos - a.pos : a.pos - b.pos + 1);
    sum += best;
  }
  return sum;
}

function facetDistribution(docs: Doc[], facets: string[], s: Settings): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const byCount = (s.faceting.sortFacetValuesBy['*'] ?? 'alpha') === 'count';
  for (const f of facets) {
    const counts = new Map<string, number>();
    for (const d of docs) {
      const v = d[f];
      for (const x of new Set((Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String))) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const entries = [...counts].sort((a, b) => (byCount ? b[1] - a[1] : 0) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out[f] = Object.fromEntries(entries.slice(0, s.faceting.maxValuesPerFacet));
  }
  return out;
}
