/**
 * Issue 12, "Faults": a torn object in one design repository does not stop the server. That design
 * answers 500 INTEGRITY naming it; the others serve; the start-up log names the damaged repository;
 * `npm run fsck` reports it.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitDesignStore } from '../../../../server/store/git/design-store.ts';
import { checkRepositoriesAtStart, fullCheck, quickCheck } from '../../../../server/store/git/integrity.ts';
import { designArchive, makeRegistry, publish, REPO_ROOT, type TestRegistry } from '../../../helpers/registry.ts';
import { startServer } from '../../../helpers/processes.ts';

let reg: TestRegistry;
let tornRepo: string;

beforeAll(async () => {
  reg = await makeRegistry();
  const alice = await reg.account('alice');
  const bob = await reg.account('bob');
  expect((await publish(reg.app, alice, 'alice/lamp', '1.0.0', await designArchive('alice/lamp', '1.0.0'))).status).toBe(201);
  expect((await publish(reg.app, bob, 'bob/torn', '1.0.0', await designArchive('bob/torn', '1.0.0'))).status).toBe(201);
  await (reg.deps.designs as GitDesignStore).idle();
  // Tear bob/torn: every pack loses its last 100 bytes, as a torn write would leave it.
  tornRepo = reg.deps.designs.repoPath('bob/torn');
  const packDir = join(tornRepo, 'objects/pack');
  for (const f of await fsp.readdir(packDir)) {
    if (!f.endsWith('.pack')) continue;
    const p = join(packDir, f);
    await fsp.chmod(p, 0o644);
    await fsp.truncate(p, (await fsp.stat(p)).size - 100);
  }
}, 60_000);
afterAll(() => reg.cleanup());

describe('a torn design repository', () => {
  it('is found by the quick start-up check and by git fsck, naming the pack; the others are whole', async () => {
    expect((await quickCheck(tornRepo)).join('\n')).toMatch(/objects\/pack\/pack-[0-9a-f]{40}: the pack file is truncated or damaged/);
    expect((await fullCheck(tornRepo)).length).toBeGreaterThan(0);
    expect(await quickCheck(reg.deps.designs.repoPath('alice/lamp'))).toEqual([]);
    expect(await fullCheck(reg.deps.designs.repoPath('alice/lamp'))).toEqual([]);
    expect(await quickCheck(reg.deps.index.repoPath())).toEqual([]);
  });

  it('answers INTEGRITY naming the design when a read meets the damage (no prior check)', async () => {
    const fresh = new GitDesignStore({ dataDir: reg.dataDir });
    const err = await fresh.readFiles('bob/torn', '1.0.0').then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTEGRITY' });
    expect((err as Error).message).toContain('bob/torn');
    // Remembered: the next request answers at once; another design reads fine.
    await expect(fresh.versions('bob/torn')).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect((await fresh.readFiles('alice/lamp', '1.0.0')).length).toBeGreaterThan(0);
  });

  it('over HTTP: 500 INTEGRITY naming the design, no path in the answer; other designs serve', async () => {
    const logs: string[] = [];
    expect(await checkRepositoriesAtStart(reg.dataDir, reg.deps.designs, (l) => logs.push(l))).toBe(1);
    expect(logs.join('\n')).toMatch(/integrity: the repository of bob\/torn is damaged/);
    const res = await request(reg.app).get('/api/v1/designs/bob/torn/versions/1.0.0/files/README.md');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTEGRITY');
    expect(res.body.error.message).toContain('bob/torn');
    expect(JSON.stringify(res.body)).not.toContain(reg.dataDir);
    const ok = await request(reg.app).get('/api/v1/designs/alice/lamp/versions/1.0.0/files/README.md');
    expect(ok.status).toBe(200);
    const token = await reg.account('carol');
    expect((await publish(reg.app, token, 'carol/desk', '1.0.0', await designArchive('carol/desk', '1.0.0'))).status).toBe(201);
  });

  it('npm run fsck reports it (exit 1) and lists the whole ones as ok', async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile('npm', ['run', '--silent', 'fsck'], { cwd: REPO_ROOT, env: { ...process.env, OHW_DATA: reg.dataDir } }, (e, stdout) =>
        resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout })));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DAMAGED {2}bob\/torn/m);
    expect(r.stdout).toMatch(/^ok {7}alice\/lamp$/m);
    expect(r.stdout).toMatch(/^ok {7}index\.git$/m);
  }, 60_000);

  it('does not stop the server from starting; its log names the damaged repository', async () => {
    const server = await startServer({ OHW_DATA: reg.dataDir, OHW_SEED: '0' });
    try {
      const deadline = Date.now() + 30_000;
      while (!server.logs.some((l) => l.includes('integrity: the repository of bob/torn is damaged')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(server.logs.join('\n')).toContain('integrity: the repository of bob/torn is damaged');
      expect((await fetch(`${server.url}/api/v1/designs/alice/lamp/versions/1.0.0/files/README.md`)).status).toBe(200);
      const torn = await fetch(`${server.url}/api/v1/designs/bob/torn/versions/1.0.0/files/README.md`);
      expect(torn.status).toBe(500);
      expect(((await torn.json()) as { error: { code: string } }).error.code).toBe('INTEGRITY');
    } finally {
      await server.stop();
    }
  }, 90_000);
});
