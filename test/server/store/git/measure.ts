/**
 * Measurements of the git stores (not a test; run by hand):
 *   npx tsx test/server/store/git/measure.ts
 * Prints: publish of a 30-file / 2 MB package (median of 10), versions() on a repo with 50
 * versions (cold = new store instance, warm = same instance), index commit latency.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { GitIndexStore } from '../../../../server/store/git/index-store.ts';
import { runGit } from '../../../../server/store/git/real-git.ts';
import type { PackageFile } from '../../../../server/store/ports.ts';
import { alice, initialState, publishInput, tempDataDir } from './helpers.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function package30x2MB(seed: number): PackageFile[] {
  // 30 files, ~2 MiB total: a few large binary-ish files (random, incompressible), many small text files.
  const files: PackageFile[] = [];
  for (let i = 0; i < 4; i++) files.push({ path: `cad/part-${i}.step`, data: randomBytes(480 * 1024) });
  for (let i = 0; i < 26; i++) files.push({ path: `docs/section-${i % 5}/page-${i}.md`, data: new TextEncoder().encode(`# page ${i} ${seed}\n${'lorem ipsum '.repeat(1000)}`) });
  return files;
}

const { dir, cleanup } = await tempDataDir();
try {
  const store = new GitDesignStore({ dataDir: dir });
  await store.create('acme/big', initialState(), alice);
  const pkg = package30x2MB(0);
  const bytes = pkg.reduce((n, f) => n + f.data.length, 0);
  const publishTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const files = package30x2MB(i);
    publishTimes.push(await time(() => store.publish('acme/big', publishInput(`1.${i}.0`, files))));
  }
  console.log(`publish 30 files / ${(bytes / 1024 / 1024).toFixed(2)} MiB: median ${fmt(median(publishTimes))} (min ${fmt(Math.min(...publishTimes))}, max ${fmt(Math.max(...publishTimes))})`);

  const readTimes: number[] = [];
  for (let i = 0; i < 5; i++) readTimes.push(await time(() => store.readFiles('acme/big', '1.3.0')));
  console.log(`readFiles of that package: median ${fmt(median(readTimes))}`);

  const spawnTimes: number[] = [];
  for (let i = 0; i < 10; i++) spawnTimes.push(await time(() => runGit(store.repoPath('acme/big'), ['rev-parse', '--verify', 'HEAD^{}']).catch(() => '')));
  console.log(`one real-git spawn via simple-git: median ${fmt(median(spawnTimes))}`);

  await store.create('acme/many', initialState(), alice);
  for (let i = 0; i < 50; i++) await store.publish('acme/many', publishInput(`0.${i}.0`));
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    const fresh = new GitDesignStore({ dataDir: dir });
    cold.push(await time(() => fresh.versions('acme/many')));
    warm.push(await time(() => fresh.versions('acme/many')));
  }
  console.log(`versions() with 50 versions: cold median ${fmt(median(cold))}, warm (record cache) median ${fmt(median(warm))}`);
  await store.maintain('acme/many', { full: true });
  const packed: number[] = [];
  for (let i = 0; i < 10; i++) packed.push(await time(() => new GitDesignStore({ dataDir: dir }).versions('acme/many')));
  console.log(`versions() with 50 versions after git gc (packed), cold: median ${fmt(median(packed))}`);

  const index = new GitIndexStore({ dataDir: dir });
  await index.init();
  for (let i = 0; i < 200; i++) await index.commit([{ path: `designs/o${i % 20}/d${i}.json`, content: `${i}` }], alice, `seed ${i}`);
  const commitTimes: number[] = [];
  for (let i = 0; i < 20; i++) commitTimes.push(await time(() => index.commit([{ path: `designs/o${i}/d${i}.jsonl`, content: `x${i}` }, { path: `designs/o${i}/d${i}.json`, content: `y${i}` }], alice, `m${i}`)));
  console.log(`index commit (2 files, ~220 files in index): median ${fmt(median(commitTimes))}`);
  const h = await time(() => index.history('designs/o3/d3.json'));
  console.log(`index history over 221 commits: ${fmt(h)}`);
  await store.idle();
  await index.idle();
} finally {
  await cleanup();
}
