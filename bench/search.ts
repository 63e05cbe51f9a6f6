/**
 * Search benchmark: index build time (replaceAll), in-process search latency p50/p99 over a fixed
 * mix of 200 queries, and peak RSS, for N = 1,000 / 10,000 / 100,000 generated documents.
 *
 * Documents are real-shaped: titles, descriptions, keywords, categories and licences come from the
 * OSHWA corpus (/work/shared/corpus/oshwa/projects.json, ~3k certified projects; beyond that,
 * names get variant suffixes), parts/MPNs/tools/processes are varied from the contract fixtures.
 * The query mix: single words, two-word prefix queries, typos, exact names, browse with filters,
 * text + filters, canMake / facility, cost sort, page 2.
 *
 * Embedded engine always; Meilisearch too when MEILI_HOST is set (latency then includes HTTP).
 * Peak RSS is process-wide and only grows, so sizes run ascending; run one size alone for an
 * isolated number:  BENCH_SEARCH_SIZES=100000 npx tsx bench/search.ts
 */
import { readFileSync } from 'node:fs';
import nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pathToFileURL } from 'node:url';
import { licenseFamily } from '../schema/licenses.ts';
import { CATEGORIES, FACILITY_LEVELS, PROCESS_CODES, type Category } from '../schema/types.ts';
import { FACILITY_UNKNOWN_RANK, type SearchDocument } from '../server/domain/search-document.ts';
import { defaultSearchQuery, type SearchQuery } from '../server/domain/search-query.ts';
import { EmbeddedSearchIndex } from '../server/search/embedded.ts';
import { MeiliSearchIndex } from '../server/search/meili.ts';
import type { SearchIndex } from '../server/search/port.ts';
import { searchRoutes } from '../server/http/routes/search.ts';
import { errorHandler } from '../server/http/errors.ts';
import type { Deps } from '../server/services/deps.ts';
import { FIXTURES } from '../test/server/search/fixtures.ts';
import { rng } from './util.ts';

const CORPUS = process.env.OHW_OSHWA_CORPUS ?? '/work/shared/corpus/oshwa/projects.json';
const QUERIES = 200;
const WARMUP = 20;

interface OshwaProject {
  oshwaUid: string;
  responsibleParty: string;
  country: string;
  projectName: string;
  projectDescription: string | null;
  primaryType: string;
  additionalType?: string[];
  projectKeywords?: string[];
  hardwareLicense: string;
  documentationLicense: string;
  softwareLicense: string;
  certificationDate: string;
}


const LICENSE_MAP: Record<string, string> = {
  CERN: 'CERN-OHL-1.2', TAPR: 'TAPR-OHL-1.0', Solderpad: 'SHL-0.51', Other: 'LicenseRef-Other',
  'CC BY-SA': 'CC-BY-SA-4.0', 'CC BY': 'CC-BY-4.0', 'CC 0': 'CC0-1.0', GPL: 'GPL-3.0-or-later',
  Apache: 'Apache-2.0', MIT: 'MIT', BSD: 'BSD-3-Clause',
};
const spdx = (l: string): string | undefined => (l === 'No software' ? undefined : LICENSE_MAP[l] ?? (/^[A-Za-z0-9.+-]+$/.test(l) ? l : 'LicenseRef-Other'));
const COUNTRY: Record<string, string> = {
  'United States of America': 'US', Germany: 'DE', Bulgaria: 'BG', Croatia: 'HR', 'United Kingdom': 'GB',
  India: 'IN', Canada: 'CA', Spain: 'ES', France: 'FR', Italy: 'IT', Sweden: 'SE', Switzerland: 'CH',
};
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'x';
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const VARIANTS = ['', ' mk2', ' lite', ' pro', ' mini', ' v3', ' kit', ' xl', ' classic', ' open'];

export function loadCorpus(): OshwaProject[] {
  return JSON.parse(readFileSync(CORPUS, 'utf8')) as OshwaProject[];
}

export function generateDocuments(n: number, corpus: OshwaProject[], seed = 42): SearchDocument[] {
  const r = rng(seed);
  const base = Date.parse('2020-01-01T00:00:00Z');
  const docs: SearchDocument[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const p = corpus[i % corpus.length]!;
    const round = Math.floor(i / corpus.length);
    const t = FIXTURES[i % FIXTURES.length]!;
    const owner = slug(p.responsibleParty).slice(0, 20) || 'maker';
    let name = `${slug(p.projectName)}${round ? `-${round}` : ''}`;
    if (seen.has(`${owner}--${name}`)) name = `${name}-${i}`; // the corpus has repeated names per owner
    seen.add(`${owner}--${name}`);
    const title = `${p.projectName}${VARIANTS[round % VARIANTS.length]}`;
    const desc = (p.projectDescription ?? p.projectName).replace(/\s+/g, ' ');
    const primary: Category = (CATEGORIES as readonly string[]).includes(p.primaryType) ? (p.primaryType as Category) : 'Other';
    const categories = [...new Set([primary, ...(p.additionalType ?? []).filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c))])];
    const hw = spdx(p.hardwareLicense) ?? 'CERN-OHL-S-2.0';
    const licenses = [...new Set([hw, spdx(p.documentationLicense), spdx(p.softwareLicense)].filter((x): x is string => !!x))];
    const processes = [...new Set([...t.processes.filter(() => r() < 0.8), pick(r, PROCESS_CODES)])].sort();
    const facility = r() < 0.9 ? pick(r, FACILITY_LEVELS) : undefined;
    const otrl = `OTRL-${1 + Math.floor(r() * 6)}`;
    const certified = r() < 0.1;
    const odrl = certified ? 'ODRL-3*' : `ODRL-${1 + Math.floor(r() * 4)}`;
    const updatedAtTs = base + Math.floor(r() * 5 * 365 * 86_400_000);
    const priced = r() < 0.85;
    const amount = Math.round(r() ** 3 * 20_000 * 100) / 100 + 1;
    const doc: SearchDocument = {
      id: `${owner}--${name}`,
      package: `${owner}/${name}`,
      owner,
      name,
      version: `1.${round}.${i % 7}`,
      versions: [`1.${round}.${i % 7}`],
      title,
      summary: desc.slice(0, 160),
      function: desc.slice(0, 600),
      keywords: p.projectKeywords ?? [],
      category: primary,
      categories,
      licenses,
      licenseFamily: licenseFamily(hw),
      processes,
      tools: t.tools.filter(() => r() < 0.7),
      facilityRank: facility ? FACILITY_LEVELS.indexOf(facility) : FACILITY_UNKNOWN_RANK,
      maturity: [otrl, odrl],
      otrl,
      odrl,
      certified,
      partNames: t.partNames,
      mpns: t.mpns.map((m) => (r() < 0.5 ? m : `${m}-${Math.floor(r() * 100)}`)),
      regions: [...new Set([COUNTRY[p.country] ?? 'WORLD', ...t.regions.filter(() => r() < 0.5)])],
      updatedAt: new Date(updatedAtTs).toISOString(),
      updatedAtTs,
    };
    if (facility) doc.facilityLevel = facility;
    if (certified) doc.certification = 'certified';
    if (priced) {
      doc.estimatedCost = { amount, currency: pick(r, ['EUR', 'USD', 'GBP']) };
      doc.costSort = amount;
    }
    docs.push(doc);
  }
  return docs;
}

/** 200 queries of the kinds users send, drawn from the indexed documents. */
export function queryMix(docs: SearchDocument[], seed = 7): SearchQuery[] {
  const r = rng(seed);
  const words = docs.flatMap((d) => [...d.title.split(/\s+/), ...d.keywords]).map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((w) => w.length >= 4);
  const word = () => pick(r, words);
  const typo = (w: string) => (w.length < 5 ? w : w.slice(0, 2) + w.slice(3));
  const out: SearchQuery[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const k = i % 20;
    const d = pick(r, docs);
    if (k < 6) out.push(defaultSearchQuery({ text: word() }));
    else if (k < 9) out.push(defaultSearchQuery({ text: `${word()} ${word().slice(0, 4)}` }));
    else if (k < 11) out.push(defaultSearchQuery({ text: typo(word()) }));
    else if (k === 11) out.push(defaultSearchQuery({ text: d.package }));
    else if (k === 12) out.push(defaultSearchQuery({ filters: { category: [pick(r, CATEGORIES)] } }));
    else if (k === 13) out.push(defaultSearchQuery({ text: word(), filters: { license: [pick(r, d.licenses)], certified: r() < 0.5 } }));
    else if (k === 14) out.push(defaultSearchQuery({ filters: { canMake: ['3DP', 'LAS', 'ASM', 'CIR', 'PCB'] } }));
    else if (k === 15) out.push(defaultSearchQuery({ filters: { facility: 'garage', process: ['WEL'] } }));
    else if (k === 16) out.push(defaultSearchQuery({ sort: 'cost', filters: { region: ['EU'] } }));
    else if (k === 17) out.push(defaultSearchQuery({ text: word(), page: 2 }));
    else if (k === 18) out.push(defaultSearchQuery({ text: word(), sort: 'updated' }));
    else out.push(defaultSearchQuery());
  }
  return out;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const mb = (kb: number): string => (kb / 1024).toFixed(0);

export interface BenchRow {
  engine: string;
  docs: number;
  buildMs: number;
  p50Ms: number;
  p99Ms: number;
  httpRps: number;
  httpP50Ms: number;
  httpP99Ms: number;
  httpErrors: number;
  meanHits: number;
  peakRssMb: string;
  heapMb: string;
}

const HTTP_CONCURRENCY = 50;
const HTTP_REQUESTS = 2000;

/** The query as `GET /api/v1/search` parameters (what `ohw search` sends). */
function toParams(q: SearchQuery): string {
  const p = new URLSearchParams();
  if (q.text) p.set('q', q.text);
  for (const [k, v] of Object.entries(q.filters)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) { if (k === 'canMake') p.set(k, v.join(',')); else for (const x of v) p.append(k, x); }
    else p.set(k, String(v));
  }
  if (q.sort !== 'relevance') p.set('sort', q.sort);
  if (q.page !== 1) p.set('page', String(q.page));
  return p.toString();
}

/** The same query mix through the real route (Express, JSON) with `concurrency` clients on loopback. */
async function overHttp(index: SearchIndex, queries: SearchQuery[], concurrency: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const app = express();
  app.use('/api/v1', searchRoutes({ search: index } as unknown as Deps));
  app.use(errorHandler(() => {}));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: concurrency });
  const paths = queries.map((q) => `/api/v1/search?${toParams(q)}`);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < HTTP_REQUESTS) {
      const path = paths[next++ % paths.length]!;
      const t = performance.now();
      const ok = await new Promise<boolean>((resolve) => {
        nodeHttp.get({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
        }).on('error', () => resolve(false)); // e.g. a keep-alive socket closed under us: count it
      });
      if (ok) latencies.push(performance.now() - t);
      else errors++;
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  await new Promise((r) => server.close(r));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function measure(engine: string, make: () => SearchIndex, docs: SearchDocument[]): Promise<BenchRow> {
  const index = make();
  await index.init();
  const t0 = performance.now();
  await index.replaceAll(docs);
  const buildMs = performance.now() - t0;
  const queries = queryMix(docs);
  for (const q of queries.slice(0, WARMUP)) await index.search(q);
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const s = performance.now();
    const res = await index.search(q);
    times.push(performance.now() - s);
    hits += res.total;
  }
  times.sort((a, b) => a - b);
  const http = await overHttp(index, queries, HTTP_CONCURRENCY);
  const row: BenchRow = {
    engine,
    docs: docs.length,
    buildMs: Math.round(buildMs),
    p50Ms: Number(percentile(times, 50).toFixed(2)),
    p99Ms: Number(percentile(times, 99).toFixed(2)),
    httpRps: Math.round(http.rps),
    httpP50Ms: Number(http.p50.toFixed(1)),
    httpP99Ms: Number(http.p99.toFixed(1)),
    httpErrors: http.errors,
    meanHits: Math.round(hits / queries.length),
    peakRssMb: mb(process.resourceUsage().maxRSS),
    heapMb: (process.memoryUsage().heapUsed / 1048576).toFixed(0),
  };
  await index.close();
  return row;
}

export async function benchSearch(opts: { sizes?: number[] } = {}): Promise<void> {
  const sizes = opts.sizes ?? (process.env.BENCH_SEARCH_SIZES ?? '1000,10000,100000').split(',').map(Number).filter((n) => n > 0);
  const corpus = loadCorpus();
  const rows: BenchRow[] = [];
  for (const n of [...sizes].sort((a, b) => a - b)) {
    const docs = generateDocuments(n, corpus);
    rows.push(await measure('embedded', () => new EmbeddedSearchIndex(), docs));
    const host = process.env.MEILI_HOST;
    if (host) {
      const meiliOpts: ConstructorParameters<typeof MeiliSearchIndex>[0] = { host, indexName: 'ohc_bench', taskTimeoutMs: 600_000, retryIntervalMs: 0 };
      if (process.env.MEILI_MASTER_KEY) meiliOpts.apiKey = process.env.MEILI_MASTER_KEY;
      rows.push(await measure('meilisearch', () => new MeiliSearchIndex(meiliOpts), docs));
    }
    global.gc?.();
  }
  console.log(`search bench — ${QUERIES} queries per size after ${WARMUP} warm-up; node ${process.version}`);
  console.table(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchSearch();
}
