/**
 * Start-up time against the number of designs (issue: "with 10,000 designs published, the time
 * to a healthy /api/v1/health after a restart is within 2× the time with 10 designs").
 *
 * Each data dir is made once by publishing real designs through the publish service (cached in
 * ~/.cache/ohw-bench/, since 10,000 publishes take minutes), copied, and started as the real
 * server process (`node --import tsx server/main.ts`): the figure is spawn → first 200 from
 * /api/v1/health, the median of three restarts after a clean stop (the embedded search index is
 * loaded from its saved file), and one restart after kill -9 (no saved index: it is rebuilt from
 * the stored documents in the database). The server's RSS is read once it is healthy.
 * BENCH_STARTUP_DESIGNS sets the large count (default 10000).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeps } from '../server/compose.ts';
import { DEFAULT_LIMITS } from '../schema/package-rules.ts';
import { writeArchive } from '../schema/archive.ts';
import { publishVersion } from '../server/services/publish-version.ts';
import { starterFiles } from '../cli/starter-design.ts';
import { PROCESS_CODES } from '../schema/types.ts';
import { median, printTable, rng } from './util.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(os.homedir(), '.cache', 'ohw-bench');
const WORDS = ['press', 'loom', 'mill', 'pump', 'kiln', 'drill', 'saw', 'lathe', 'tractor', 'oven', 'filter', 'turbine', 'sensor', 'frame', 'cart'];

async function makeDataDir(count: number): Promise<string> {
  const dir = path.join(CACHE, `startup-${count}`);
  if (fs.existsSync(path.join(dir, 'complete'))) return dir;
  // Resumable: designs already published by an interrupted run are kept.
  // Generation is not what is measured: it skips fsync (durable: false) to take minutes, not hours.
  const deps = await buildDeps({ dataDir: dir, limits: DEFAULT_LIMITS, quorum: 2, durable: false });
  const random = rng(count);
  const owners = Math.max(1, Math.round(count / 20));
  for (let o = 0; o < owners; o++) {
    if (!(await deps.accounts.get(`maker${o}`))) await deps.accounts.create({ name: `maker${o}`, email: `maker${o}@example.org`, password: 'correct horse battery' });
  }
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const owner = `maker${i % owners}`;
      const name = `${WORDS[i % WORDS.length]}-${i}`;
      if (await deps.designs.exists(`${owner}/${name}`)) continue;
      const processes = PROCESS_CODES.filter(() => random() < 0.25).slice(0, 3);
      const files = starterFiles({
        name: `${owner}/${name}`, version: '1.0.0', title: `${WORDS[i % WORDS.length]} number ${i}`, summary: `A ${WORDS[(i * 7) % WORDS.length]} for ${WORDS[(i * 3) % WORDS.length]} work`,
        function: `Generated design ${i} for the start-up benchmark`, licenseHardware: 'CERN-OHL-S-2.0', licenseDocumentation: 'CC-BY-SA-4.0', licenseSoftware: 'NONE',
        category: 'Tool', processes: processes.length ? processes : ['ASM'], licensor: owner, language: 'en',
      }).map((f) => ({ path: f.path, data: Buffer.from(f.content) }));
      await publishVersion(deps, { pkg: `${owner}/${name}`, version: '1.0.0', archive: await writeArchive(files), actor: { name: owner, email: `${owner}@example.org`, roles: [], scopes: ['publish'] } });
      if (i % 500 === 499) process.stdout.write(`  published ${i + 1}/${count} (${((i + 1) / ((performance.now() - t0) / 1000)).toFixed(1)}/s)\n`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  await deps.search.close();
  await deps.db.close();
  fs.writeFileSync(path.join(dir, 'complete'), new Date().toISOString());
  return dir;
}

interface Start { ms: number; rssMb: number }

async function startOnce(dataDir: string, stop: 'clean' | 'kill'): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT, env: { ...process.env, OHW_DATA: dataDir, OHW_SEED: '0', PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  for (;;) {
    const res = await fetch(`${url}/api/v1/health`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(stop === 'clean' ? 'SIGTERM' : 'SIGKILL');
  await exited;
  return { ms, rssMb };
}

export async function benchStartup(): Promise<void> {
  const large = Number(process.env.BENCH_STARTUP_DESIGNS ?? 10_000);
  const rows: Array<Array<string | number>> = [];
  const results: Record<number, number> = {};
  for (const count of [10, large]) {
    const cached = await makeDataDir(count);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-startup-'));
    fs.cpSync(cached, work, { recursive: true });
    try {
      await startOnce(work, 'clean'); // first start after the copy: warms the file cache
      const clean: Start[] = [];
      for (let i = 0; i < 3; i++) clean.push(await startOnce(work, 'clean'));
      const killed = await startOnce(work, 'kill');
      const afterKill = await startOnce(work, 'clean');
      results[count] = median(clean.map((s) => s.ms));
      rows.push([count, results[count]!.toFixed(0), Math.max(...clean.map((s) => s.rssMb)).toFixed(0), killed.ms.toFixed(0), afterKill.ms.toFixed(0)]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  printTable('start-up to a healthy /api/v1/health (real server process)', ['designs', 'clean restart p50 ms', 'RSS MB', 'restart ms (prev. clean)', 'restart ms after kill -9'], rows);
  const ratio = results[large]! / results[10]!;
  console.log(`ratio ${large} / 10 designs: ${ratio.toFixed(2)}×  (ceiling 2×: ${ratio <= 2 ? 'met' : 'NOT met'})`);
}
