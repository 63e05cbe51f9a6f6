/**
 * Publish benchmark (issues 12 and 13): `PUT /api/v1/designs/bench/typical/versions/:v` of the
 * 1.1 MB, 30-file design over real HTTP on loopback, N versions in a row, with git's fsync on
 * (the default: an acknowledged publish survives power loss) and off (to show what it costs).
 *
 *   npx tsx bench/publish.ts            # both
 *   npx tsx --cpu-prof bench/publish.ts # and look at the profile
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildDeps } from '../server/compose.ts';
import { GitDesignStore } from '../server/store/git/design-store.ts';
import { GitIndexStore } from '../server/store/git/index-store.ts';
import { ManifestCache } from '../server/services/manifest-cache.ts';
import { createApp } from '../server/http/app.ts';
import { DEFAULT_LIMITS } from '../schema/package-rules.ts';
import { typicalDesignArchive, typicalDesignFiles } from './typical-design.ts';
import { median, percentile } from './util.ts';

export interface PublishFigure {
  perSecond: number;
  p50: number;
  p99: number;
  gzBytes: number;
}

export async function measurePublish(opts: { versions?: number; fsync?: boolean } = {}): Promise<PublishFigure> {
  const n = opts.versions ?? Number(process.env.BENCH_PUBLISHES ?? 15);
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-bench-publish-'));
  const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
  // The git stores with fsync as asked (the server's default is on).
  const designs = new GitDesignStore({ dataDir, fsync: opts.fsync ?? true });
  Object.assign(deps, { designs, index: new GitIndexStore({ dataDir, fsync: opts.fsync ?? true }), manifests: new ManifestCache(designs) });
  const server = http.createServer(createApp(deps));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const reg = await fetch(`${base}/api/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', email: 'bench@example.org', password: 'bench-password-123' }) });
    const token = ((await reg.json()) as { token: string }).token;
    const archives = await Promise.all(Array.from({ length: n }, (_, i) => typicalDesignArchive('bench/typical', `1.0.${i}`)));
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await fetch(`${base}/api/v1/designs/bench/typical/versions/1.0.${i}`, { method: 'PUT', headers: { 'content-type': 'application/gzip', authorization: `Bearer ${token}` }, body: archives[i] as unknown as BodyInit });
      const text = await r.text();
      times.push(performance.now() - t);
      if (r.status !== 201) throw new Error(`publish 1.0.${i}: ${r.status} ${text.slice(0, 300)}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { perSecond: n / (times.reduce((a, b) => a + b, 0) / 1000), p50: median(times), p99: percentile(sorted, 99), gzBytes: archives[0]!.length };
  } finally {
    await new Promise((r) => server.close(r));
    await designs.idle();
    await deps.search.close();
    await deps.db.close();
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The cost of fsync alone: the git store's publish of the same design with fsync on and off,
 * interleaved (so drift on a shared machine hits both alike), medians of `n` each.
 */
export async function measureFsyncCost(n = 20): Promise<{ on: number; off: number }> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-bench-fsync-'));
  const person = { name: 'bench', email: 'bench@example.org' };
  const stores = { on: new GitDesignStore({ dataDir: path.join(dataDir, 'on'), fsync: true }), off: new GitDesignStore({ dataDir: path.join(dataDir, 'off'), fsync: false }) };
  const times = { on: [] as number[], off: [] as number[] };
  try {
    for (const s of Object.values(stores)) await s.create('bench/typical', { owners: ['bench'], yanked: {}, createdAt: new Date().toISOString() }, person);
    for (let i = 0; i < n; i++) {
      const files = typicalDesignFiles('bench/typical', `1.0.${i}`);
      for (const k of (i % 2 ? ['on', 'off'] : ['off', 'on']) as Array<'on' | 'off'>) {
        const t = performance.now();
        await stores[k].publish('bench/typical', { version: `1.0.${i}`, files, meta: { checksum: 'sha256:bench', publisher: 'bench' }, author: person, message: 'bench', date: new Date() });
        times[k].push(performance.now() - t);
        await stores[k].idle();
      }
    }
    return { on: median(times.on), off: median(times.off) };
  } finally {
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchPublish(): Promise<void> {
  const durable = await measurePublish({ fsync: true });
  const fast = await measurePublish({ fsync: false });
  console.log(`publish of the ${(durable.gzBytes / 1e6).toFixed(2)} MB, 30-file design (15 versions, over HTTP):`);
  console.log(`  fsync on : ${durable.perSecond.toFixed(1)} versions/s (p50 ${durable.p50.toFixed(0)} ms, p99 ${durable.p99.toFixed(0)} ms)`);
  console.log(`  fsync off: ${fast.perSecond.toFixed(1)} versions/s (p50 ${fast.p50.toFixed(0)} ms, p99 ${fast.p99.toFixed(0)} ms)`);
  const store = await measureFsyncCost();
  console.log(`  git store alone, interleaved (median of 20 each): fsync on ${store.on.toFixed(1)} ms, off ${store.off.toFixed(1)} ms — fsync costs ${(store.on - store.off).toFixed(1)} ms per publish`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPublish();
