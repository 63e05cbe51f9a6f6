/** Small helpers shared by the benchmarks: timing, percentiles, printing. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

/** Run `fn` repeatedly for about `ms` milliseconds; returns runs per second. */
export async function throughput(fn: () => unknown | Promise<unknown>, ms = 1500): Promise<{ perSecond: number; runs: number }> {
  const start = performance.now();
  let runs = 0;
  while (performance.now() - start < ms) {
    await fn();
    runs++;
  }
  return { perSecond: runs / ((performance.now() - start) / 1000), runs };
}

export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n## ${title}`);
  for (const [n, r] of cells.entries()) {
    console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** Deterministic pseudo-random numbers (mulberry32), so generated data is the same every run. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
