/**
 * The crash matrix (issues 3, 11, 12, 13): a process registering accounts and publishing versions
 * is killed with SIGKILL at random points, again and again. After every restart: 0 partial
 * versions (each tag reads whole and matches its checksum), 0 lost versions and 0 lost accounts
 * (everything acknowledged is there), `PRAGMA integrity_check` ok, git fsck clean, and the derived
 * index agrees with the design repository.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../server/compose.ts';
import { DEFAULT_LIMITS } from '../../schema/package-rules.ts';
import { rebuildDerived } from '../../server/services/derived-views.ts';
import { parseIndexLines } from '../../server/domain/index-entry.ts';
import { packageChecksum } from '../../schema/checksum.ts';
import { openDatabase, databasePath } from '../../server/store/sql/database.ts';
import { REPO_ROOT } from '../helpers/registry.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-crash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Acked { accounts: string[]; versions: string[] }

/**
 * Run the loop from `start` and SIGKILL it `delayMs` after its `after`-th acknowledgement — so the
 * kill lands anywhere in a registration or a publish, not only between them.
 */
function runAndKill(after: number, start: number, delayMs: number): Promise<Acked> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/e2e/fixtures/publish-loop.ts')], {
      env: { ...process.env, OHW_DATA: dataDir, START: String(start) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: Acked = { accounts: [], versions: [] };
    let seen = 0;
    let buffered = '';
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [kind, value] = line.split(' ');
        if (kind === 'account') acked.accounts.push(value!);
        if (kind === 'version') acked.versions.push(value!);
        if (++seen === after) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', () => resolve(acked));
  });
}

describe('a crash during registrations and publishes', () => {
  it('loses nothing acknowledged and leaves nothing partial, whatever the kill point; SQLite and git stay intact', async () => {
    const all: Acked = { accounts: [], versions: [] };
    let start = 0;
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      // Kill points spread over the work: right after an acknowledgement, or well into the next step.
      const acked = await runAndKill(2 + round, start, [0, 7, 25, 60, 120][round]! + Math.floor(Math.random() * 20));
      all.accounts.push(...acked.accounts);
      all.versions.push(...acked.versions);
      start += Math.max(acked.accounts.length, acked.versions.length) + 1;

      // After every restart: the database file is intact…
      const db = openDatabase(databasePath(dataDir));
      try {
        expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        await db.close();
      }
      // …git is clean (dangling objects from an interrupted publish are fine)…
      const repo = path.join(dataDir, 'designs/crash/design.git');
      if (fs.existsSync(repo)) execFileSync('git', ['-C', repo, 'fsck', '--full', '--no-dangling'], { stdio: 'pipe' });
      // …and everything acknowledged so far is there.
      const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
      try {
        for (const name of all.accounts) expect(await deps.accounts.get(name), `account ${name} (round ${round})`).toBeDefined();
        const present = (await deps.designs.exists('crash/design')) ? (await deps.designs.versions('crash/design')).map((v) => v.version) : [];
        for (const v of all.versions) expect(present, `version ${v} (round ${round})`).toContain(v);
      } finally {
        await deps.search.close();
        await deps.db.close();
      }
    }

    const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
    const versions = await deps.designs.versions('crash/design');
    expect(versions.length).toBeGreaterThanOrEqual(all.versions.length);
    // 0 partial: every tag that exists is a complete version, its files matching its checksum.
    for (const v of versions) {
      const files = await deps.designs.readFiles('crash/design', v.version);
      expect(files.some((f) => f.path === 'design.yaml')).toBe(true);
      expect(packageChecksum(files)).toBe(v.meta.checksum);
    }
    await rebuildDerived(deps);
    const lines = parseIndexLines((await deps.index.read('designs/crash/design.jsonl')) ?? '');
    expect(lines.map((l) => l.version).sort()).toEqual(versions.map((v) => v.version).sort());
    execFileSync('git', ['-C', path.join(dataDir, 'index.git'), 'fsck', '--full', '--no-dangling'], { stdio: 'pipe' });
    await deps.search.close();
    await deps.db.close();
  }, 240_000);
});
