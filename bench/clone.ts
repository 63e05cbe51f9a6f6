/**
 * Clone benchmark (issue 7): `git clone` of a typical design over our HTTP bridge
 * (`/git/<owner>/<name>.git` → `git upload-pack --stateless-rpc`) against `git clone` of the same bare repo from
 * the filesystem. The design is the ose/power-cube example plus twelve ~95 KB photos (~2 MB, as
 * in bench/registry.ts), published as five versions, each changing a few files, so the clone
 * carries a history. Median of RUNS clones each.
 *
 *   npx tsx bench/clone.ts
 *
 * Three columns: HTTP bridge (protocol v2, the default of git 2.39), `git clone <path>` (git's
 * local shortcut: hard-links the object files, no pack is made), and `git clone --no-local
 * <path>` (the same upload-pack/pack-objects work as over HTTP, without HTTP).
 *
 * Then the clone's one expensive request on its own (the v2 `fetch` of every tag, no progress):
 * through the bridge over HTTP, `git upload-pack --stateless-rpc` fed the same bytes on a pipe,
 * and `git http-backend` (CGI) fed them — what the bridge used to spawn.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
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
  // The store's maintenance (a repack behind the last publish) settles first: a clone racing it
  // would time the repack, and the repo is then the one pack with a bitmap it serves from.
  await (deps.designs as { idle?: () => Promise<void> }).idle?.();
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
      ['HTTP bridge (git upload-pack, protocol v2)', m.http.toFixed(1), Math.min(...times.http).toFixed(1), Math.max(...times.http).toFixed(1), '1.00'],
      ['filesystem path (local: hard links)', m.local.toFixed(1), Math.min(...times.local).toFixed(1), Math.max(...times.local).toFixed(1), (m.local / m.http).toFixed(2)],
      ['filesystem path --no-local (pack over a pipe)', m.noLocal.toFixed(1), Math.min(...times.noLocal).toFixed(1), Math.max(...times.noLocal).toFixed(1), (m.noLocal / m.http).toFixed(2)],
      ['--no-local of a copy after git repack -ad (the ceiling)', m.packed.toFixed(1), Math.min(...times.packed).toFixed(1), Math.max(...times.packed).toFixed(1), (m.packed / m.http).toFixed(2)],
    ]);
  console.log(`\nratio HTTP bridge / git --no-local of the packed copy: ${(m.http / m.packed).toFixed(2)}× (goal ≤ 1.2×); vs filesystem clone: ${(m.http / m.local).toFixed(2)}×`);

  await benchFetchStep(deps, gitdir);
  await fs.promises.rm(work, { recursive: true, force: true });
  await fs.promises.rm(dataDir, { recursive: true, force: true });
}

const pkt = (line: string) => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;

/** Run a command with `input` on stdin, drain stdout; resolves with the ms taken and the bytes out. */
function timed(cmd: string, args: string[], env: Record<string, string>, input: Buffer): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout.on('data', (c: Buffer) => { bytes += c.length; });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`${cmd} exited ${code}`))));
    child.stdin.end(input);
  });
}

/** The v2 fetch of a clone, three ways (see the header). */
async function benchFetchStep(deps: Awaited<ReturnType<typeof buildDeps>>, gitdir: string): Promise<void> {
  const tips = execFileSync('git', ['-C', gitdir, 'for-each-ref', '--format=%(objectname)'], { encoding: 'utf8' }).trim().split('\n');
  const body = Buffer.from(`${pkt('command=fetch\n')}${pkt('agent=git/2.39.5\n')}${pkt('object-format=sha1\n')}0001${pkt('thin-pack\n')}${pkt('no-progress\n')}${pkt('ofs-delta\n')}${[...new Set(tips)].map((t) => pkt(`want ${t}\n`)).join('')}${pkt('done\n')}0000`);
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_PROTOCOL: 'version=2' };
  const cgi = {
    ...base, GIT_PROJECT_ROOT: path.dirname(gitdir), PATH_INFO: `/${path.basename(gitdir)}/git-upload-pack`, GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: 'POST', QUERY_STRING: '', CONTENT_TYPE: 'application/x-git-upload-pack-request', CONTENT_LENGTH: String(body.length),
  };
  const backend = path.join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');

  const server = http.createServer(createApp(deps));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const overHttp = (): Promise<{ ms: number; bytes: number }> => {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, method: 'POST', path: '/git/ose/power-cube.git/git-upload-pack',
        headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Git-Protocol': 'version=2', 'Content-Length': String(body.length) },
      }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => { bytes += c.length; });
        res.once('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.once('error', reject);
      req.end(body);
    });
  };
  const times = { http: [] as number[], direct: [] as number[], cgi: [] as number[] };
  let bytes = 0;
  try {
    for (let run = 0; run < RUNS + 1; run++) {
      const h = await overHttp();
      const d = await timed('git', ['upload-pack', '--stateless-rpc', gitdir], base, body);
      const c = await timed(backend, [], cgi, body);
      if (run === 0) continue;
      times.http.push(h.ms);
      times.direct.push(d.ms);
      times.cgi.push(c.ms);
      bytes = h.bytes;
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
  const row = (name: string, xs: number[]) => [name, median(xs).toFixed(1), Math.min(...xs).toFixed(1), Math.max(...xs).toFixed(1)];
  printTable(`the clone's v2 fetch request alone (${(bytes / 1024 / 1024).toFixed(1)} MiB answer) — median of ${RUNS}`, ['how', 'median ms', 'min ms', 'max ms'], [
    row('POST over the HTTP bridge (node → git upload-pack)', times.http),
    row('git upload-pack --stateless-rpc on a pipe', times.direct),
    row('git http-backend (CGI) on a pipe (the old middle process)', times.cgi),
  ]);
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
