/**
 * Registry benchmarks (issue 3): publish throughput for a typical design (~30 files, ~2 MB),
 * package reads over HTTP at concurrency 50 across 1,000 packages, and rebuild-derived time.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildDeps } from '../server/compose.ts';
import { createApp } from '../server/http/app.ts';
import { DEFAULT_LIMITS } from '../schema/package-rules.ts';
import { writeArchive } from '../schema/archive.ts';
import { publishVersion } from '../server/services/publish-version.ts';
import { loadSearchIndex, rebuildDerived } from '../server/services/derived-views.ts';
import { starterFiles } from '../cli/starter-design.ts';
import type { PackageFile } from '../schema/package-file.ts';
import { percentile, printTable } from './util.ts';

const actor = (name: string) => ({ name, email: `${name}@bench.invalid`, roles: [], scopes: ['publish'] });

function starter(name: string, version: string): PackageFile[] {
  return starterFiles({
    name, version, title: `Bench ${name}`, summary: 'Benchmark design', function: 'Measures the registry',
    licenseHardware: 'CERN-OHL-S-2.0', licenseDocumentation: 'CC-BY-SA-4.0', licenseSoftware: 'NONE',
    category: 'Tool', processes: ['ASM', '3DP'], licensor: 'bench', language: 'en',
  }).map((f) => ({ path: f.path, data: Buffer.from(f.content) }));
}

/** ~30 files, ~2 MB: CAD-like text (compressible) and exported binaries (not). */
function typicalDesign(name: string, version: string): PackageFile[] {
  const files = starter(name, version);
  for (let i = 0; i < 14; i++) {
    const line = `solid part${i}\n  facet normal 0 0 1\n    outer loop\n      vertex ${i} 0 0\n      vertex 0 ${i} 0\n      vertex 0 0 ${i}\n    endloop\n  endfacet\n`;
    files.push({ path: `cad/part-${i}.scad`, data: Buffer.from(line.repeat(800)) });
  }
  for (let i = 0; i < 12; i++) files.push({ path: `photos/photo-${i}.jpg`, data: crypto.randomBytes(95_000) });
  return files;
}

async function publishThroughput(dataDir: string): Promise<Array<Array<string | number>>> {
  const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
  const n = 20;
  const archives = await Promise.all(Array.from({ length: n }, (_, i) => writeArchive(typicalDesign('bench/typical', `1.0.${i}`))));
  const size = typicalDesign('bench/typical', '1.0.0').reduce((s, f) => s + f.data.byteLength, 0);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await publishVersion(deps, { pkg: 'bench/typical', version: `1.0.${i}`, archive: archives[i]!, actor: actor('bench') });
    times.push(performance.now() - t);
  }
  const total = times.reduce((a, b) => a + b, 0);
  const sorted = [...times].sort((a, b) => a - b);
  return [[`publish (30 files, ${(size / 1e6).toFixed(1)} MB, ${(archives[0]!.length / 1e6).toFixed(1)} MB gz)`, (n / (total / 1000)).toFixed(1) + ' versions/s', `p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`]];
}

async function populate(dataDir: string, count: number): Promise<number> {
  const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
  const t = performance.now();
  const queue = Array.from({ length: count }, (_, i) => i);
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const owner = `owner${Math.floor(i / 10)}`;
      const name = `design-${i}-${['press', 'cube', 'trac', 'lamp', 'dryer'][i % 5]}`;
      await publishVersion(deps, { pkg: `${owner}/${name}`, version: '1.0.0', archive: await writeArchive(starter(`${owner}/${name}`, '1.0.0')), actor: actor(owner) });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return performance.now() - t;
}

async function readLoad(dataDir: string, count: number, concurrency: number, seconds: number): Promise<{ rps: number; p50: number; p99: number; errors: number; startMs: number }> {
  // Start as main.ts does: filling the search index reads every latest manifest (warm caches).
  const t0 = performance.now();
  const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
  await loadSearchIndex(deps);
  const startMs = performance.now() - t0;
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (i: number) => new Promise<void>((resolve) => {
    const owner = `owner${Math.floor(i / 10)}`;
    const name = `design-${i}-${['press', 'cube', 'trac', 'lamp', 'dryer'][i % 5]}`;
    const t = performance.now();
    http.get({ host: '127.0.0.1', port, path: `/api/v1/designs/${owner}/${name}`, agent }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode !== 200) errors++; latencies.push(performance.now() - t); resolve(); });
    }).on('error', () => { errors++; resolve(); });
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) await one(Math.floor(Math.random() * count));
  }));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  await new Promise((r) => server.close(r));
  const sorted = latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, startMs };
}

export async function benchRegistry(opts: { packages?: number } = {}): Promise<void> {
  const count = opts.packages ?? Number(process.env.BENCH_PACKAGES ?? 1000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-bench-'));
  try {
    const rows = await publishThroughput(path.join(base, 'publish'));
    const dataDir = path.join(base, 'reads');
    const populateMs = await populate(dataDir, count);
    rows.push([`publish ${count} small packages (4 concurrent)`, (count / (populateMs / 1000)).toFixed(1) + ' versions/s', `${(populateMs / 1000).toFixed(1)} s total`]);
    const load = await readLoad(dataDir, count, 50, 8);
    rows.push([`server start (index ${count} packages into search)`, `${(load.startMs / 1000).toFixed(1)} s`, '']);
    rows.push([`GET /designs/:o/:n, ${count} packages, concurrency 50`, `${load.rps.toFixed(0)} req/s`, `p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms, ${load.errors} errors`]);
    const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
    const t = performance.now();
    const rebuilt = await rebuildDerived(deps);
    rows.push([`rebuild-derived, ${rebuilt.designs} packages`, `${((performance.now() - t) / 1000).toFixed(2)} s`, `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`]);
    printTable('Registry', ['what', 'result', 'detail'], rows);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRegistry();
