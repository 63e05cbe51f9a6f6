/**
 * Derived state is computed once, when a design changes, and stored; a start-up replays only what
 * changed since the stored watermark, and a crash between the git truth and the rows is repaired.
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageChecksum } from '../../../schema/checksum.ts';
import { announce, rebuildDerived, syncDerived } from '../../../server/services/derived-views.ts';
import type { Deps } from '../../../server/services/deps.ts';
import { designArchive, designFiles, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let alice: string;

beforeEach(async () => {
  reg = await makeRegistry();
  alice = await reg.account('alice');
  expect((await publish(reg.app, alice, 'alice/lamp', '1.0.0', await designArchive('alice/lamp', '1.0.0'))).status).toBe(201);
});
afterEach(() => reg.cleanup());

/** What a restart sees: new adapters over the same data dir. */
const restart = () => reg.reopen();

const rowCount = (deps: Deps, table: string) => (deps.db.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('stored at publish', () => {
  it('keeps the version summary, the package read and the archive in the step that acknowledges the publish', async () => {
    const summary = await reg.deps.derived.version('alice/lamp', '1.0.0');
    expect(summary?.record.meta.checksum).toBe(packageChecksum(designFiles('alice/lamp', '1.0.0')));
    expect(summary?.files.map((f) => f.path)).toContain('design.yaml');
    expect(summary?.manifest.name).toBe('alice/lamp');
    expect(JSON.parse((await reg.deps.derived.packageJson('alice/lamp'))!).latest).toBe('1.0.0');
    expect(await reg.deps.archives.size('alice/lamp', '1.0.0')).toBeGreaterThan(100);
    expect(await reg.deps.derived.pending()).toEqual([]);
    expect(await reg.deps.derived.watermark()).toBe(await reg.deps.index.head());
  });

  it('updates the package read on a yank and keeps the reason', async () => {
    const res = await request(reg.app).post('/api/v1/designs/alice/lamp/versions/1.0.0/yank').set('Authorization', `Bearer ${alice}`).send({ reason: 'hinge cracks under load' });
    expect(res.status).toBe(200);
    const read = await request(reg.app).get('/api/v1/designs/alice/lamp');
    expect(read.body.latest).toBeNull();
    expect(read.body.versions[0]).toMatchObject({ version: '1.0.0', yanked: true, yank: { by: 'alice', reason: 'hinge cracks under load' } });
  });

  it('serves a version read rendered once, and renders it again when a yank changes the package', async () => {
    const url = '/api/v1/designs/alice/lamp/versions/1.0.0';
    const first = await request(reg.app).get(url);
    expect(first.body.yanked).toBe(false);
    expect((await request(reg.app).get(url)).text).toBe(first.text);
    expect(reg.deps.state.versionReads.has('alice/lamp@1.0.0')).toBe(true);
    await request(reg.app).post(`${url}/yank`).set('Authorization', `Bearer ${alice}`).send({ reason: 'recalled' });
    const after = await request(reg.app).get(url);
    expect(after.body).toMatchObject({ yanked: true, yank: { reason: 'recalled' } });
  });

  it('answers 304 to a package read whose ETag the client already has', async () => {
    const first = await request(reg.app).get('/api/v1/designs/alice/lamp');
    expect(first.headers.etag).toBeTruthy();
    const again = await request(reg.app).get('/api/v1/designs/alice/lamp').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('serves the stored archive with an immutable cache header, its checksum as ETag, and byte ranges', async () => {
    const url = '/api/v1/designs/alice/lamp/versions/1.0.0/archive';
    const whole = await request(reg.app).get(url).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(whole.status).toBe(200);
    expect(whole.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(whole.headers.etag).toBe(`"${whole.headers['x-ohw-checksum']}"`);
    const part = await request(reg.app).get(url).set('Range', 'bytes=10-19').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(part.status).toBe(206);
    expect(Buffer.compare(part.body as Buffer, (whole.body as Buffer).subarray(10, 20))).toBe(0);
    expect((await request(reg.app).get(url).set('If-None-Match', whole.headers.etag!)).status).toBe(304);
  });
});

describe('start-up', () => {
  it('replays nothing when the watermark matches the index', async () => {
    const deps = await restart();
    expect(await syncDerived(deps)).toEqual({ replayed: 0, full: false });
  });

  it('repairs a design whose new version was tagged but whose rows were never written (a crash in between)', async () => {
    // What a publish does up to the tag, then "crashes": the design is announced, git has the tag.
    const files = designFiles('alice/lamp', '1.1.0');
    await announce(reg.deps, 'alice/lamp');
    await reg.deps.designs.publish('alice/lamp', {
      version: '1.1.0', files, meta: { checksum: packageChecksum(files), publisher: 'alice' },
      author: { name: 'alice', email: 'alice@users.noreply.openhardware.commons' }, message: 'crash test', date: new Date(),
    });
    expect(await reg.deps.derived.version('alice/lamp', '1.1.0')).toBeUndefined();

    const deps = await restart();
    expect(await syncDerived(deps)).toEqual({ replayed: 1, full: false });
    expect((await deps.derived.version('alice/lamp', '1.1.0'))?.record.meta.checksum).toBe(packageChecksum(files));
    expect(JSON.parse((await deps.derived.packageJson('alice/lamp'))!).latest).toBe('1.1.0');
    expect(await deps.derived.pending()).toEqual([]);
  });

  it('rebuilds everything once for a database that has no watermark (a new database on an old data dir)', async () => {
    reg.deps.db.sqlite.prepare("delete from meta where key = 'derived_index_head'").run();
    reg.deps.db.sqlite.prepare('delete from design_versions').run();
    reg.deps.db.sqlite.prepare('delete from design_packages').run();
    const deps = await restart();
    expect(await syncDerived(deps)).toEqual({ replayed: 1, full: true });
    expect(rowCount(deps, 'design_versions')).toBe(1);
    expect(JSON.parse((await deps.derived.packageJson('alice/lamp'))!).latest).toBe('1.0.0');
  });

  it('`rebuild` regenerates the rows from git alone, identical to what publish stored', async () => {
    const before = reg.deps.db.sqlite.prepare('select * from design_versions').all();
    reg.deps.db.sqlite.prepare('delete from design_versions').run();
    expect(await rebuildDerived(reg.deps)).toEqual({ designs: 1, versions: 1 });
    expect(reg.deps.db.sqlite.prepare('select * from design_versions').all()).toEqual(before);
  });

  it('counts an upstream\'s forks from the forks\' rows, also after a rebuild that reaches the upstream first', async () => {
    const bob = await reg.account('bob');
    expect((await request(reg.app).post('/api/v1/designs/alice/lamp/fork').set('Authorization', `Bearer ${bob}`).send({})).status).toBe(201);
    expect((await request(reg.app).get('/api/v1/designs/alice/lamp')).body.forks).toBe(1);
    expect(await reg.deps.derived.forksOf('alice/lamp')).toEqual(['bob/lamp']);
    // A new database: "alice/lamp" sorts before "bob/lamp", so its first refresh sees no fork row yet.
    reg.deps.db.sqlite.prepare('delete from design_packages').run();
    await rebuildDerived(reg.deps);
    expect((await request(reg.app).get('/api/v1/designs/alice/lamp')).body.forks).toBe(1);
    expect((await request(reg.app).get('/api/v1/designs/bob/lamp')).body.forkOf).toMatchObject({ package: 'alice/lamp' });
    expect(reg.deps.db.sqlite.prepare('select fork_of from design_packages where pkg = ?').get('bob/lamp')).toEqual({ fork_of: 'alice/lamp' });
  });
});

describe('where-used from the stored edges', () => {
  it('follows sub-assemblies transitively and flags yanked dependents', async () => {
    const sub = (pkg: string, dep: string) => (y: string) => y.replace(/^bom:\n/m, `bom:\n  - id: sub\n    name: ${dep}\n    type: subassembly\n    quantity: 1\n    subassembly: { package: ${dep}, version: "^1.0.0" }\n`);
    expect((await publish(reg.app, alice, 'alice/desk', '1.0.0', await designArchive('alice/desk', '1.0.0', sub('alice/desk', 'alice/lamp')))).status).toBe(201);
    expect((await publish(reg.app, alice, 'alice/office', '1.0.0', await designArchive('alice/office', '1.0.0', sub('alice/office', 'alice/desk')))).status).toBe(201);
    await request(reg.app).post('/api/v1/designs/alice/office/versions/1.0.0/yank').set('Authorization', `Bearer ${alice}`).send({});
    const res = await request(reg.app).get('/api/v1/designs/alice/lamp/dependents');
    expect(res.status).toBe(200);
    expect(res.body.packages).toEqual([
      { package: 'alice/desk', versions: ['1.0.0'], direct: true, yanked: false },
      { package: 'alice/office', versions: ['1.0.0'], direct: false, yanked: true },
    ]);
  });
});
