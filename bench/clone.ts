/**
 * Clone benchmark (issue 7): `git clone` of a typical design over our HTTP bridge
 * (`/git/<owner>/<name>.git` → `git http-backend`) against `git clone` of the same bare repo from
 * the filesystem. The design is the ose/power-cube example plus twelve ~95 KB photos (~2 MB, as
 * in bench/registry.ts), published as five versions, each changing a few files, so the clone
 * carries a history. Median of RUNS clones each.
 *
 *   npx tsx bench/clone.ts
 *
 * Three columns: HTTP bridge (protocol v2, the default of git 2.39), `git clone <path>` (git's
 * local shortcut: hard-links the object files, no pack is made), and `git clone --no-local
 * <path>` (the same upload-pack/pack-objects work as over HTTP, without HTTP).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeArchive } from '../schema/archive.ts';
import { DEFAULT_LIMITS } from '../schema/package-rules.ts';
import { readDesignFolder } from '../io/design-folder.ts';
import { buildDeps } from '../server/compose.ts';
import { createApp } from '../server/http/app.ts';
import { publishVersion } from '../server/services/publish-version.ts';
import { median, printTable } from './util.ts';

const RUNS = Number(process.env.BENCH_CLONE_RUNS ?? 9);
/** 15 versions (issue 13's clone figure). */
const VERSIONS = Array.from({ length: 15 }, (_, i) => `1.${Math.floor(i / 3) + 1}.${i % 3}`);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function gitClone(args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('git', ['clone', '--quiet', ...args], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' } }, (err, _o, stderr) => {
      if (err) reject(new Error(`git clone ${args.join(' ')}: ${stderr}`));
      else resolve(performance.now() - t0);
    });
  });
}

export async function benchClone(): Promise<void> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-bench-clone-'));
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-bench-clones-'));
  const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2, meili: undefined });
  const actor = { name: 'ose', email: 'ose@bench.invalid', roles: [], scopes: ['publish'] };
  await deps.accounts.create({ name: 'ose', email: actor.email, password: crypto.randomBytes(18).toString('base64url') });

  const base = await readDesignFolder(path.join(ROOT, 'designs/ose--power-cube'), deps.limits);
  const photos = Array.from({ length: 12 }, (_, i) => ({ path: `docs/photos/build-${i}.jpg`, data: crypto.randomBytes(95_000) }));
  for (const [n, version] of VERSIONS.entries()) {
    const files = [...base, ...photos].map((f) => {
      if (f.path === 'design.yaml') return { ...f, data: Buffer.from(Buffer.from(f.data).toString('utf8').replace(/^version: .*$/m, `version: ${version}`)) };
      if (f.path === 'README.md') return { ...f, data: Buffer.concat([Buffer.from(f.data), Buffer.from(`\n\nChanges in ${version}.\n`)]) };
      return f;
    });
    if (n > 0) photos[n % photos.length] = { path: photos[n % photos.length]!.path, data: crypto.randomBytes(95_000) }; // a new photo each version
    await publishVersion(deps, { pkg: 'ose/power-cube', version, archive: await writeArchive(files), actor });
  }
  const gitdir = deps.designs.repoPath('ose/power-cube');
  const repoBytes = await du(gitdir);

  const server = http.createServer(createApp(deps));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/git/ose/power-cube.git`;

  // The ceiling: the same repository after git packs it itself.
  const packed = path.join(work, 'packed.git');
  await new Promise<void>((resolve, reject) => execFile('git', ['clone', '-q', '--bare', '--no-local', gitdir, packed], (e) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve, reject) => execFile('git', ['-C', packed, 'repack', '-adq'], (e) => (e ? reject(e) : resolve())));
  const times = { http: [] as number[], local: [] as number[], noLocal: [] as number[], packed: [] as number[] };
  try {
    let i = 0;
    const dest = () => path.join(work, `c${i++}`);
    for (let run = 0; run < RUNS + 1; run++) {
      // Interleaved, so drift (page cache, CPU frequency) hits all three alike; run 0 is warm-up.
      const h = await gitClone([url, dest()], work);
      const l = await gitClone([gitdir, dest()], work);
      const n = await gitClone(['--no-local', gitdir, dest()], work);
      const p = await gitClone(['--no-local', packed, dest()], work);
      if (run === 0) continue;
      times.http.push(h);
      times.local.push(l);
      times.noLocal.push(n);
      times.packed.push(p);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
  const tags = await new Promise<string>((resolve) =>
    execFile('git', ['-C', path.join(work, 'c0'), 'tag'], (_e, out) => resolve(out.trim().split('\n').join(' '))));

  const m = { http: median(times.http), local: median(times.local), noLocal: median(times.noLocal), packed: median(times.packed) };
  printTable(`git clone of ose/power-cube (${VERSIONS.length} versions, repo ${(repoBytes / 1024 / 1024).toFixed(1)} MiB on disk; tags: ${tags}) — median of ${RUNS}`,
    ['how', 'median ms', 'min ms', 'max ms', 'vs HTTP bridge'],
    [
      ['HTTP bridge (git http-backend, protocol v2)', m.http.toFixed(1), Math.min(...times.http).toFixed(1), Math.max(...times.http).toFixed(1), '1.00'],
      ['filesystem path (local: hard links)', m.local.toFixed(1), Math.min(...times.local).toFixed(1), Math.max(...times.local).toFixed(1), (m.local / m.http).toFixed(2)],
      ['filesystem path --no-local (pack over a pipe)', m.noLocal.toFixed(1), Math.min(...times.noLocal).toFixed(1), Math.max(...times.noLocal).toFixed(1), (m.noLocal / m.http).toFixed(2)],
      ['--no-local of a copy after git repack -ad (the ceiling)', m.packed.toFixed(1), Math.min(...times.packed).toFixed(1), Math.max(...times.packed).toFixed(1), (m.packed / m.http).toFixed(2)],
    ]);
  console.log(`\nratio HTTP bridge / git --no-local of the packed copy: ${(m.http / m.packed).toFixed(2)}× (goal ≤ 1.2×); vs filesystem clone: ${(m.http / m.local).toFixed(2)}×`);

  await fs.promises.rm(work, { recursive: true, force: true });
  await fs.promises.rm(dataDir, { recursive: true, force: true });
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await du(p) : (await fs.promises.stat(p)).size;
  }
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchClone();
}
