/**
 * Issue 12, "Faults": a full disk or a read-only file system during a git write → 507
 * INSUFFICIENT_STORAGE with a clear message, and nothing half-written. The data dir lives on a
 * small tmpfs mounted for this test (needs root; skipped otherwise).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../../../server/compose.ts';
import { createApp } from '../../../../server/http/app.ts';
import { DEFAULT_LIMITS } from '../../../../schema/package-rules.ts';
import { writeArchive } from '../../../../schema/archive.ts';
import type { Deps } from '../../../../server/services/deps.ts';
import { designFiles, publish } from '../../../helpers/registry.ts';
import { realGit } from './helpers.ts';

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-tmpfs-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  /* not root, or no mount: skipped */
}

let deps: Deps;
let app: ReturnType<typeof createApp>;
let token: string;
const dataDir = path.join(mountPoint, 'data');
const filler = path.join(mountPoint, 'filler');

/** A design with one incompressible 600 KB file: its pack cannot fit in what is left. */
const bigDesign = (version: string) =>
  writeArchive([...designFiles('alice/lamp', version), { path: 'photos/big.jpg', data: crypto.randomBytes(600_000) }]);

beforeAll(async () => {
  if (!mounted) return;
  deps = await buildDeps({ dataDir, limits: DEFAULT_LIMITS, quorum: 2 });
  app = createApp(deps);
  const res = await request(app).post('/api/v1/accounts').send({ name: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
  token = res.body.token;
  expect((await publish(app, token, 'alice/lamp', '1.0.0', await writeArchive(designFiles('alice/lamp', '1.0.0')))).status).toBe(201);
}, 60_000);

afterAll(async () => {
  if (mounted) {
    await deps?.search.close();
    await deps?.db.close();
    execFileSync('umount', [mountPoint]);
  }
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

/** The design's repo is exactly as before: same refs, fsck-clean, no temporary files. */
function expectUntouched(before: string): void {
  const repo = deps.designs.repoPath('alice/lamp');
  expect(realGit(['-C', repo, 'for-each-ref'])).toBe(before);
  realGit(['-C', repo, 'fsck', '--full', '--strict', '--no-dangling']);
  expect(fs.readdirSync(path.join(repo, 'objects/pack')).filter((f) => f.startsWith('tmp_'))).toEqual([]);
}

describe.skipIf(!mounted)('git writes on a full or read-only file system', () => {
  it('a full disk: 507 INSUFFICIENT_STORAGE saying so, nothing stored, and the publish works once there is room', async () => {
    const repo = deps.designs.repoPath('alice/lamp');
    const before = realGit(['-C', repo, 'for-each-ref']);
    const archive = await bigDesign('1.1.0');
    // Leave about 300 KB free.
    const free = Number(execFileSync('df', ['--output=avail', '-B1', mountPoint], { encoding: 'utf8' }).split('\n')[1]);
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - 300_000)));
    const res = await publish(app, token, 'alice/lamp', '1.1.0', archive);
    expect(res.status).toBe(507);
    expect(res.body.error.code).toBe('INSUFFICIENT_STORAGE');
    expect(res.body.error.message).toMatch(/run out of storage space; nothing was stored/);
    expect(JSON.stringify(res.body)).not.toContain(mountPoint);
    expectUntouched(before);
    expect((await deps.designs.versions('alice/lamp')).map((v) => v.version)).toEqual(['1.0.0']);

    fs.rmSync(filler);
    expect((await publish(app, token, 'alice/lamp', '1.1.0', archive)).status).toBe(201);
  });

  it('a read-only file system: 507 saying so, nothing stored', async () => {
    const repo = deps.designs.repoPath('alice/lamp');
    const before = realGit(['-C', repo, 'for-each-ref']);
    const archive = await bigDesign('1.2.0');
    // The design's repository read-only (a read-only bind mount over it: root ignores chmod).
    execFileSync('mount', ['--bind', repo, repo]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', repo]);
      const res = await publish(app, token, 'alice/lamp', '1.2.0', archive);
      expect(res.status).toBe(507);
      expect(res.body.error.code).toBe('INSUFFICIENT_STORAGE');
      expect(res.body.error.message).toMatch(/read-only/);
    } finally {
      execFileSync('umount', [repo]);
    }
    expectUntouched(before);
  });
});
