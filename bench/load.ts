/**
 * A small, bounded HTTP load loop in the manner of autocannon (which is not installed here):
 * `connections` keep-alive sockets, each sending the next request as soon as the previous answer
 * has been read, for `seconds`. Counts requests, non-2xx answers, errors and latency percentiles.
 */
import http from 'node:http';
import { percentile } from './util.ts';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytes: number;
}

export async function load(url: string, opts: { connections?: number; seconds?: number; headers?: Record<string, string> } = {}): Promise<LoadResult> {
  const connections = opts.connections ?? 50;
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 5);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  const target = new URL(url);
  const deadline = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = http.get({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers: opts.headers }, (res) => {
        res.on('data', (c: Buffer) => { bytes += c.length; });
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          latencies.push(performance.now() - t);
          resolve();
        });
        res.on('error', () => { errors++; resolve(); });
      });
      req.on('error', () => { errors++; resolve(); });
    });
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) await one();
  }));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, non2xx, bytes };
}

export const fmtLoad = (r: LoadResult) =>
  `${r.rps.toFixed(0)} req/s (p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}, non2xx ${r.non2xx})`;
