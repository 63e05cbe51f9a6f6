/**
 * Issue 13's table, measured in one run on this machine: our figures next to ceilings measured
 * the same way in the same run, each printed as a ratio.
 *
 *   ceilings   raw node:http and an Express hello-world serving the same bytes as our package
 *              read; a node:http server that takes the same tarball and writes it to disk with
 *              fsync (what any registry's publish must at least do); `git clone --no-local` of
 *              the same design repo after `git repack -ad`.
 *   ours       the real server (`node --import tsx server/main.ts`, a fresh data dir, no
 *              seeding): publish of the 1.1 MB, 30-file design (15 versions), package read,
 *              version read, archive read (the same 1 MB design), clone over the bridge.
 *
 * Loads are a bounded loop of 50 keep-alive connections (bench/load.ts; autocannon is not
 * installed) for BENCH_SECONDS (default 5) each, from this process; every server is a separate
 * process. Absolute numbers drift on a shared machine; the ratios of one run are the figures.
 *
 *   npx tsx bench/ratios.ts
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtLoad, load, type LoadResult } from './load.ts';
import { typicalDesignArchive } from './typical-design.ts';
import { median, printTable } from './util.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSIONS = Number(process.env.BENCH_PUBLISHES ?? 15);
const children: ChildProcess[] = [];
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** Start a child that prints `listening <url>` (or our server's "listening on <url>"); resolves with the URL. */
function startChild(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /listening(?: on)? (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) resolve({ url: m[1]!, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${log.slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const CEILING_GET = (framework: 'node' | 'express') => `
import fs from 'node:fs';
const body = fs.readFileSync(process.env.BODY);
${framework === 'express'
    ? `import express from 'express';
const app = express();
app.get('/api/v1/designs/:o/:n', (req, res) => res.type('application/json').send(body));
const s = app.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));`
    : `import http from 'node:http';
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); res.end(body); });
s.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));`}
`;

const CEILING_PUBLISH = `
import fs from 'node:fs'; import http from 'node:http'; import path from 'node:path';
let n = 0;
const s = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const file = path.join(process.env.DIR, 'v' + (n++) + '.tgz');
    const fd = fs.openSync(file + '.tmp', 'w'); fs.writeSync(fd, Buffer.concat(chunks)); fs.fsyncSync(fd); fs.closeSync(fd);
    fs.renameSync(file + '.tmp', file);
    const d = fs.openSync(process.env.DIR, 'r'); fs.fsyncSync(d); fs.closeSync(d);
    res.writeHead(201, { 'content-type': 'application/json' }); res.end('{"ok":true}');
  });
});
s.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));
`;

async function timedPuts(urlOf: (i: number) => string, archives: Buffer[], headers: Record<string, string>): Promise<{ perSecond: number; p50: number }> {
  const times: number[] = [];
  for (const [i, body] of archives.entries()) {
    const t = performance.now();
    const r = await fetch(urlOf(i), { method: 'PUT', headers: { 'content-type': 'application/gzip', ...headers }, body: body as unknown as BodyInit });
    const text = await r.text();
    times.push(performance.now() - t);
    if (r.status !== 201) throw new Error(`PUT ${urlOf(i)}: ${r.status} ${text.slice(0, 300)}`);
  }
  return { perSecond: times.length / (times.reduce((a, b) => a + b, 0) / 1000), p50: median(times) };
}

function gitClone(args: string[], work: string): number {
  const dest = path.join(work, crypto.randomUUID());
  const t = performance.now();
  execFileSync('git', ['clone', '-q', ...args, dest], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'ignore' });
  const ms = performance.now() - t;
  fs.rmSync(dest, { recursive: true, force: true });
  return ms;
}

export async function benchRatios(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-bench-ratios-'));
  const dataDir = path.join(tmp, 'data');
  const archives = await Promise.all(Array.from({ length: VERSIONS }, (_, i) => typicalDesignArchive('bench/typical', `1.0.${i}`)));
  try {
    // ---- ours: publish
    const ours = await startChild(['--import', 'tsx', 'server/main.ts'], { PORT: '0', HOST: '127.0.0.1', OHW_DATA: dataDir, OHW_SEED: '0' });
    const reg = await fetch(`${ours.url}/api/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', email: 'bench@example.org', password: 'bench-password-123' }) });
    const token = ((await reg.json()) as { token: string }).token;
    const publish = await timedPuts((i) => `${ours.url}/api/v1/designs/bench/typical/versions/1.0.${i}`, archives, { authorization: `Bearer ${token}` });

    // ---- ceiling: the same tarballs received and written durably by raw node:http
    const sink = path.join(tmp, 'sink');
    fs.mkdirSync(sink);
    const cp = await startChild(['--input-type=module', '-e', CEILING_PUBLISH], { DIR: sink });
    const ceilingPublish = await timedPuts(() => `${cp.url}/`, archives, {});
    await stop(cp.child);

    // ---- reads: ceilings serve our package read's exact bytes
    const pkgPath = '/api/v1/designs/bench/typical';
    const bodyFile = path.join(tmp, 'package.json');
    fs.writeFileSync(bodyFile, Buffer.from(await (await fetch(`${ours.url}${pkgPath}`)).arrayBuffer()));
    const ceilings: Record<string, LoadResult> = {};
    for (const fw of ['node', 'express'] as const) {
      const c = await startChild(['--input-type=module', '-e', CEILING_GET(fw)], { BODY: bodyFile });
      ceilings[fw] = await load(`${c.url}${pkgPath}`);
      console.log(`ceiling ${fw} GET: ${fmtLoad(ceilings[fw]!)}`);
      await stop(c.child);
    }
    const mid = `1.0.${Math.floor(VERSIONS / 2)}`;
    const pkgRead = await load(`${ours.url}${pkgPath}`);
    console.log(`ours package read: ${fmtLoad(pkgRead)}`);
    const versionRead = await load(`${ours.url}${pkgPath}/versions/${mid}`);
    console.log(`ours version read: ${fmtLoad(versionRead)}`);
    const archiveRead = await load(`${ours.url}${pkgPath}/versions/${mid}/archive`);
    console.log(`ours archive read (${(archives[0]!.length / 1e6).toFixed(2)} MB): ${fmtLoad(archiveRead)}`);

    // ---- clone: the bridge vs git itself on a packed copy of the same repo
    const repo = path.join(dataDir, 'designs/bench/typical.git');
    const work = path.join(tmp, 'clones');
    fs.mkdirSync(work);
    const packed = path.join(work, 'packed.git');
    execFileSync('git', ['clone', '-q', '--bare', '--no-local', repo, packed], { stdio: 'ignore' });
    execFileSync('git', ['-C', packed, 'repack', '-adq'], { stdio: 'ignore' });
    const bridgeUrl = `${ours.url}/git/bench/typical.git`;
    gitClone([bridgeUrl], work);
    gitClone(['--no-local', packed], work);
    const bridge: number[] = [];
    const git: number[] = [];
    for (let i = 0; i < 9; i++) {
      bridge.push(gitClone([bridgeUrl], work));
      git.push(gitClone(['--no-local', packed], work));
    }
    const packs = fs.readdirSync(path.join(repo, 'objects/pack')).filter((f) => f.endsWith('.pack')).length;
    await stop(ours.child);

    const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    printTable(`issue 13, one run (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, c=50)`, ['path', 'ours', 'ceiling (same run)', 'ratio', 'goal'], [
      ['package read GET /designs/:o/:n', `${pkgRead.rps.toFixed(0)} req/s, p50 ${pkgRead.p50.toFixed(1)} ms`, `Express ${ceilings.express!.rps.toFixed(0)} / node:http ${ceilings.node!.rps.toFixed(0)} req/s`, `${r(pkgRead.rps, ceilings.express!.rps)} Express, ${r(pkgRead.rps, ceilings.node!.rps)} node:http`, '≈ 0.75× Express'],
      ['version read …/versions/:v', `${versionRead.rps.toFixed(0)} req/s, p50 ${versionRead.p50.toFixed(1)} ms`, `package read ${pkgRead.rps.toFixed(0)} req/s`, r(versionRead.rps, pkgRead.rps), '≥ 0.8× package read'],
      [`archive …/archive (${(archives[0]!.length / 1e6).toFixed(1)} MB)`, `${archiveRead.rps.toFixed(0)} req/s, p50 ${archiveRead.p50.toFixed(1)} ms`, `package read ${pkgRead.rps.toFixed(0)} req/s`, r(archiveRead.rps, pkgRead.rps), '≥ 0.3× package read'],
      [`publish 1.1 MB / 30 files (${VERSIONS} versions)`, `${publish.perSecond.toFixed(1)} versions/s, p50 ${publish.p50.toFixed(0)} ms`, `node:http + fsync ${ceilingPublish.perSecond.toFixed(1)}/s, p50 ${ceilingPublish.p50.toFixed(0)} ms`, r(publish.perSecond, ceilingPublish.perSecond), '≥ 1.0× Verdaccio'],
      [`git clone, ${VERSIONS} versions (${packs} packs)`, `bridge ${median(bridge).toFixed(0)} ms`, `git --no-local, packed ${median(git).toFixed(0)} ms`, r(median(bridge), median(git)), '≤ 1.2×'],
    ]);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRatios();
