import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../schema/archive.ts';
import { packageChecksum } from '../../../schema/checksum.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let alice: string;
let bob: string;

beforeAll(async () => {
  reg = await makeRegistry();
  alice = await reg.account('alice');
  bob = await reg.account('bob');
  for (const v of ['1.0.0', '1.1.0', '2.0.0-rc.1']) {
    const res = await publish(reg.app, alice, 'alice/lamp', v, await designArchive('alice/lamp', v));
    expect(res.status).toBe(201);
  }
});
afterAll(() => reg.cleanup());

const api = () => request(reg.app);

describe('reading designs and versions', () => {
  it('lists versions newest first with checksums, and the latest release', async () => {
    const res = await api().get('/api/v1/designs/alice/lamp');
    expect(res.status).toBe(200);
    expect(res.body.versions.map((v: { version: string }) => v.version)).toEqual(['2.0.0-rc.1', '1.1.0', '1.0.0']);
    expect(res.body.latest).toBe('1.1.0');
    expect(res.body.forkOf).toBeNull();
    expect(res.body.forks).toBe(0);
  });

  it('returns a version: manifest as JSON, files with sizes and hashes, checksum and git ids', async () => {
    const res = await api().get('/api/v1/designs/alice/lamp/versions/1.0.0');
    expect(res.status).toBe(200);
    expect(res.body.manifest.name).toBe('alice/lamp');
    expect(res.body.git.ref).toBe('refs/tags/v1.0.0');
    const yaml = res.body.files.find((f: { path: string }) => f.path === 'design.yaml');
    expect(yaml.size).toBeGreaterThan(100);
    expect(yaml.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the archive whose files match the published checksum', async () => {
    const meta = await api().get('/api/v1/designs/alice/lamp/versions/1.1.0');
    const res = await api().get('/api/v1/designs/alice/lamp/versions/1.1.0/archive').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/gzip');
    const files = await readArchive(res.body as Buffer);
    expect(packageChecksum(files)).toBe(meta.body.checksum);
  });

  it('serves one file, as an attachment', async () => {
    const res = await api().get('/api/v1/designs/alice/lamp/versions/1.0.0/files/docs/assembly.md');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('assembly.md');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('carries ETags and answers If-None-Match with 304', async () => {
    for (const url of ['/api/v1/designs/alice/lamp', '/api/v1/designs/alice/lamp/versions/1.0.0', '/api/v1/designs/alice/lamp/versions/1.0.0/archive']) {
      const first = await api().get(url);
      expect(first.headers.etag, url).toBeTruthy();
      const second = await api().get(url).set('If-None-Match', first.headers.etag!);
      expect(second.status, url).toBe(304);
    }
  });

  it('answers unknown designs, versions and files with 404 NOT_FOUND', async () => {
    for (const url of ['/api/v1/designs/alice/nothing', '/api/v1/designs/alice/lamp/versions/9.9.9', '/api/v1/designs/alice/lamp/versions/1.0.0/files/nope.txt', '/api/v1/designs/alice/lamp/versions/latest']) {
      const res = await api().get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('never serves a file outside the data dir, whatever the route parameters', async () => {
    fs.writeFileSync(path.join(reg.dataDir, 'secret.txt'), 'TOP-SECRET-CONTENT-42');
    const urls = [
      '/api/v1/designs/..%2F..%2Fetc/passwd',
      '/api/v1/designs/alice/..%2F..%2Fsecret.txt',
      '/api/v1/designs/alice/lamp/versions/1.0.0/files/..%2F..%2F..%2Fsecret.txt',
      '/api/v1/designs/alice/lamp/versions/1.0.0/files/../../../../secret.txt',
      '/api/v1/designs/alice/lamp/versions/..%2F1.0.0/archive',
      '/api/v1/designs/%2e%2e/%2e%2e/versions/1.0.0',
      '/api/v1/designs/alice/lamp/versions/1.0.0/files/%2Fetc%2Fpasswd',
    ];
    for (const url of urls) {
      const res = await api().get(url);
      expect([400, 404], url).toContain(res.status);
      expect(res.text).not.toContain('TOP-SECRET-CONTENT-42');
      expect(JSON.stringify(res.body)).not.toContain(reg.dataDir);
    }
  });

  it('never leaks stack traces or server paths in errors', async () => {
    const res = await api().post('/api/v1/accounts').set('Content-Type', 'application/json').send('{not json');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('the request body is not valid JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('yank and owners', () => {
  it('lets owners yank and un-yank; others get 403', async () => {
    expect((await api().post('/api/v1/designs/alice/lamp/versions/1.1.0/yank').set('Authorization', `Bearer ${bob}`)).status).toBe(403);
    const res = await api().post('/api/v1/designs/alice/lamp/versions/1.1.0/yank').set('Authorization', `Bearer ${alice}`).send({ reason: 'bad wiring' });
    expect(res.status).toBe(200);
    let design = await api().get('/api/v1/designs/alice/lamp');
    expect(design.body.latest).toBe('1.0.0');
    expect(design.body.versions.find((v: { version: string }) => v.version === '1.1.0').yanked).toBe(true);
    const version = await api().get('/api/v1/designs/alice/lamp/versions/1.1.0');
    expect(version.body.yank).toMatchObject({ by: 'alice', reason: 'bad wiring' });
    const index = await reg.deps.index.read('designs/alice/lamp.jsonl');
    expect(index).toContain('"yanked":true');
    await api().delete('/api/v1/designs/alice/lamp/versions/1.1.0/yank').set('Authorization', `Bearer ${alice}`).expect(200);
    design = await api().get('/api/v1/designs/alice/lamp');
    expect(design.body.latest).toBe('1.1.0');
  });

  it('adds and removes owners; never leaves a design without one', async () => {
    await api().put('/api/v1/designs/alice/lamp/owners').set('Authorization', `Bearer ${bob}`).send({ add: ['bob'] }).expect(403);
    let res = await api().put('/api/v1/designs/alice/lamp/owners').set('Authorization', `Bearer ${alice}`).send({ add: ['bob'] });
    expect(res.body.owners).toEqual(['alice', 'bob']);
    res = await api().put('/api/v1/designs/alice/lamp/owners').set('Authorization', `Bearer ${bob}`).send({ remove: ['alice', 'bob'] });
    expect(res.status).toBe(409);
    res = await api().put('/api/v1/designs/alice/lamp/owners').set('Authorization', `Bearer ${alice}`).send({ add: ['ghost'] });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('ghost');
  });
});
