import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extract as tarExtract, pack as tarPack, type Header } from 'tar-stream';
import { ARCHIVE_MTIME, ONE_PASS_BYTES, readArchive, writeArchive } from '../../schema/archive.ts';
import { DEFAULT_LIMITS, MAX_GITATTRIBUTES_BYTES, type PackageFile, type PackageLimits } from '../../schema/package-rules.ts';
import { OhwError, type ErrorCode } from '../../schema/errors.ts';
import { refusalOf } from '../helpers/refusal.ts';
import { END_OF_ARCHIVE, gzipBombOfFiles, gzipTar, paxHeader, tarEntry } from '../helpers/hostile-archives.ts';

const MiB = 1024 * 1024;
const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const MANIFEST = { name: 'design.yaml', data: 'name: acme/widget\n' };

type RawEntry = { header: Partial<Header> & { name: string }; data?: string | Buffer };

/** A tar (not gzipped) built with tar-stream directly, so it can hold anything a hostile client sends. */
async function rawTar(entries: RawEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const out = (async () => {
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { mtime: new Date(0), ...e.header };
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.data !== undefined) pack.entry(header, typeof e.data === 'string' ? text(e.data) : e.data, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  return out;
}

const tgz = async (entries: RawEntry[]): Promise<Buffer> => gzipSync(await rawTar(entries));
const file = (name: string, data: string | Buffer = 'x', extra: Partial<Header> = {}): RawEntry => ({ header: { name, type: 'file', ...extra }, data });
const manifest = (): RawEntry => file(MANIFEST.name, MANIFEST.data);

function refusal(gz: Uint8Array, code: ErrorCode, message: string | RegExp, limits?: PackageLimits): Promise<OhwError> {
  return refusalOf(readArchive(gz, limits), code, message);
}

/** Parses a tar.gz without any checks, to look at headers. */
async function headersOf(gz: Buffer): Promise<Header[]> {
  const ex = tarExtract();
  ex.end(gunzipSync(gz));
  const out: Header[] = [];
  for await (const entry of ex) {
    out.push(entry.header);
    entry.resume();
  }
  return out;
}

const pkg: PackageFile[] = [
  { path: 'design.yaml', data: text(MANIFEST.data) },
  { path: 'README.md', data: text('# Widget\n') },
  { path: 'docs/assembly/step-1.md', data: text('Screw it.\n') },
  { path: 'tools/build.sh', data: text('#!/bin/sh\necho hi\n'), executable: true },
  { path: 'docs/empty.txt', data: new Uint8Array() },
  { path: 'cad/élan/naïve ～ 😀.step', data: text('ISO-10303-21;\n') },
  { path: `${'deep/'.repeat(14)}${'n'.repeat(120)}.txt`, data: text('long path\n') },
  { path: 'bin/firmware.bin', data: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)) },
];

describe('writeArchive', () => {
  it('round-trips: reading what was written gives the same files, sorted, with the executable bit', async () => {
    const files = await readArchive(await writeArchive(pkg));
    const expected = [...pkg].sort((a, b) => Buffer.compare(text(a.path), text(b.path)));
    expect(files.map((f) => f.path)).toEqual(expected.map((f) => f.path));
    for (const [i, f] of files.entries()) {
      const want = expected[i]!;
      expect(Buffer.from(f.data).equals(Buffer.from(want.data)), f.path).toBe(true);
      expect(f.executable ?? false, f.path).toBe(want.executable ?? false);
    }
  });

  it('is deterministic: same files in any order → identical bytes', async () => {
    const a = await writeArchive(pkg);
    const b = await writeArchive([...pkg].reverse());
    const c = await writeArchive(pkg.map((f) => ({ ...f, data: new Uint8Array(f.data) })));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(true);
  });

  it('writes sorted regular-file entries only, with fixed mtime, uid/gid 0, no owner names, 0644/0755', async () => {
    const headers = await headersOf(await writeArchive(pkg));
    expect(headers.map((h) => h.name)).toEqual([...pkg].map((f) => f.path).sort((a, b) => Buffer.compare(text(a), text(b))));
    for (const h of headers) {
      expect(h.type).toBe('file');
      expect(h.mtime.getTime()).toBe(ARCHIVE_MTIME.getTime());
      expect(ARCHIVE_MTIME.toISOString()).toBe('2000-01-01T00:00:00.000Z');
      expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, '', '']);
      expect(h.mode).toBe(h.name === 'tools/build.sh' ? 0o755 : 0o644);
    }
  });

  it('writes a gzip header without a timestamp and with a fixed OS byte', async () => {
    const gz = await writeArchive(pkg);
    expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
    expect(gz.readUInt32LE(4)).toBe(0); // MTIME
    expect(gz[9]).toBe(3); // OS = Unix
  });

  it('refuses to write a bad path or a duplicate, naming it', async () => {
    await expect(writeArchive([{ path: '../x', data: text('') }])).rejects.toMatchObject({
      code: 'INVALID_ARCHIVE',
      message: 'package file "../x": ".." segments are not allowed',
    });
    await expect(writeArchive([{ path: 'A.txt', data: text('') }, { path: 'a.txt', data: text('') }])).rejects.toMatchObject({
      code: 'INVALID_ARCHIVE',
      message: 'package files "A.txt" and "a.txt" collide on case-insensitive file systems',
    });
  });
});

describe('readArchive accepts', () => {
  it('archives made by other tools: a leading "./", directory entries, unsorted order', async () => {
    const gz = await tgz([
      { header: { name: './', type: 'directory' } },
      { header: { name: './docs/', type: 'directory' } },
      file('./docs/a.md', 'A'),
      file('./design.yaml', MANIFEST.data),
      { header: { name: 'docs/sub', type: 'directory' } },
    ]);
    const files = await readArchive(gz);
    expect(files.map((f) => f.path)).toEqual(['design.yaml', 'docs/a.md']);
    expect(files[1]!.data.toString()).toBe('A');
  });

  it('any execute bit as executable', async () => {
    const files = await readArchive(await tgz([manifest(), file('run', 'x', { mode: 0o700 }), file('other', 'x', { mode: 0o601 })]));
    expect(files.find((f) => f.path === 'run')?.executable).toBe(true);
    expect(files.find((f) => f.path === 'other')?.executable).toBe(true);
    expect(files.find((f) => f.path === 'design.yaml')?.executable).toBeUndefined();
  });

  it(`an archive with more than ${ONE_PASS_BYTES / MiB} MiB of data (checked whole first, then read) gives every byte back`, async () => {
    const big = (seed: number) => Buffer.from(Array.from({ length: 15 * MiB / 4 }, (_, i) => (i * 2654435761 + seed) >>> 0).flatMap((n) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24]));
    const parts = [big(1), big(2), big(3)];
    const files = await readArchive(await tgz([manifest(), ...parts.map((data, i) => file(`cad/part-${i}.bin`, data, { mode: 0o755 }))]));
    expect(files.map((f) => f.path)).toEqual(['cad/part-0.bin', 'cad/part-1.bin', 'cad/part-2.bin', 'design.yaml']);
    for (const [i, data] of parts.entries()) {
      expect(Buffer.compare(files[i]!.data, data)).toBe(0);
      expect(files[i]!.executable).toBe(true);
    }
  });

  it(`refuses a bad entry that comes after more than ${ONE_PASS_BYTES / MiB} MiB of data, naming it`, async () => {
    const data = Buffer.alloc(15 * MiB, 7);
    const gz = await tgz([manifest(), file('a.bin', data), file('b.bin', data), file('c.bin', data), { header: { name: 'late-link', type: 'symlink', linkname: '/etc/passwd' } }]);
    const err = await refusal(gz, 'INVALID_ARCHIVE', 'archive entry "late-link": symbolic links are not allowed');
    expect(err.details).toMatchObject({ path: 'late-link' });
  });
});

describe('readArchive refuses entries that are not plain files', () => {
  it.each([
    [{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }, 'archive entry "link": symbolic links are not allowed'],
    [{ name: 'docs/hard', type: 'link', linkname: 'design.yaml' }, 'archive entry "docs/hard": hard links are not allowed'],
    [{ name: 'dev/tty', type: 'character-device', devmajor: 5, devminor: 0 }, 'archive entry "dev/tty": character devices are not allowed'],
    [{ name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 }, 'archive entry "dev/sda": block devices are not allowed'],
    [{ name: 'pipe', type: 'fifo' }, 'archive entry "pipe": FIFOs (named pipes) are not allowed'],
  ] as Array<[Partial<Header> & { name: string }, string]>)('%o', async (header, message) => {
    const err = await refusal(await tgz([manifest(), { header }]), 'INVALID_ARCHIVE', message);
    expect(err.details).toMatchObject({ path: header.name });
  });

  it('stops at the first bad entry, even with a lot of data on either side', async () => {
    const gz = await tgz([manifest(), file('a.bin', Buffer.alloc(3 * MiB, 1)), { header: { name: 'link', type: 'symlink', linkname: 'a.bin' } },
      file('b.bin', Buffer.alloc(8 * MiB, 2))]);
    await refusal(gz, 'INVALID_ARCHIVE', 'archive entry "link": symbolic links are not allowed');
  });

  it('refuses an unknown entry type (e.g. GNU sparse "S")', async () => {
    const tarBytes = await rawTar([manifest(), file('sparse.img', 'data')]);
    // second header starts after the first entry (512 header + 512 padded data)
    const h = 1024;
    tarBytes[h + 156] = 'S'.charCodeAt(0);
    let sum = 8 * 32;
    for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += tarBytes[h + i]!;
    tarBytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, h + 148, 'latin1');
    await refusal(gzipSync(tarBytes), 'INVALID_ARCHIVE', 'archive entry "sparse.img": unsupported tar entry type "S"');
  });
});

describe('readArchive refuses bad paths, naming them', () => {
  it.each([
    ['../x', '".." segments are not allowed'],
    ['docs/../../etc/passwd', '".." segments are not allowed'],
    ['/etc/x', 'absolute paths are not allowed'],
    ['a/.GIT/config', '".git" segments are not allowed'],
    ['.git/HEAD', '".git" segments are not allowed'],
    ['docs\\win.txt', 'backslashes are not allowed'],
    ['a//b', 'empty segments (// or a trailing /) are not allowed'],
  ])('%j', async (name, reason) => {
    const err = await refusal(await tgz([manifest(), file(name)]), 'INVALID_ARCHIVE', `archive entry ${JSON.stringify(name)}: ${reason}`);
    expect(err.details).toEqual({ path: name });
  });

  it('strips only a single leading "./"', async () => {
    await refusal(await tgz([manifest(), file('././x')]), 'INVALID_ARCHIVE', 'archive entry "./x": "." segments are not allowed');
  });

  it('checks directory entries too (".git/" directory, "../" directory)', async () => {
    await refusal(await tgz([manifest(), { header: { name: '.git/', type: 'directory' } }]), 'INVALID_ARCHIVE',
      'archive entry ".git": ".git" segments are not allowed');
    await refusal(await tgz([manifest(), { header: { name: '../', type: 'directory' } }]), 'INVALID_ARCHIVE',
      'archive entry "..": ".." segments are not allowed');
  });

  it('refuses a path deeper than maxDepth', async () => {
    await refusal(await tgz([manifest(), file('a/b/c/d.txt')]), 'INVALID_ARCHIVE',
      'archive entry "a/b/c/d.txt": path is deeper than 3 levels (limit maxDepth)', { ...DEFAULT_LIMITS, maxDepth: 3 });
  });
});

describe('readArchive refuses duplicates and collisions', () => {
  it('a duplicate entry', async () => {
    await refusal(await tgz([manifest(), file('a.txt', '1'), file('a.txt', '2')]), 'INVALID_ARCHIVE', 'archive entry "a.txt": appears more than once');
  });

  it('names that collide case-insensitively, naming both', async () => {
    const err = await refusal(await tgz([manifest(), file('A.txt'), file('a.txt')]), 'INVALID_ARCHIVE',
      'archive entries "A.txt" and "a.txt" collide on case-insensitive file systems');
    expect(err.details).toEqual({ path: 'a.txt', other: 'A.txt' });
    await refusal(await tgz([manifest(), file('README.md'), file('readme.md')]), 'INVALID_ARCHIVE',
      'archive entries "README.md" and "readme.md" collide on case-insensitive file systems');
  });

  it('a name that is both a file and a directory', async () => {
    await refusal(await tgz([manifest(), file('docs'), file('docs/a.md')]), 'INVALID_ARCHIVE',
      'archive entries "docs" and "docs/a.md" conflict: "docs" is both a file and a directory');
  });

  it('an archive without design.yaml at its root', async () => {
    await refusal(await tgz([file('pkg/design.yaml', MANIFEST.data)]), 'INVALID_ARCHIVE', 'archive has no "design.yaml" at its root');
    await refusal(gzipSync(Buffer.alloc(1024)), 'INVALID_ARCHIVE', 'archive has no "design.yaml" at its root');
  });
});

describe('readArchive enforces limits (TOO_LARGE)', () => {
  const small: PackageLimits = { maxCompressedBytes: 10_000, maxUncompressedBytes: 4096, maxFiles: 3, maxFileBytes: 2048, maxDepth: 16 };

  it('too many files', async () => {
    const err = await refusal(await tgz([manifest(), file('a'), file('b'), file('c')]), 'TOO_LARGE',
      'archive has more than 3 files (limit maxFiles)', small);
    expect(err.details).toEqual({ path: 'c', limit: 'maxFiles' });
  });

  it('too many directory entries', async () => {
    const dirs = ['a/', 'b/', 'c/', 'd/'].map((name) => ({ header: { name, type: 'directory' as const } }));
    await refusal(await tgz([manifest(), ...dirs]), 'TOO_LARGE', 'archive has more than 3 directory entries (limit maxFiles)', small);
  });

  it('a file over the per-file limit, by its header', async () => {
    const err = await refusal(await tgz([manifest(), file('big.bin', Buffer.alloc(2049))]), 'TOO_LARGE',
      'archive entry "big.bin" is larger than 2 KiB (limit maxFileBytes)', small);
    expect(err.details).toEqual({ path: 'big.bin', limit: 'maxFileBytes' });
  });

  it('files over the total limit', async () => {
    await refusal(await tgz([manifest(), file('a.bin', Buffer.alloc(2048)), file('b.bin', Buffer.alloc(2048))]), 'TOO_LARGE',
      'archive expands to more than 4 KiB (limit maxUncompressedBytes)', small);
  });

  it('an upload over the compressed limit, before inflating anything', async () => {
    await refusal(Buffer.alloc(10_001), 'TOO_LARGE', 'archive is larger than 10000 bytes compressed (limit maxCompressedBytes)', small);
  });

  it('a gzip bomb (300 MiB of zeros in ~300 KB) is stopped at the cap, with modest memory', async () => {
    const zeros = Buffer.alloc(MiB);
    const bomb = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const gz = createGzip({ level: 9 });
      gz.on('data', (c: Buffer) => chunks.push(c));
      gz.on('end', () => resolve(Buffer.concat(chunks)));
      gz.on('error', reject);
      Readable.from((function* () {
        for (let i = 0; i < 300; i++) yield zeros;
      })()).pipe(gz);
    });
    expect(bomb.byteLength).toBeLessThan(1 * MiB);

    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakBuffers = base.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 2);
    try {
      await refusal(bomb, 'TOO_LARGE', 'archive expands to more than 200 MiB (limit maxUncompressedBytes)');
    } finally {
      clearInterval(sampler);
    }
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    // Inflating it whole would need ≥ 200 MiB; streamed, only a few chunks are alive at a time.
    expect(peakRss - base.rss).toBeLessThan(64 * MiB);
    expect(peakBuffers - base.arrayBuffers).toBeLessThan(64 * MiB);
  });

  it('a gzip bomb against small limits is stopped early', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
    await refusal(bomb, 'TOO_LARGE', 'archive expands to more than 4 KiB (limit maxUncompressedBytes)', { ...small, maxCompressedBytes: MiB });
  });
});

describe('readArchive refuses corrupt input', () => {
  const corrupt = 'archive is truncated or corrupt';

  it('a truncated gzip (cut in half)', async () => {
    const gz = await writeArchive(pkg);
    await refusal(gz.subarray(0, Math.floor(gz.length / 2)), 'INVALID_ARCHIVE', corrupt);
  });

  it('a gzip of a truncated tar', async () => {
    const tarBytes = await rawTar([manifest(), file('b.bin', Buffer.alloc(5000, 1))]);
    await refusal(gzipSync(tarBytes.subarray(0, 2000)), 'INVALID_ARCHIVE', corrupt);
  });

  it('garbage bytes, an empty upload, and a gzip of something that is not a tar', async () => {
    await refusal(Buffer.from('this is not a tarball, honest'), 'INVALID_ARCHIVE', corrupt);
    await refusal(new Uint8Array(), 'INVALID_ARCHIVE', corrupt);
    await refusal(gzipSync(Buffer.from('x'.repeat(2000))), 'INVALID_ARCHIVE', corrupt);
  });

  it('a tar header with a bad checksum', async () => {
    const tarBytes = await rawTar([manifest()]);
    tarBytes[0] = 'D'.charCodeAt(0); // name changed, checksum not updated
    const err = await refusal(gzipSync(tarBytes), 'INVALID_ARCHIVE', corrupt);
    expect(String(err.details?.reason)).toMatch(/tar header/i);
  });
});

describe('readArchive refuses what tar readers disagree on, naming the entry', () => {
  const design = () => tarEntry('design.yaml', MANIFEST.data);

  it('an entry after the end-of-archive marker (two zero blocks, or a lone one)', async () => {
    for (const marker of [END_OF_ARCHIVE, Buffer.alloc(512)]) {
      const err = await refusal(gzipTar(design(), marker, tarEntry('evil.txt', 'x'), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
        'archive entry "evil.txt": comes after the end-of-archive marker (GNU tar stops there and would not list it)');
      expect(err.details).toEqual({ path: 'evil.txt' });
    }
    await refusal(gzipTar(design(), END_OF_ARCHIVE, Buffer.from('garbage')), 'INVALID_ARCHIVE', 'archive has data after its end-of-archive marker (GNU tar stops there)');
  });

  it('accepts zero padding after the marker (tar pads to 10 KiB records)', async () => {
    expect((await readArchive(gzipTar(design(), END_OF_ARCHIVE, Buffer.alloc(10_240)))).map((f) => f.path)).toEqual(['design.yaml']);
  });

  it('a PAX size that disagrees with the ustar header', async () => {
    await refusal(gzipTar(design(), paxHeader({ size: '100' }), tarEntry('a.txt', 'hello'), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
      'archive entry "a.txt": has a PAX size (100 bytes) that disagrees with its ustar header (5 bytes)');
  });

  it('reads a PAX path and a matching PAX size as GNU tar does', async () => {
    const files = await readArchive(gzipTar(design(), paxHeader({ path: 'docs/long-name.md', size: '5' }), tarEntry('x', 'hello'), END_OF_ARCHIVE));
    expect(files.map((f) => [f.path, f.data.toString()])).toEqual([['design.yaml', MANIFEST.data], ['docs/long-name.md', 'hello']]);
  });

  it.each([
    ['7', 'contiguous files (type 7) are not allowed'],
    ['S', 'unsupported tar entry type "S"'],
    ['V', 'unsupported tar entry type "V"'],
    ['M', 'unsupported tar entry type "M"'],
    ['N', 'unsupported tar entry type "N"'],
    ['D', 'unsupported tar entry type "D"'],
  ])('a special entry of type %s', async (type, reason) => {
    const err = await refusal(gzipTar(design(), tarEntry('special.bin', 'data', { type }), END_OF_ARCHIVE), 'INVALID_ARCHIVE', `archive entry "special.bin": ${reason}`);
    expect(err.details).toEqual({ path: 'special.bin' });
  });

  it('a GNU sparse file given by PAX keys, and a PAX global header that sets a path', async () => {
    await refusal(gzipTar(design(), paxHeader({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'real.bin' }), tarEntry('a.bin', 'x'), END_OF_ARCHIVE),
      'INVALID_ARCHIVE', 'archive entry "a.bin": is a GNU sparse file ("GNU.sparse.major"); sparse files are not allowed');
    await refusal(gzipTar(paxHeader({ path: 'evil.txt' }, 'g'), design(), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
      'archive entry "PaxHeader": is a PAX global header setting "path"; only a comment is allowed there');
    // `git archive` writes a global header holding only the commit id: fine.
    const files = await readArchive(gzipTar(paxHeader({ comment: 'a'.repeat(40) }, 'g'), design(), END_OF_ARCHIVE));
    expect(files.map((f) => f.path)).toEqual(['design.yaml']);
  });

  it('a directory entry that declares data, and a name that is not UTF-8', async () => {
    await refusal(gzipTar(design(), tarEntry('docs/', 'hidden', { type: '5' }), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
      'archive entry "docs/": is a directory entry that declares 6 bytes of data');
    await refusal(gzipTar(design(), tarEntry(Buffer.from([0x61, 0xff, 0x62]), 'x'), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
      'archive entry "a\u00ffb": name is not valid UTF-8');
  });

  it.each([
    ['a.txt', 'a.txt.'],
    ['a.txt', 'a.txt '],
    ['docs/x.md', 'docs./y.md'],
    ['docs/x.md', 'docs /y.md'],
    ['ab.txt', 'a\u200bb.txt'],
  ])('paths that differ only by a trailing dot, a space or an invisible character: %j and %j', async (a, b) => {
    const err = await refusal(gzipTar(design(), tarEntry(a, '1'), tarEntry(b, '2'), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
      `archive entries ${JSON.stringify(a)} and ${JSON.stringify(b)} collide on Windows or macOS (which ignore trailing dots and spaces, invisible characters and case)`);
    expect(err.details).toEqual({ path: b, other: a });
  });

  it.each([
    ['.g\u200cit/config', '".git" segments are not allowed, nor look-alikes such as ".g\\u200cit"'],
    ['sub/.gi\ufefft/HEAD', '".git" segments are not allowed, nor look-alikes such as ".gi\\ufefft"'],
    ['.git./config', '".git" segments are not allowed, nor look-alikes such as ".git."'],
    ['.git /config', '".git" segments are not allowed, nor look-alikes such as ".git "'],
    ['.git::$INDEX_ALLOCATION/config', '".git" segments are not allowed, nor look-alikes such as ".git::$INDEX_ALLOCATION"'],
    ['git~1/config', '"git~1" is the Windows short name of ".git" and is not allowed'],
    ['GIT~1/config', '"GIT~1" is the Windows short name of ".git" and is not allowed'],
    ['%2e%2e/evil.txt', '"%2e%2e" reads as ".." once percent-decoded and is not allowed'],
    ['docs/%2E%2e/x', '"%2E%2e" reads as ".." once percent-decoded and is not allowed'],
    ['%2egit/config', '"%2egit" reads as ".git" once percent-decoded and is not allowed'],
    ['a%2fb.txt', '"a%2fb.txt" reads as "a/b.txt" once percent-decoded and is not allowed'],
    ['CON.step', '"CON.step" is a device name reserved by Windows (CON)'],
    ['docs/aux.txt', '"aux.txt" is a device name reserved by Windows (AUX)'],
    ['nul', '"nul" is a device name reserved by Windows (NUL)'],
    ['cad/Com1.stl', '"Com1.stl" is a device name reserved by Windows (COM1)'],
    ['lpt9', '"lpt9" is a device name reserved by Windows (LPT9)'],
  ])('%j', async (name, reason) => {
    const err = await refusal(gzipTar(design(), tarEntry(name, 'x'), END_OF_ARCHIVE), 'INVALID_ARCHIVE', `archive entry ${JSON.stringify(name)}: ${reason}`);
    expect(err.details).toEqual({ path: name });
  });

  it('accepts names that merely resemble those (console.step, auxiliary.txt, gitter, 100%25.txt)', async () => {
    const names = ['console.step', 'docs/auxiliary.txt', 'gitter/x', '.github/workflows/ci.yml', '100%25.txt', 'com10.txt', 'a%20b.txt'];
    const files = await readArchive(gzipTar(design(), ...names.map((n) => tarEntry(n, 'x')), END_OF_ARCHIVE));
    expect(files.map((f) => f.path).sort()).toEqual(['design.yaml', ...names].sort());
  });

  it(`a .gitattributes over ${MAX_GITATTRIBUTES_BYTES / 1024} KiB, anywhere, by its header`, async () => {
    expect(MAX_GITATTRIBUTES_BYTES).toBe(16 * 1024);
    const ok = await readArchive(gzipTar(design(), tarEntry('.gitattributes', Buffer.alloc(MAX_GITATTRIBUTES_BYTES, 0x61)), END_OF_ARCHIVE));
    expect(ok.map((f) => f.path)).toEqual(['.gitattributes', 'design.yaml']);
    for (const name of ['.gitattributes', 'docs/.GitAttributes']) {
      const err = await refusal(gzipTar(design(), tarEntry(name, Buffer.alloc(MAX_GITATTRIBUTES_BYTES + 1, 0x61)), END_OF_ARCHIVE), 'INVALID_ARCHIVE',
        `archive entry ${JSON.stringify(name)}: is larger than 16 KiB (limit for .gitattributes, which changes how git checks files out)`);
      expect(err.details).toEqual({ path: name });
    }
  });
});

describe('the registry stores exactly the file set GNU tar lists', () => {
  const gnuTar = spawnSync('tar', ['--version'], { encoding: 'utf8' }).stdout?.includes('GNU tar') ?? false;
  const gnuList = (gz: Buffer): string[] => {
    const out = spawnSync('tar', ['-tzf', '-'], { input: gz, encoding: 'utf8' });
    return out.stdout.split('\n').filter((l) => l !== '' && !l.endsWith('/')).map((l) => l.replace(/^\.\//, '')).sort();
  };
  const longName = `docs/${'n'.repeat(150)}.md`;
  const archives: Array<[string, () => Buffer]> = [
    ['plain entries with ./ and directories', () => gzipTar(tarEntry('./design.yaml', MANIFEST.data), tarEntry('./docs/', '', { type: '5' }), tarEntry('./docs/a.md', 'A'), END_OF_ARCHIVE)],
    ['a ustar prefix field', () => gzipTar(tarEntry('design.yaml', MANIFEST.data), tarEntry('a.md', 'A', { prefix: 'docs/deep' }), END_OF_ARCHIVE)],
    ['a PAX path', () => gzipTar(tarEntry('design.yaml', MANIFEST.data), paxHeader({ path: longName }), tarEntry('short', 'x'), END_OF_ARCHIVE)],
    ['a GNU long name', () => gzipTar(tarEntry('design.yaml', MANIFEST.data), tarEntry('././@LongLink', `${longName}\0`, { type: 'L' }), tarEntry(longName.slice(0, 99), 'x'), END_OF_ARCHIVE)],
    ['a git archive style global comment', () => gzipTar(paxHeader({ comment: 'f'.repeat(40) }, 'g'), tarEntry('design.yaml', MANIFEST.data), END_OF_ARCHIVE)],
  ];

  it.runIf(gnuTar).each(archives)('%s', async (_what, make) => {
    const gz = make();
    const ours = (await readArchive(gz)).map((f) => f.path).sort();
    expect(ours).toEqual(gnuList(gz));
  });

  it.runIf(gnuTar)('our own writer, with long and non-ASCII names', async () => {
    const gz = await writeArchive(pkg);
    expect((await readArchive(gz)).map((f) => f.path).sort()).toEqual(gnuList(gz));
  });

  it.runIf(gnuTar)('GNU tar does not list what follows the marker, which is why it is refused', async () => {
    const gz = gzipTar(tarEntry('design.yaml', MANIFEST.data), END_OF_ARCHIVE, tarEntry('evil.txt', 'x'), END_OF_ARCHIVE);
    expect(gnuList(gz)).toEqual(['design.yaml']);
    await refusal(gz, 'INVALID_ARCHIVE', /"evil\.txt": comes after the end-of-archive marker/);
  });
});

describe('decompression stops at the limit with bounded memory, whatever the ratio', () => {
  /** Peak growth of rss and of array buffers while `run` runs, sampled every few milliseconds. */
  async function memoryGrowth(run: () => Promise<unknown>): Promise<{ rss: number; buffers: number }> {
    global.gc?.();
    const base = process.memoryUsage();
    let rss = base.rss;
    let buffers = base.arrayBuffers;
    const sample = () => {
      const m = process.memoryUsage();
      rss = Math.max(rss, m.rss);
      buffers = Math.max(buffers, m.arrayBuffers);
    };
    const timer = setInterval(sample, 1);
    try {
      await run();
    } finally {
      clearInterval(timer);
      sample();
    }
    return { rss: rss - base.rss, buffers: buffers - base.arrayBuffers };
  }

  it('40 files of 19 MiB of zeros (760 MiB from under 1 MB, each under the per-file limit) → TOO_LARGE, < 64 MiB growth', async () => {
    const bomb = gzipBombOfFiles(40, 19 * MiB, (i) => (i === 0 ? 'design.yaml' : `part-${i}.bin`));
    expect(bomb.byteLength).toBeLessThan(MiB);
    const growth = await memoryGrowth(() => refusal(bomb, 'TOO_LARGE', 'archive expands to more than 200 MiB (limit maxUncompressedBytes)'));
    expect(growth.rss).toBeLessThan(64 * MiB);
    expect(growth.buffers).toBeLessThan(64 * MiB);
  });

  it('one entry declaring 1 GiB is refused by its header, without inflating it', async () => {
    const growth = await memoryGrowth(() => refusal(gzipBombOfFiles(1, 1024 * MiB, () => 'design.yaml'), 'TOO_LARGE',
      'archive entry "design.yaml" is larger than 20 MiB (limit maxFileBytes)'));
    expect(growth.rss).toBeLessThan(64 * MiB);
  });
});
