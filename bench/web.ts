/**
 * Web site benchmark (issue 14): the design page (HTML) next to the JSON package read, in the same
 * run, over HTTP at concurrency 50 across the example designs. The page must reach at least half
 * of the JSON figure; it is served from a cache keyed by the stored package state (page-cache.ts),
 * so this measures what a visitor who is not signed in gets.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildDeps } from '../server/compose.ts';
import { createApp } from '../server/http/app.ts';
import { DEFAULT_LIMITS } from '../schema/package-rules.ts';
import { seedDesigns } from '../server/services/seed.ts';
import { percentile, printTable } from './util.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function load(port: number, paths: string[], concurrency: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (p: string) => new Promise<void>((resolve) => {
    const t = performance.now();
    http.get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => { if (res.statusCode !== 200) errors++; latencies.push(performance.now() - t); resolve(); });
    }).on('error', () => { errors++; resolve(); });
  });
  const start = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) await one(paths[i++ % paths.length]!);
  }));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, avgBytes: bytes / Math.max(1, latencies.length) };
}

export async function benchWeb(opts: { seconds?: number } = {}): Promise<{ json: number; html: number }> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_WEB_SECONDS ?? 6);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-bench-web-'));
  try {
    const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
    const { published } = await seedDesigns(deps, path.join(ROOT, 'designs'));
    const pkgs = published.map((p) => p.split('@')[0]!);
    const server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    // First render of each page (the cache fills), then the measured runs.
    const t = performance.now();
    await load(port, pkgs.map((p) => `/designs/${p}`), 1, 0.001);
    for (const p of pkgs) await new Promise<void>((r) => http.get(`http://127.0.0.1:${port}/designs/${p}`, (res) => res.resume().on('end', () => r())));
    const coldMs = (performance.now() - t) / pkgs.length;
    // Alternating short rounds, so that load from elsewhere on the machine hits both alike.
    const rounds = 4;
    const runs = { json: [] as Awaited<ReturnType<typeof load>>[], html: [] as Awaited<ReturnType<typeof load>>[] };
    for (let r = 0; r < rounds; r++) {
      runs.json.push(await load(port, pkgs.map((p) => `/api/v1/designs/${p}`), 50, seconds / rounds));
      runs.html.push(await load(port, pkgs.map((p) => `/designs/${p}`), 50, seconds / rounds));
    }
    const merge = (xs: Awaited<ReturnType<typeof load>>[]) => ({
      rps: xs.reduce((a, x) => a + x.rps, 0) / xs.length,
      p50: Math.max(...xs.map((x) => x.p50)),
      p99: Math.max(...xs.map((x) => x.p99)),
      errors: xs.reduce((a, x) => a + x.errors, 0),
      avgBytes: xs[0]!.avgBytes,
    });
    const json = merge(runs.json);
    const html = merge(runs.html);
    await new Promise((r) => server.close(r));
    await deps.search.close();
    await deps.db.close();
    const ratio = html.rps / json.rps;
    printTable(`Web site (${pkgs.length} example designs, concurrency 50, ${seconds} s each in ${rounds} alternating rounds; p50/p99: worst round)`, ['what', 'result', 'detail'], [
      ['GET /api/v1/designs/:o/:n (JSON package read)', `${json.rps.toFixed(0)} req/s`, `p50 ${json.p50.toFixed(1)} ms, p99 ${json.p99.toFixed(1)} ms, ${(json.avgBytes / 1024).toFixed(1)} KiB, ${json.errors} errors`],
      ['GET /designs/:o/:n (design page, HTML)', `${html.rps.toFixed(0)} req/s`, `p50 ${html.p50.toFixed(1)} ms, p99 ${html.p99.toFixed(1)} ms, ${(html.avgBytes / 1024).toFixed(1)} KiB, ${html.errors} errors`],
      ['design page first render (uncached)', `${coldMs.toFixed(0)} ms`, 'README, BOM explosion, where-used, forks, certifications'],
      ['page / JSON', `${(ratio * 100).toFixed(0)} %`, ratio >= 0.5 ? 'meets the target (≥ 50 %)' : 'BELOW the target (≥ 50 %)'],
    ]);
    return { json: json.rps, html: html.rps };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWeb();
