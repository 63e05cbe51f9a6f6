import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let alice: string;
let bob: string;
let carol: string;

const api = () => request(reg.app);
const fork = (token: string | undefined, upstream: string, body: object = {}) => {
  const req = api().post(`/api/v1/designs/${upstream}/fork`);
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send(body);
};

/** The fork's manifest is the upstream's, renamed, with an edit. */
const renamed = (pkg: string, edit: (y: string) => string = (y) => y) => (y: string) => edit(y.replace(/^name: .*$/m, `name: ${pkg}`));
const moreBodies = (y: string) => y.replace(/(- id: body\n(?:.*\n)*?\s+quantity: )1/, '$13');
const withScrews = (y: string) => y.replace('parts:\n', '  - id: screws\n    name: "M3 screws"\n    type: cots\n    quantity: 4\nparts:\n');

beforeAll(async () => {
  reg = await makeRegistry();
  [alice, bob, carol] = await Promise.all([reg.account('alice'), reg.account('bob'), reg.account('carol')]);
  // Upstream: share-alike hardware (CERN-OHL-S-2.0) and documentation (CC-BY-SA-4.0).
  for (const v of ['1.0.0', '1.1.0']) {
    expect((await publish(reg.app, alice, 'alice/lamp', v, await designArchive('alice/lamp', v))).status).toBe(201);
  }
});
afterAll(() => reg.cleanup());

describe('POST /designs/:owner/:name/fork', () => {
  it('creates <caller>/<name> owned by the caller, forked from the latest version, with no versions of its own', async () => {
    const res = await fork(bob, 'alice/lamp');
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/designs/bob/lamp');
    expect(res.body).toMatchObject({ package: 'bob/lamp', owners: ['bob'], latest: null, versions: [] });
    expect(res.body.forkOf).toMatchObject({ package: 'alice/lamp', version: '1.1.0', by: 'bob' });
    expect(Date.parse(res.body.forkOf.at)).not.toBeNaN();

    const read = await api().get('/api/v1/designs/bob/lamp');
    expect(read.body.forkOf).toEqual(res.body.forkOf);
  });

  it('carries the upstream history: its tags as refs/upstream/tags/*, none as versions of the fork', () => {
    const gitdir = reg.deps.designs.repoPath('bob/lamp');
    const refs = execFileSync('git', ['--git-dir', gitdir, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' }).trim().split('\n');
    expect(refs).toContain('refs/upstream/tags/v1.0.0');
    expect(refs).toContain('refs/upstream/tags/v1.1.0');
    expect(refs.filter((r) => r.startsWith('refs/tags/'))).toEqual([]);
    const log = execFileSync('git', ['--git-dir', gitdir, 'log', '--format=%s', 'refs/upstream/tags/v1.1.0'], { encoding: 'utf8' });
    expect(log).toContain('alice/lamp 1.1.0');
    expect(log).toContain('alice/lamp 1.0.0');
  });

  it('forks an exact version under another name with {name, version}', async () => {
    const res = await fork(carol, 'alice/lamp', { name: 'desk-lamp', version: '1.0.0' });
    expect(res.status).toBe(201);
    expect(res.body.package).toBe('carol/desk-lamp');
    expect(res.body.forkOf).toMatchObject({ package: 'alice/lamp', version: '1.0.0', by: 'carol' });
  });

  it('refuses a name that exists with 409 NAME_TAKEN', async () => {
    const again = await fork(bob, 'alice/lamp');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NAME_TAKEN');
    const ontoUpstream = await fork(alice, 'alice/lamp');
    expect(ontoUpstream.status).toBe(409);
    expect(ontoUpstream.body.error.code).toBe('NAME_TAKEN');
    // The existing design is untouched: still alice's, still not a fork.
    const lamp = await api().get('/api/v1/designs/alice/lamp');
    expect(lamp.body.owners).toEqual(['alice']);
    expect(lamp.body.forkOf).toBeNull();
  });

  it('answers 404 for an unknown or invalid upstream, and for an unknown fork point', async () => {
    for (const path of ['alice/nothing', 'Alice/lamp', 'api/lamp']) {
      const res = await fork(bob, path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const res = await fork(bob, 'alice/lamp', { name: 'lamp-old', version: '0.9.0' });
    expect(res.status).toBe(404);
    // Nothing was created for any of these refusals.
    for (const pkg of ['bob/nothing', 'bob/lamp-old']) expect(await reg.deps.designs.exists(pkg), pkg).toBe(false);
  });

  it('needs a token with the publish scope, and forks only into the caller\'s own name', async () => {
    expect((await fork(undefined, 'alice/lamp', { name: 'anon' })).status).toBe(401);
    const other = await fork(bob, 'alice/lamp', { owner: 'carol', name: 'lamp-by-bob' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    const bad = await fork(bob, 'alice/lamp', { name: 'Bad Name' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
    expect((await fork(bob, 'alice/lamp', { name: 42 })).status).toBe(400);
  });

  it('refuses a name too similar to an existing design (typosquatting)', async () => {
    const typo = await fork(bob, 'alice/lamp', { name: '1amp' }); // would pose as bob/lamp
    expect(typo.status).toBe(400);
    expect(typo.body.error.code).toBe('NAME_TOO_SIMILAR');
  });

  it('refuses a yanked fork point', async () => {
    expect((await api().post('/api/v1/designs/alice/lamp/versions/1.0.0/yank').set('Authorization', `Bearer ${alice}`).send({})).status).toBe(200);
    const yanked = await fork(bob, 'alice/lamp', { name: 'lamp-yanked', version: '1.0.0' });
    expect(yanked.status).toBe(400);
    expect(yanked.body.error.message).toMatch(/yanked/);
    await api().delete('/api/v1/designs/alice/lamp/versions/1.0.0/yank').set('Authorization', `Bearer ${alice}`);
  });
});

describe('publishing a fork keeps its lineage and the upstream\'s share-alike terms', () => {
  it('refuses a different forkOf', async () => {
    const body = await designArchive('bob/lamp', '1.2.0', renamed('bob/lamp', (y) => `${y}forkOf:\n  package: carol/desk-lamp\n  version: 1.0.0\n`));
    const res = await publish(reg.app, bob, 'bob/lamp', '1.2.0', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    expect(res.body.error.issues.map((i: { code: string }) => i.code)).toContain('fork-mismatch');
  });

  it('refuses a permissive licence for a fork of a share-alike design, with the reason', async () => {
    const permissive = (y: string) => y.replace(/hardware: .*/, 'hardware: CERN-OHL-P-2.0').replace(/documentation: CC-BY-SA-4.0/, 'documentation: CC-BY-4.0');
    const res = await publish(reg.app, bob, 'bob/lamp', '1.2.0', await designArchive('bob/lamp', '1.2.0', renamed('bob/lamp', permissive)));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    const issues = res.body.error.issues as Array<{ path: string; code: string; message: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['license.documentation', 'license.hardware']);
    expect(issues.every((i) => i.code === 'fork-license' && i.message.length > 20)).toBe(true);
    expect(issues.find((i) => i.path === 'license.hardware')!.message).toMatch(/CERN-OHL-S-2\.0/);
  });

  it('publishes without forkOf in design.yaml; the registry keeps the lineage', async () => {
    const res = await publish(reg.app, bob, 'bob/lamp', '1.2.0', await designArchive('bob/lamp', '1.2.0', renamed('bob/lamp', moreBodies)));
    expect(res.status).toBe(201);
    const read = await api().get('/api/v1/designs/bob/lamp');
    expect(read.body.latest).toBe('1.2.0');
    expect(read.body.forkOf).toMatchObject({ package: 'alice/lamp', version: '1.1.0' });
  });

  it('publishes with the same forkOf written out', async () => {
    const body = await designArchive('carol/desk-lamp', '1.0.1', renamed('carol/desk-lamp', (y) => `${y}forkOf:\n  package: alice/lamp\n  version: 1.0.0\n`));
    expect((await publish(reg.app, carol, 'carol/desk-lamp', '1.0.1', body)).status).toBe(201);
  });

  it('does not let a design that is not a fork claim to be one', async () => {
    const body = await designArchive('carol/lamp', '1.0.0', (y) => `${y}forkOf:\n  package: alice/lamp\n  version: 1.1.0\n`);
    const res = await publish(reg.app, carol, 'carol/lamp', '1.0.0', body);
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].code).toBe('fork-not-recorded');
  });
});

describe('GET /designs/:owner/:name/forks', () => {
  it('lists the forks of a design: who, when, from which version, how many versions since', async () => {
    const res = await api().get('/api/v1/designs/alice/lamp/forks');
    expect(res.status).toBe(200);
    expect(res.body.package).toBe('alice/lamp');
    expect(res.body.upstream).toBeUndefined();
    const byPkg = Object.fromEntries((res.body.forks as Array<{ package: string; forkedAt: string }>).map((f) => [f.package, f]));
    expect(byPkg['bob/lamp']).toMatchObject({ forkedBy: 'bob', versions: 1, forkOf: { package: 'alice/lamp', version: '1.1.0' } });
    expect(byPkg['carol/desk-lamp']).toMatchObject({ forkedBy: 'carol', versions: 1, forkOf: { version: '1.0.0' } });
    expect(Date.parse(byPkg['bob/lamp']!.forkedAt)).not.toBeNaN();
    expect((await api().get('/api/v1/designs/alice/lamp')).body.forks).toBe(Object.keys(byPkg).length);
  });

  it('for a fork: no new upstream versions yet, and the fork\'s own edits are not upstream changes', async () => {
    const res = await api().get('/api/v1/designs/bob/lamp/forks');
    expect(res.status).toBe(200);
    expect(res.body.forks).toEqual([]);
    const up = res.body.upstream;
    expect(up).toMatchObject({ package: 'alice/lamp', forkPoint: '1.1.0', newVersions: [], forkedBy: 'bob' });
    // Upstream fork point against upstream latest: the same version, so nothing changed upstream,
    // although bob's 1.2.0 changed the BOM.
    expect(up.diff.from).toEqual({ package: 'alice/lamp', version: '1.1.0' });
    expect(up.diff.to).toEqual({ package: 'alice/lamp', version: '1.1.0' });
    expect(up.diff.identical).toBe(true);
    expect(up.diff.bom.quantityChanged).toEqual([]);
  });

  it('after the upstream publishes a new version with a changed BOM: lists it and diffs BOM, manifest and files', async () => {
    const edit = (y: string) => withScrews(moreBodies(y)).replace(/summary: .*/, 'summary: "A brighter lamp"');
    const v2 = await designArchive('alice/lamp', '1.3.0', edit);
    expect((await publish(reg.app, alice, 'alice/lamp', '1.3.0', v2)).status).toBe(201);

    const res = await api().get('/api/v1/designs/bob/lamp/forks');
    const up = res.body.upstream;
    expect(up.newVersions.map((v: { version: string }) => v.version)).toEqual(['1.3.0']);
    expect(up.diff.from).toEqual({ package: 'alice/lamp', version: '1.1.0' });
    expect(up.diff.to).toEqual({ package: 'alice/lamp', version: '1.3.0' });
    expect(up.diff.bom.added).toEqual([{ id: 'screws', name: 'M3 screws', quantity: 4, unit: 'pcs' }]);
    expect(up.diff.bom.removed).toEqual([]);
    // Upstream went from 1 body to 3: an upstream change (bob made the same edit, which does not hide it).
    expect(up.diff.bom.quantityChanged).toEqual([expect.objectContaining({ id: 'body', from: 1, to: 3 })]);
    expect(up.diff.manifest.map((f: { field: string }) => f.field)).toContain('summary');
    expect(up.diff.manifest.find((f: { field: string }) => f.field === 'summary').to).toBe('A brighter lamp');
    expect(up.diff.files.changed).toContain('design.yaml');
    expect(up.diff.identical).toBe(false);
  });

  it('a fork without versions of its own is compared from the upstream\'s fork point', async () => {
    expect((await fork(carol, 'alice/lamp', { name: 'lamp-fresh', version: '1.1.0' })).status).toBe(201);
    const up = (await api().get('/api/v1/designs/carol/lamp-fresh/forks')).body.upstream;
    expect(up.diff.from).toEqual({ package: 'alice/lamp', version: '1.1.0' });
    expect(up.diff.to).toEqual({ package: 'alice/lamp', version: '1.3.0' });
    expect(up.diff.bom.added.map((l: { id: string }) => l.id)).toEqual(['screws']);
    expect(up.diff.bom.quantityChanged).toEqual([expect.objectContaining({ id: 'body', from: 1, to: 3 })]);
  });

  it('404 for an unknown design', async () => {
    expect((await api().get('/api/v1/designs/alice/nothing/forks')).status).toBe(404);
  });
});
