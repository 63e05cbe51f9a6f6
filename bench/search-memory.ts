/**
 * Memory of the embedded search engine as the server runs it: documents stored in SQLite (the
 * derived-state table), the engine holding only its index (filter views, facet ids, sort keys)
 * and reading a result page's documents from the database. Each size runs in a fresh child
 * process (RSS only grows within a process), loads the index in batches as the server's start
 * does, answers a query mix, and reports RSS and heap after a full GC.
 * BENCH_SEARCH_MEMORY_SIZES sets the sizes (default 10000,100000); the ceilings are the issue's:
 * ≤ 300 MB at 10,000 designs, ≤ 1 GB at 100,000.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from '../server/store/sql/database.ts';
import { migrate } from '../server/store/sql/migrate.ts';
import { SqlDerivedStore } from '../server/store/sql/derived-store.ts';
import { EmbeddedSearchIndex } from '../server/search/embedded.ts';
import { documentDigest } from '../server/domain/search-document.ts';
import { parseSearchQuery } from '../server/domain/search-query.ts';
import { generateDocuments, loadCorpus } from './search.ts';
import { median, printTable } from './util.ts';

const SELF = fileURLToPath(import.meta.url);
const CEILING_MB: Record<number, number> = { 10_000: 300, 100_000: 1024 };
const QUERIES = ['press', 'sensor', 'open source', 'arduino', 'tractr', 'case', 'cnc', 'solar', 'microscope', 'robot'];

async function child(n: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-search-mem-'));
  try {
    const db = openDatabase(path.join(dir, 'ohw.db'));
    db.sqlite.pragma('synchronous = OFF');
    await migrate(db);
    {
      // Generated, stored as the server stores them, and dropped.
      const docs = generateDocuments(n, loadCorpus());
      const insert = db.sqlite.prepare('insert into design_packages (pkg, package_json, search_doc_json, search_doc_digest, latest, updated_at) values (?, ?, ?, ?, ?, ?)');
      db.sqlite.transaction(() => {
        for (const d of docs) insert.run(d.package, '{}', JSON.stringify(d), documentDigest(d), d.version, new Date().toISOString());
      })();
    }
    const derived = new SqlDerivedStore(db);
    const index = new EmbeddedSearchIndex({ fetch: (ids) => derived.searchDocumentsById(ids) });
    const t0 = performance.now();
    const page = db.sqlite.prepare('select search_doc_json as j from design_packages order by pkg limit ? offset ?');
    for (let off = 0; ; off += 5000) {
      const rows = page.all(5000, off) as Array<{ j: string }>;
      if (!rows.length) break;
      await index.upsert(rows.map((r) => JSON.parse(r.j)));
    }
    const loadMs = performance.now() - t0;
    global.gc!();
    const afterLoad = process.memoryUsage();
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of QUERIES) {
        const s = performance.now();
        await index.search(parseSearchQuery({ q }));
        times.push(performance.now() - s);
      }
      const s = performance.now();
      await index.search(parseSearchQuery({ canMake: 'ASM,3DP,LAS,CNC' }));
      times.push(performance.now() - s);
    }
    global.gc!();
    const after = process.memoryUsage();
    console.log(JSON.stringify({ n: index.size, loadMs, rssLoaded: afterLoad.rss, heapLoaded: afterLoad.heapUsed, rss: after.rss, heap: after.heapUsed, p50: median(times) }));
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSearchMemory(): Promise<void> {
  const sizes = (process.env.BENCH_SEARCH_MEMORY_SIZES ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
  const rows: Array<Array<string | number>> = [];
  for (const n of sizes) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', SELF, String(n)], { encoding: 'utf8', cwd: path.dirname(path.dirname(SELF)) });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`search memory child failed: ${r.stderr.slice(-800)}`);
    const m = JSON.parse(line) as { n: number; loadMs: number; rss: number; heap: number; p50: number };
    const mbOf = (b: number) => b / 1048576;
    const ceiling = CEILING_MB[n];
    rows.push([m.n, (m.loadMs / 1000).toFixed(1), mbOf(m.rss).toFixed(0), mbOf(m.heap).toFixed(0), ceiling ? `${ceiling} MB (${mbOf(m.rss) <= ceiling ? 'met' : 'NOT met'})` : '—', m.p50.toFixed(1)]);
  }
  printTable('embedded search memory, documents in SQLite (fresh process per size, after GC)', ['designs', 'index load s', 'RSS MB', 'heap MB', 'ceiling', 'query p50 ms'], rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2]) {
  await child(Number(process.argv[2]));
}
