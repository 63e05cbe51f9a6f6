import { execFileSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let ana: string;
let ben: string;

beforeAll(async () => {
  reg = await makeRegistry();
  ana = await reg.account('ana');
  ben = await reg.account('ben');
  expect((await publish(reg.app, ana, 'ana/loom', '1.0.0', await designArchive('ana/loom', '1.0.0'))).status).toBe(201);
  const fork = await request(reg.app).post('/api/v1/designs/ana/loom/fork').set('Authorization', `Bearer ${ben}`).send({ name: 'loom-wide' });
  expect(fork.status).toBe(201);
  // The fork's design.yaml leaves forkOf out; the registry keeps the lineage.
  expect((await publish(reg.app, ben, 'ben/loom-wide', '1.0.0', await designArchive('ben/loom-wide', '1.0.0'))).status).toBe(201);
});
afterAll(() => reg.cleanup());

const git = (pkg: string, ...args: string[]) =>
  execFileSync('git', ['-C', path.join(reg.dataDir, 'designs', `${pkg}.git`), ...args], { encoding: 'utf8' }).trim();

describe('a fork in git', () => {
  it("continues the upstream's history: the fork's first version has the fork point as parent", () => {
    const upstream = git('ana/loom', 'rev-parse', 'v1.0.0^{commit}');
    expect(git('ben/loom-wide', 'rev-parse', 'v1.0.0^{commit}^')).toBe(upstream);
  });

  it('shows the lineage in version reads even when design.yaml omits forkOf', async () => {
    const res = await request(reg.app).get('/api/v1/designs/ben/loom-wide/versions/1.0.0');
    expect(res.body.manifest.forkOf).toEqual({ package: 'ana/loom', version: '1.0.0' });
  });

  it('records no account e-mail in cloneable history', () => {
    const identities = git('ben/loom-wide', 'log', '--format=%an <%ae>', '--all');
    expect(identities).toContain('ben <ben@users.noreply.openhardware.commons>');
    expect(identities).not.toContain('ben@example.org');
    expect(git('ben/loom-wide', 'cat-file', '-p', 'v1.0.0')).not.toContain('@example.org');
  });
});
