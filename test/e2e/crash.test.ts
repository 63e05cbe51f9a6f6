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
import { REPO_ROOT } from '../helpers/registry.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-crash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Run the publish loop and SIGKILL it after it has printed `after` versions plus a random delay. */
function runAndKill(after: number, start: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/e2e/fixtures/publish-loop.ts')], {
      env: { ...process.env, OHW_DATA: dataDir, START: String(start) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = 0;
    child.stdout.on('data', (b: Buffer) => {
      seen += b.toString().split('\n').filter(Boolean).length;
      if (seen === after) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
    });
    child.on('exit', () => resolve(seen));
  });
}

describe('a crash during publish', () => {
  it('leaves each version whole or absent, git fsck clean, and rebuild-derived restores the index', async () => {
    let start = 0;
    for (let round = 0; round < 4; round++) {
      const seen = await runAndKill(2 + round, start);
      start += seen + 1;
    }
    const repo = path.join(dataDir, 'designs/crash/design.git');
    // fsck exits non-zero on corruption; dangling objects from an interrupted publish are fine.
    execFileSync('git', ['-C', repo, 'fsck', '--full', '--no-dangling'], { stdio: 'pipe' });

    const deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
    const versions = await deps.designs.versions('crash/design');
    expect(versions.length).toBeGreaterThanOrEqual(14);
    // Every tag that exists is a complete version: its files read back and match its checksum.
    for (const v of versions) {
      const files = await deps.designs.readFiles('crash/design', v.version);
      expect(files.some((f) => f.path === 'design.yaml')).toBe(true);
      expect(packageChecksum(files)).toBe(v.meta.checksum);
    }
    await rebuildDerived(deps);
    const lines = parseIndexLines((await deps.index.read('designs/crash/design.jsonl')) ?? '');
    expect(lines.map((l) => l.version).sort()).toEqual(versions.map((v) => v.version).sort());
    execFileSync('git', ['-C', path.join(dataDir, 'index.git'), 'fsck', '--full', '--no-dangling'], { stdio: 'pipe' });
  }, 120_000);
});
