/**
 * Embedded search engine (the default; no server to run).
 *
 * Why MiniSearch: it is small (~30 kB), pure JavaScript with no native dependencies (nothing to
 * compile, works wherever Node runs), keeps its index in memory (our index is derived and rebuilt
 * from git at start anyway), and does what registry search needs: prefix and fuzzy (typo) matching,
 * per-field boosts and per-sub-query options (so licence ids and MPNs can be matched without typos).
 * Everything else — filters, can-make, facets, sorting, pagination — is plain TypeScript over the
 * matched documents, using the same rules as the Meilisearch adapter (./common.ts).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { documentDigest, type SearchDocument } from '../domain/search-document.ts';
import { FACETS, exactNameOf, type Facet, type SearchQuery } from '../domain/search-query.ts';
import type { SearchHealth, SearchHit, SearchIndex, SearchResult } from './port.ts';
import {
  EXACT_TEXT_FIELDS,
  TEXT_BOOSTS,
  TEXT_FIELDS,
  byCost,
  byUpdated,
  checkQueryWords,
  compileFilter,
  effectiveOrdering,
  emptyFacets,
  facetValues,
  filterView,
  pageWindow,
  type FilterView,
} from './common.ts';

const FUZZY_FIELDS = TEXT_FIELDS.filter((f) => !(EXACT_TEXT_FIELDS as readonly string[]).includes(f));

/**
 * Typo budget per word. Roughly `fuzzy: 0.2`, but aligned with Meilisearch's defaults
 * (minWordSizeForTypos: 1 typo from 5 characters, 2 from 9) so both engines find the same things:
 * "tractr" (6) → 1 typo → "tractor"; short words like "ceb" stay exact (and match by prefix).
 */
export function typoBudget(term: string): number | false {
  if (term.length >= 9) return 2;
  if (term.length >= 5) return 1;
  return false;
}

function extractField(doc: SearchDocument, field: string): string {
  const v = (doc as unknown as Record<string, unknown>)[field];
  if (Array.isArray(v)) return v.join(' \n ');
  return v == null ? '' : String(v);
}

const MINI_OPTIONS = {
  idField: 'id',
  fields: [...TEXT_FIELDS],
  storeFields: [],
  extractField: extractField as (doc: unknown, field: string) => string,
};

function newMiniSearch(): MiniSearch<SearchDocument> {
  return new MiniSearch<SearchDocument>(MINI_OPTIONS);
}

export interface EmbeddedOptions {
  /** Documents to start with (same as replaceAll after construction). */
  documents?: SearchDocument[];
  /**
   * Where whole documents live (the operational database). Given this, the engine keeps only
   * what matching, filtering, facets and sorting need in memory, and reads the few documents of
   * a result page from here: memory stays bounded by the index, not by the documents.
   */
  fetch?: (ids: string[]) => Promise<SearchDocument[]>;
  /** File the in-memory index is written to on close(), so a restart loads it instead of rebuilding. */
  snapshotFile?: string;
}

/**
 * What one design costs in memory: its filter view, facet value ids, sort keys, versions (for
 * `owner/name@version`) and digest; the whole document only when there is no `fetch`.
 */
interface Entry {
  key: Pick<SearchDocument, 'id' | 'updatedAtTs' | 'costSort'>;
  versions: string[];
  view: FilterView;
  facetIds: Uint32Array;
  digest: string;
  doc?: SearchDocument;
}

const SNAPSHOT_FORMAT = 1;

interface Snapshot {
  format: number;
  mini: unknown;
  facets: { facet: Facet[]; value: string[] };
  entries: Array<[Entry['key'], string[], FilterView, number[], string]>;
}

interface Match {
  entry: Entry;
  score: number;
}

/** Facet values ↔ small integers, so facet counting is typed-array increments. */
class FacetDictionary {
  private readonly ids = new Map<string, number>();
  readonly facet: Facet[] = [];
  readonly value: string[] = [];

  static from(saved: { facet: Facet[]; value: string[] }): FacetDictionary {
    const d = new FacetDictionary();
    saved.facet.forEach((f, i) => {
      d.facet.push(f);
      d.value.push(saved.value[i]!);
      d.ids.set(`${f}\u0000${saved.value[i]}`, i);
    });
    return d;
  }

  idsOf(doc: SearchDocument): Uint32Array {
    const out: number[] = [];
    for (const f of FACETS) {
      for (const v of facetValues(doc, f)) {
        const key = `${f}\u0000${v}`;
        let id = this.ids.get(key);
        if (id === undefined) {
          id = this.value.length;
          this.ids.set(key, id);
          this.facet.push(f);
          this.value.push(v);
        }
        out.push(id);
      }
    }
    return Uint32Array.from(out);
  }

  count(matches: readonly Match[]): Record<string, Record<string, number>> {
    const counts = new Uint32Array(this.value.length);
    for (const m of matches) for (const id of m.entry.facetIds) counts[id]! += 1;
    const out: Record<string, Record<string, number>> = emptyFacets();
    for (let id = 0; id < counts.length; id++) {
      const n = counts[id]!;
      if (n > 0) out[this.facet[id]!]![this.value[id]!] = n;
    }
    return out;
  }
}

export class EmbeddedSearchIndex implements SearchIndex {
  readonly engine = 'embedded' as const;
  private mini = newMiniSearch();
  private entries = new Map<string, Entry>();
  private dict = new FacetDictionary();
  /** All entries in browse order (updated desc) and in cost order, rebuilt lazily after writes. */
  private browse: Entry[] | undefined;
  private cheapest: Entry[] | undefined;
  private readonly fetch: EmbeddedOptions['fetch'];
  private readonly snapshotFile: string | undefined;

  constructor(opts: EmbeddedOptions = {}) {
    this.fetch = opts.fetch;
    this.snapshotFile = opts.snapshotFile;
    if (opts.documents) this.load(opts.documents);
  }

  private entryOf(doc: SearchDocument, dict: FacetDictionary): Entry {
    const entry: Entry = {
      key: { id: doc.id, updatedAtTs: doc.updatedAtTs, costSort: doc.costSort },
      versions: doc.versions.map((v) => v.toLowerCase()),
      view: filterView(doc),
      facetIds: dict.idsOf(doc),
      digest: documentDigest(doc),
    };
    if (!this.fetch) entry.doc = structuredClone(doc);
    return entry;
  }

  /**
   * Load the snapshot written by the last close(). Returns the digest of every document it holds
   * (the caller upserts those that changed since), or undefined when there is none to trust.
   */
  async restore(): Promise<Map<string, string> | undefined> {
    if (!this.snapshotFile || !this.fetch) return undefined;
    let snap: Snapshot;
    try {
      snap = JSON.parse(await fs.readFile(this.snapshotFile, 'utf8')) as Snapshot;
      if (snap.format !== SNAPSHOT_FORMAT) return undefined;
      const mini = MiniSearch.loadJS<SearchDocument>(snap.mini as never, MINI_OPTIONS);
      const entries = new Map<string, Entry>();
      for (const [key, versions, view, facetIds, digest] of snap.entries) {
        entries.set(key.id, { key, versions, view, facetIds: Uint32Array.from(facetIds), digest });
      }
      this.mini = mini;
      this.entries = entries;
      this.dict = FacetDictionary.from(snap.facets);
      this.invalidateOrders();
    } catch {
      // Missing, torn or from another version: the caller rebuilds from the stored documents.
      return undefined;
    } finally {
      // Used once: a crash after this start must not restore an index older than its writes.
      await fs.rm(this.snapshotFile, { force: true });
    }
    return new Map([...this.entries.values()].map((e) => [e.key.id, e.digest]));
  }

  /** Write the index to the snapshot file (atomically). Called by close(). */
  async persist(): Promise<void> {
    if (!this.snapshotFile || !this.fetch) return;
    const snap: Snapshot = {
      format: SNAPSHOT_FORMAT,
      mini: this.mini.toJSON(),
      facets: { facet: this.dict.facet, value: this.dict.value },
      entries: [...this.entries.values()].map((e) => [e.key, e.versions, e.view, [...e.facetIds], e.digest]),
    };
    await fs.mkdir(path.dirname(this.snapshotFile), { recursive: true });
    const tmp = `${this.snapshotFile}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(snap));
    await fs.rename(tmp, this.snapshotFile);
  }

  async init(): Promise<void> {}

  async upsert(docs: SearchDocument[]): Promise<void> {
    for (const doc of docs) {
      if (doc.yanked) {
        this.removeOne(doc.id);
        continue;
      }
      if (this.entries.has(doc.id)) this.mini.replace(doc);
      else this.mini.add(doc);
      this.entries.set(doc.id, this.entryOf(doc, this.dict));
    }
    this.invalidateOrders();
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) this.removeOne(id);
    this.invalidateOrders();
  }

  async replaceAll(docs: SearchDocument[]): Promise<void> {
    this.load(docs);
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    // Parity with Meilisearch, which reads only 10 words: a longer query is refused in both engines.
    checkQueryWords(q.text);
    const pass = compileFilter(q.filters);
    const ordering = effectiveOrdering(q);
    const terms = q.text.trim() === '' ? [] : tokenize(q.text);

    let matched: Match[] = [];
    if (terms.length === 0) {
      for (const entry of this.ordered(ordering === 'cost' ? 'cost' : 'updated')) if (pass(entry.view)) matched.push({ entry, score: 0 });
    } else {
      for (const r of this.mini.search(textQuery(terms))) {
        const entry = this.entries.get(r.id as string);
        if (entry && pass(entry.view)) matched.push({ entry, score: r.score });
      }
      if (ordering === 'relevance') matched.sort((a, b) => b.score - a.score || byUpdated(a.entry.key as SearchDocument, b.entry.key as SearchDocument));
      else {
        const cmp = ordering === 'cost' ? byCost : byUpdated;
        matched.sort((a, b) => cmp(a.entry.key as SearchDocument, b.entry.key as SearchDocument));
      }
    }

    const exact = exactNameOf(q.text);
    if (exact) {
      const entry = this.entries.get(exact.id);
      const versionOk = !exact.version || (entry?.versions ?? []).includes(exact.version);
      if (entry && versionOk && pass(entry.view)) {
        const already = matched.find((m) => m.entry === entry);
        matched = [already ?? { entry, score: Number.NaN }, ...matched.filter((m) => m.entry !== entry)];
      }
    }

    const { offset, limit } = pageWindow(q.page, q.limit);
    const page = matched.slice(offset, offset + limit);
    const docs = this.fetch ? await this.fetch(page.map((m) => m.entry.key.id)) : page.map((m) => m.entry.doc!);
    const byId = new Map(docs.map((d) => [d.id, d]));
    const hits: SearchHit[] = [];
    for (const m of page) {
      const doc = byId.get(m.entry.key.id);
      // A document removed between matching and reading is left out of this page.
      if (!doc) continue;
      const hit: SearchHit = structuredClone(doc);
      if (terms.length > 0 && !Number.isNaN(m.score)) hit.score = m.score;
      hits.push(hit);
    }
    return { hits, total: matched.length, facets: this.dict.count(matched), page: q.page, limit: q.limit };
  }

  async health(): Promise<SearchHealth> {
    return { ok: true, engine: this.engine, detail: `${this.entries.size} documents in memory (MiniSearch)` };
  }

  async close(): Promise<void> {
    await this.persist();
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.entries.size;
  }

  private load(docs: SearchDocument[]): void {
    const mini = newMiniSearch();
    const dict = new FacetDictionary();
    const entries = new Map<string, Entry>();
    const live = docs.filter((d) => !d.yanked);
    for (const d of live) entries.set(d.id, this.entryOf(d, dict));
    mini.addAll(live);
    // Swap only when the new index is complete: readers never see a half-built one.
    this.mini = mini;
    this.entries = entries;
    this.dict = dict;
    this.invalidateOrders();
  }

  private removeOne(id: string): void {
    if (!this.entries.has(id)) return;
    this.mini.discard(id);
    this.entries.delete(id);
  }

  private ordered(by: 'updated' | 'cost'): Entry[] {
    if (by === 'cost') return (this.cheapest ??= [...this.entries.values()].sort((a, b) => byCost(a.key as SearchDocument, b.key as SearchDocument)));
    return (this.browse ??= [...this.entries.values()].sort((a, b) => byUpdated(a.key as SearchDocument, b.key as SearchDocument)));
  }

  private invalidateOrders(): void {
    this.browse = undefined;
    this.cheapest = undefined;
  }
}

const TOKENIZE = MiniSearch.getDefault('tokenize') as (text: string) => string[];

function tokenize(text: string): string[] {
  return TOKENIZE(text)
    .map((t) => t.toLowerCase())
    .filter((t) => t !== '');
}

/** AND over words; each word: typo-tolerant prefix on prose fields OR exact prefix on identifiers. */
function textQuery(terms: string[]): Query {
  const fuzzy: SearchOptions = {
    fields: [...FUZZY_FIELDS],
    boost: TEXT_BOOSTS,
    prefix: true,
    fuzzy: (term) => typoBudget(term),
  };
  const exact: SearchOptions = { fields: [...EXACT_TEXT_FIELDS], boost: TEXT_BOOSTS, prefix: true, fuzzy: false };
  return {
    combineWith: 'AND',
    queries: terms.map((t) => ({ combineWith: 'OR', queries: [{ ...fuzzy, queries: [t] }, { ...exact, queries: [t] }] })),
  };
}
