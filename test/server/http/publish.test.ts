import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, designFiles, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';
import { END_OF_ARCHIVE, gzipBomb, gzipTar, paxHeader, rawArchive, tarEntry } from '../../helpers/hostile-archives.ts';
import { writeArchive } from '../../../schema/archive.ts';

let reg: TestRegistry;
let alice: string;
let bob: string;

beforeAll(async () => {
  reg = await makeRegistry({ limits: { maxFiles: 50, maxFileBytes: 256 * 1024, maxUncompressedBytes: 4 * 1024 * 1024, maxCompressedBytes: 2 * 1024 * 1024 } });
  alice = await reg.account('alice');
  bob = await reg.account('bob');
});
afterAll(() => reg.cleanup());

const repoOf = (pkg: string) => path.join(reg.dataDir, 'designs', `${pkg}.git`);
const noVersion = async (pkg: string, version: string) => {
  const res = await request(reg.app).get(`/api/v1/designs/${pkg}/versions/${version}`);
  expect(res.status).toBe(404);
};

describe('publishing a version', () => {
  it('publishes a valid design and answers 201 with the version record', async () => {
    const res = await publish(reg.app, alice, 'alice/widget', '1.0.0', await designArchive('alice/widget'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ package: 'alice/widget', version: '1.0.0' });
    expect(res.body.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(res.body.tag).toMatch(/^[0-9a-f]{40}$/);
    const read = await request(reg.app).get('/api/v1/designs/alice/widget');
    expect(read.status).toBe(200);
    expect(read.body.owners).toEqual(['alice']);
    expect(read.body.latest).toBe('1.0.0');
    expect(read.body.versions[0]).toMatchObject({ version: '1.0.0', checksum: res.body.checksum, yanked: false });
  });

  it('refuses a publish without a token with 401', async () => {
    const res = await publish(reg.app, undefined, 'alice/anon', '1.0.0', await designArchive('alice/anon'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(fs.existsSync(repoOf('alice/anon'))).toBe(false);
  });

  it('refuses an invalid token with 401', async () => {
    const res = await publish(reg.app, 'ohw_nope_nope', 'alice/anon', '1.0.0', await designArchive('alice/anon'));
    expect(res.status).toBe(401);
  });

  it("refuses a publish to someone else's design with 403", async () => {
    const res = await publish(reg.app, bob, 'alice/widget', '1.1.0', await designArchive('alice/widget', '1.1.0'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(res.body.error.message).toContain('not an owner of alice/widget');
    await noVersion('alice/widget', '1.1.0');
  });

  it('refuses the same version again with 409 VERSION_EXISTS and keeps the original bytes', async () => {
    const before = await request(reg.app).get('/api/v1/designs/alice/widget/versions/1.0.0/archive');
    const changed = await designArchive('alice/widget', '1.0.0', (y) => y.replace('A small test design', 'Different bytes'));
    const res = await publish(reg.app, alice, 'alice/widget', '1.0.0', changed);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VERSION_EXISTS');
    const after = await request(reg.app).get('/api/v1/designs/alice/widget/versions/1.0.0/archive');
    expect(Buffer.compare(before.body as Buffer, after.body as Buffer)).toBe(0);
    expect(after.headers['x-ohw-checksum']).toBe(before.headers['x-ohw-checksum']);
  });

  it('refuses an invalid manifest with 400 and the located issues', async () => {
    const bad = await designArchive('alice/broken', '1.0.0', (y) => y.replace('summary:', 'sumary:'));
    const res = await publish(reg.app, alice, 'alice/broken', '1.0.0', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    const issue = res.body.error.issues.find((i: { path: string }) => i.path === 'sumary');
    expect(issue).toMatchObject({ file: 'design.yaml', line: 6, column: 1 });
    expect(issue.message).toContain('did you mean "summary"');
    expect(fs.existsSync(repoOf('alice/broken'))).toBe(false);
  });

  it('refuses a manifest whose name or version differs from the URL with 400', async () => {
    const res = await publish(reg.app, alice, 'alice/other', '1.0.0', await designArchive('alice/widget', '1.0.0'));
    expect(res.status).toBe(400);
    expect(fs.existsSync(repoOf('alice/other'))).toBe(false);
    expect(res.body.error.issues[0]).toMatchObject({ file: 'design.yaml', path: 'name', line: 3, column: 7 });
    expect(res.body.error.issues[0].message).toContain('does not match the package being published');
    const res2 = await publish(reg.app, alice, 'alice/widget', '9.0.0', await designArchive('alice/widget', '1.0.0'));
    expect(res2.status).toBe(400);
    expect(res2.body.error.issues[0]).toMatchObject({ file: 'design.yaml', path: 'version', line: 4, column: 10 });
    await noVersion('alice/widget', '9.0.0');
  });

  it('refuses names that break the rules or are too similar to an existing one', async () => {
    const upper = await publish(reg.app, alice, 'alice/Widget2', '1.0.0', await designArchive('alice/widget2'));
    expect(upper.status).toBe(400);
    expect(upper.body.error.message).toMatch(/name/);
    const reserved = await publish(reg.app, alice, 'alice/api', '1.0.0', await designArchive('alice/api'));
    expect(reserved.status).toBe(400);
    expect(reserved.body.error.message).toMatch(/reserved/);
    const similar = await publish(reg.app, alice, 'alice/w1dget', '1.0.0', await designArchive('alice/w1dget'));
    expect(similar.status).toBe(400);
    expect(similar.body.error.code).toBe('NAME_TOO_SIMILAR');
    expect(similar.body.error.message).toContain('alice/widget');
    for (const pkg of ['alice/Widget2', 'alice/widget2', 'alice/api', 'alice/w1dget']) expect(fs.existsSync(repoOf(pkg)), pkg).toBe(false);
  });

  it("refuses a new design in someone else's namespace with 403", async () => {
    const res = await publish(reg.app, bob, 'alice/new-thing', '1.0.0', await designArchive('alice/new-thing'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('cannot create designs under "alice/"');
    expect(fs.existsSync(repoOf('alice/new-thing'))).toBe(false);
  });

  it('refuses an invalid version in the URL', async () => {
    const res = await publish(reg.app, alice, 'alice/widget', '1.0', await designArchive('alice/widget', '1.0'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('semver');
  });
});

describe('hostile archives are refused before anything is written', () => {
  const valid = () => designFiles('alice/hostile');
  const withValid = (extra: Parameters<typeof rawArchive>[0]) =>
    rawArchive([...valid().map((f) => ({ name: f.path, data: Buffer.from(f.data) })), ...extra]);

  const cases: Array<[string, () => Promise<Buffer>, number, RegExp]> = [
    ['a ../ path', () => withValid([{ name: 'docs/../../evil.txt', data: 'x' }]), 400, /\.\./],
    ['an absolute path', () => withValid([{ name: '/etc/evil', data: 'x' }]), 400, /absolute/],
    ['a symlink', () => withValid([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }]), 400, /symbolic link/],
    ['a hard link', () => withValid([{ name: 'hard', type: 'link', linkname: 'README.md' }]), 400, /hard link/],
    ['a device file', () => withValid([{ name: 'dev', type: 'character-device' }]), 400, /device/],
    ['a .git segment', () => withValid([{ name: '.git/config', data: 'x' }]), 400, /\.git/],
    ['a .GIT segment', () => withValid([{ name: 'sub/.GIT/hooks/x', data: 'x' }]), 400, /\.git/i],
    ['a duplicate entry', () => withValid([{ name: 'README.md', data: 'again' }]), 400, /README\.md/],
    ['case-colliding entries', () => withValid([{ name: 'readme.MD', data: 'x' }]), 400, /collide/],
    ['too many files', () => withValid(Array.from({ length: 60 }, (_, i) => ({ name: `f/${i}.txt`, data: 'x' }))), 413, /files/],
    ['a file over the size limit', () => withValid([{ name: 'big.bin', data: Buffer.alloc(300 * 1024) }]), 413, /big\.bin/],
    ['a gzip bomb', () => gzipBomb(64 * 1024 * 1024), 413, /expands|limit/],
  ];

  for (const [what, make, status, message] of cases) {
    it(`refuses ${what} with ${status}`, async () => {
      const res = await publish(reg.app, alice, 'alice/hostile', '1.0.0', await make());
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      expect(fs.existsSync(repoOf('alice/hostile'))).toBe(false);
    });
  }

  it('refuses an upload over the compressed limit with 413 before reading it', async () => {
    const res = await publish(reg.app, alice, 'alice/hostile', '1.0.0', Buffer.alloc(3 * 1024 * 1024, 1));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('TOO_LARGE');
  });

  it('refuses a truncated archive with 400', async () => {
    const gz = await writeArchive(valid());
    const res = await publish(reg.app, alice, 'alice/hostile', '1.0.0', gz.subarray(0, Math.floor(gz.length / 2)));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ARCHIVE');
    expect(fs.existsSync(repoOf('alice/hostile'))).toBe(false);
  });

  it('refuses an HTTP upload cut off before its Content-Length, storing nothing', async () => {
    const gz = await writeArchive(valid());
    const server = reg.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`PUT /api/v1/designs/alice/hostile/versions/1.0.0 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${alice}\r\n` +
          `Content-Type: application/gzip\r\nContent-Length: ${gz.length}\r\nConnection: close\r\n\r\n`);
        socket.end(gz.subarray(0, Math.floor(gz.length / 2))); // half the body, then the client closes its side
      });
      let text = '';
      socket.on('data', (b) => (text += b.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    await new Promise((r) => server.close(r));
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(fs.existsSync(repoOf('alice/hostile'))).toBe(false);
  });

  it('refuses bytes that are not gzip with 400', async () => {
    const res = await publish(reg.app, alice, 'alice/hostile', '1.0.0', Buffer.from('not a tarball at all'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ARCHIVE');
  });

  it('refuses a plain tar without gzip', async () => {
    const tar = zlib.gunzipSync(await writeArchive(valid()));
    const res = await publish(reg.app, alice, 'alice/hostile', '1.0.0', tar);
    expect(res.status).toBe(400);
  });
});

describe('concurrent publishes', () => {
  it('20 concurrent publishes of the same version yield exactly one 201', async () => {
    await publish(reg.app, alice, 'alice/race', '1.0.0', await designArchive('alice/race', '1.0.0'));
    const archives = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      designArchive('alice/race', '2.0.0', (y) => y.replace('A small test design', `Variant ${i}`))));
    const results = await Promise.all(archives.map((a) => publish(reg.app, alice, 'alice/race', '2.0.0', a)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = results.find((r) => r.status === 201)!;
    const read = await request(reg.app).get('/api/v1/designs/alice/race/versions/2.0.0');
    expect(read.body.checksum).toBe(winner.body.checksum);
  });
});

describe('inputs a careful registry refuses (issue 12)', () => {
  it('refuses a version longer than 64 characters with 400, storing nothing', async () => {
    const version = `1.0.0-${'a'.repeat(59)}`; // 65 characters, valid semver
    const res = await publish(reg.app, alice, 'alice/long-version', version, await designArchive('alice/long-version', version));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toMatch(/is 65 characters long; the limit is 64$/);
    expect(fs.existsSync(repoOf('alice/long-version'))).toBe(false);
  });

  it('refuses look-alike and Windows-reserved design names, naming the existing design', async () => {
    await publish(reg.app, alice, 'alice/modem', '1.0.0', await designArchive('alice/modem')).expect(201);
    for (const [pkg, similarTo] of [['alice/rnodem', 'alice/modem'], ['alice/wldget', 'alice/widget'], ['alice/w1dget', 'alice/widget']] as const) {
      const res = await publish(reg.app, alice, pkg, '1.0.0', await designArchive(pkg));
      expect(res.status, pkg).toBe(400);
      expect(res.body.error.code, pkg).toBe('NAME_TOO_SIMILAR');
      expect(res.body.error.message, pkg).toBe(`"${pkg}" is too similar to the existing design "${similarTo}"; choose a more distinct name`);
      expect(fs.existsSync(repoOf(pkg)), pkg).toBe(false);
    }
    const con = await publish(reg.app, alice, 'alice/con', '1.0.0', await designArchive('alice/console'));
    expect(con.status).toBe(400);
    expect(con.body.error.message).toBe('invalid package name "alice/con": name "con" is a device name reserved by Windows');
    expect(fs.existsSync(repoOf('alice/con'))).toBe(false);
  });

  const hostile = (...extra: Buffer[]) => {
    const files = designFiles('alice/sneaky').map((f) => tarEntry(f.path, Buffer.from(f.data)));
    return gzipTar(...files, ...extra);
  };
  const archiveCases: Array<[string, () => Buffer, string]> = [
    ['an entry after the end-of-archive marker', () => hostile(END_OF_ARCHIVE, tarEntry('evil.txt', 'x'), END_OF_ARCHIVE),
      'archive entry "evil.txt": comes after the end-of-archive marker (GNU tar stops there and would not list it)'],
    ['a PAX size that disagrees with the header', () => hostile(paxHeader({ size: '2' }), tarEntry('a.txt', 'hello'), END_OF_ARCHIVE),
      'archive entry "a.txt": has a PAX size (2 bytes) that disagrees with its ustar header (5 bytes)'],
    ['a contiguous file', () => hostile(tarEntry('c.bin', 'x', { type: '7' }), END_OF_ARCHIVE), 'archive entry "c.bin": contiguous files (type 7) are not allowed'],
    ['a .git look-alike with a zero-width joiner', () => hostile(tarEntry('.g\u200cit/config', 'x'), END_OF_ARCHIVE),
      'archive entry ".g\u200cit/config": ".git" segments are not allowed, nor look-alikes such as ".g\\u200cit"'],
    ['the 8.3 short name of .git', () => hostile(tarEntry('GIT~1/config', 'x'), END_OF_ARCHIVE), 'archive entry "GIT~1/config": "GIT~1" is the Windows short name of ".git" and is not allowed'],
    ['a literal %2e%2e segment', () => hostile(tarEntry('%2e%2e/x', 'x'), END_OF_ARCHIVE), 'archive entry "%2e%2e/x": "%2e%2e" reads as ".." once percent-decoded and is not allowed'],
    ['a Windows device name as a file stem', () => hostile(tarEntry('CON.step', 'x'), END_OF_ARCHIVE), 'archive entry "CON.step": "CON.step" is a device name reserved by Windows (CON)'],
    ['paths that differ by a trailing dot', () => hostile(tarEntry('README.md.', 'x'), END_OF_ARCHIVE),
      'archive entries "README.md" and "README.md." collide on Windows or macOS (which ignore trailing dots and spaces, invisible characters and case)'],
    ['a large .gitattributes', () => hostile(tarEntry('.gitattributes', Buffer.alloc(16 * 1024 + 1, 0x61)), END_OF_ARCHIVE),
      'archive entry ".gitattributes": is larger than 16 KiB (limit for .gitattributes, which changes how git checks files out)'],
  ];
  for (const [what, make, message] of archiveCases) {
    it(`refuses ${what} with 400 INVALID_ARCHIVE naming the entry, storing nothing`, async () => {
      const res = await publish(reg.app, alice, 'alice/sneaky', '1.0.0', make());
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_ARCHIVE');
      expect(res.body.error.message).toBe(message);
      expect(fs.existsSync(repoOf('alice/sneaky'))).toBe(false);
    });
  }
});

describe('a declared Content-Length over the limit is answered 413 before the body is read', () => {
  /** Sends only the request head (no body byte) and resolves with the status line that comes back. */
  async function headOnly(head: string): Promise<string> {
    const server = reg.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
        let text = '';
        socket.on('data', (b) => {
          text += b.toString();
          if (text.includes('\r\n\r\n')) { socket.destroy(); resolve(text); }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  it('on an upload (10 GB declared, nothing sent), storing nothing', async () => {
    const answer = await headOnly(`PUT /api/v1/designs/alice/declared-huge/versions/1.0.0 HTTP/1.1\r\nHost: localhost\r\n` +
      `Authorization: Bearer ${alice}\r\nContent-Type: application/gzip\r\nContent-Length: 10000000000\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(fs.existsSync(repoOf('alice/declared-huge'))).toBe(false);
  });

  it('on a JSON body (2 MB declared against the 1 MB limit, nothing sent)', async () => {
    const answer = await headOnly(`POST /api/v1/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `Content-Length: 2000000\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
  });
});
