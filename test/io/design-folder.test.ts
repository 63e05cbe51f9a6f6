import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { designSource, readDesignFolder, writeDesignFolder } from '../../io/design-folder.ts';
import { DEFAULT_LIMITS, type PackageFile } from '../../schema/package-rules.ts';
import { OhwError, type ErrorCode } from '../../schema/errors.ts';
import { refusalOf } from '../helpers/refusal.ts';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const MANIFEST = 'name: acme/widget\n';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ohw-design-folder-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Creates files under `dir` (parents included); a string is UTF-8 content. */
async function tree(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, ...rel.split('/'));
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content);
  }
  return dir;
}


const paths = (files: PackageFile[]): string[] => files.map((f) => f.path);

async function caseSensitiveFs(dir: string): Promise<boolean> {
  await fs.writeFile(path.join(dir, 'CaseProbe'), '');
  const sensitive = await fs.stat(path.join(dir, 'caseprobe')).then(() => false, () => true);
  await fs.rm(path.join(dir, 'CaseProbe'));
  return sensitive;
}

describe('readDesignFolder', () => {
  it('returns all files sorted by path, with bytes and the executable bit', async () => {
    const dir = await tree(tmp, {
      'design.yaml': MANIFEST,
      'README.md': '# Widget\n',
      'docs/assembly.md': 'Screw it.\n',
      'tools/build.sh': '#!/bin/sh\n',
      'docs/empty.txt': '',
    });
    await fs.chmod(path.join(dir, 'tools/build.sh'), 0o755);
    const files = await readDesignFolder(dir);
    expect(paths(files)).toEqual(['README.md', 'design.yaml', 'docs/assembly.md', 'docs/empty.txt', 'tools/build.sh']);
    expect(files.find((f) => f.path === 'design.yaml')!.data.toString()).toBe(MANIFEST);
    expect(files.find((f) => f.path === 'tools/build.sh')!.executable).toBe(true);
    expect(files.find((f) => f.path === 'README.md')!.executable).toBeUndefined();
  });

  it('skips .git at any depth (directory or file, any case)', async () => {
    const dir = await tree(tmp, {
      'design.yaml': MANIFEST,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/config': '[core]\n',
      'vendor/lib/.git/config': '[core]\n',
      'vendor/lib/part.step': 'ISO\n',
      'sub/.git': 'gitdir: ../.git/modules/sub\n',
      'sub/.GIT/objects/x': 'x',
    });
    expect(paths(await readDesignFolder(dir))).toEqual(['design.yaml', 'vendor/lib/part.step']);
  });

  it('skips what .ohwignore lists (globs, directories, negation, anchored paths)', async () => {
    const dir = await tree(tmp, {
      '.ohwignore': ['# comments and blank lines are fine', '', '*.bak', '!keep.bak', 'build/', '/notes.txt', 'cad/**/*.tmp'].join('\n'),
      'design.yaml': MANIFEST,
      'old.bak': 'x',
      'docs/old.bak': 'x',
      'keep.bak': 'kept',
      'build/out.gcode': 'G1',
      'docs/build/out.pdf': 'pdf',
      'notes.txt': 'private',
      'docs/notes.txt': 'public',
      'cad/a/b/c.tmp': 'tmp',
      'cad/a/b/c.step': 'step',
    });
    expect(paths(await readDesignFolder(dir))).toEqual(['.ohwignore', 'cad/a/b/c.step', 'design.yaml', 'docs/notes.txt', 'keep.bak']);
  });

  it('does not look into ignored directories (nor refuse what is inside them)', async () => {
    const dir = await tree(tmp, { '.ohwignore': 'node_modules/\n*.sock\n', 'design.yaml': MANIFEST, 'node_modules/x/index.js': '' });
    await fs.symlink('/etc', path.join(dir, 'node_modules', 'etc-link'));
    await fs.symlink('design.yaml', path.join(dir, 'link.sock'));
    expect(paths(await readDesignFolder(dir))).toEqual(['.ohwignore', 'design.yaml']);
  });

  it('refuses a symlink, naming its path relative to the folder', async () => {
    const dir = await tree(tmp, { 'design.yaml': MANIFEST, 'docs/a.md': 'A' });
    await fs.symlink('/etc/passwd', path.join(dir, 'docs', 'passwd'));
    const err = await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package file "docs/passwd": symbolic links are not allowed');
    expect(err.details).toEqual({ path: 'docs/passwd' });
    expect(err.message).not.toContain(tmp);
  });

  it('refuses a symlinked directory', async () => {
    const dir = await tree(tmp, { 'pkg/design.yaml': MANIFEST, 'outside/secret.txt': 's' });
    await fs.symlink(path.join(tmp, 'outside'), path.join(tmp, 'pkg', 'shared'));
    await refusalOf(readDesignFolder(path.join(dir, 'pkg')), 'INVALID_ARCHIVE', 'package file "shared": symbolic links are not allowed');
  });

  it('refuses a socket', async () => {
    const dir = await tree(tmp, { 'design.yaml': MANIFEST });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'ctl.sock'), resolve));
    try {
      await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package file "ctl.sock": sockets are not allowed');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const hasMkfifo = (() => {
    try {
      execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasMkfifo)('refuses a FIFO (without blocking on it)', async () => {
    const dir = await tree(tmp, { 'design.yaml': MANIFEST });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package file "pipe": FIFOs (named pipes) are not allowed');
  });

  it('refuses names that collide case-insensitively, naming both', async (ctx) => {
    if (!(await caseSensitiveFs(tmp))) ctx.skip();
    const dir = await tree(tmp, { 'design.yaml': MANIFEST, 'README.md': 'a', 'readme.md': 'b' });
    const err = await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package files "README.md" and "readme.md" collide on case-insensitive file systems');
    expect(err.details).toEqual({ path: 'readme.md', other: 'README.md' });
  });

  it('refuses a file name the package rules refuse', async () => {
    const dir = await tree(tmp, { 'design.yaml': MANIFEST, 'docs/a\\b.md': 'x' });
    await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package file "docs/a\\\\b.md": backslashes are not allowed');
  });

  it('applies the limits: a file too large (before reading it), too many files', async () => {
    const dir = await tree(tmp, { 'design.yaml': MANIFEST, 'a.bin': Buffer.alloc(2000), 'b.txt': 'b', 'c.txt': 'c' });
    await refusalOf(readDesignFolder(dir, { ...DEFAULT_LIMITS, maxFileBytes: 1024 }), 'TOO_LARGE',
      'package file "a.bin" is larger than 1 KiB (limit maxFileBytes)');
    await refusalOf(readDesignFolder(dir, { ...DEFAULT_LIMITS, maxFiles: 3 }), 'TOO_LARGE', 'package has more than 3 files (limit maxFiles)');
    await refusalOf(readDesignFolder(dir, { ...DEFAULT_LIMITS, maxUncompressedBytes: 2010 }), 'TOO_LARGE',
      'package is larger in total than 2010 bytes (limit maxUncompressedBytes)');
  });

  it('requires design.yaml at the root', async () => {
    const dir = await tree(tmp, { 'pkg/design.yaml': MANIFEST, 'README.md': 'x' });
    await refusalOf(readDesignFolder(dir), 'INVALID_ARCHIVE', 'package has no "design.yaml" at its root');
  });

  it('says when the folder does not exist or is not a folder', async () => {
    await refusalOf(readDesignFolder(path.join(tmp, 'nope')), 'NOT_FOUND', /^design folder ".*nope" does not exist$/);
    await tree(tmp, { 'file.txt': 'x' });
    await refusalOf(readDesignFolder(path.join(tmp, 'file.txt')), 'INVALID_REQUEST', /file\.txt" is not a directory$/);
  });
});

describe('designSource', () => {
  it('reads files by exact package path and lists them sorted', () => {
    const src = designSource([
      { path: 'docs/a.md', data: text('A') },
      { path: 'design.yaml', data: text(MANIFEST) },
      { path: 'README.md', data: text('R') },
    ]);
    expect(src.files()).toEqual(['README.md', 'design.yaml', 'docs/a.md']);
    expect(Buffer.from(src.read('docs/a.md')!).toString()).toBe('A');
    expect(src.read('docs/missing.md')).toBeUndefined();
    expect(src.read('readme.md')).toBeUndefined();
    expect(src.read('./README.md')).toBeUndefined();
  });

  it('hands out copies of its list', () => {
    const src = designSource([{ path: 'design.yaml', data: text(MANIFEST) }]);
    src.files().push('evil');
    expect(src.files()).toEqual(['design.yaml']);
  });
});

describe('writeDesignFolder', () => {
  const pkg: PackageFile[] = [
    { path: 'design.yaml', data: text(MANIFEST) },
    { path: 'docs/assembly/step-1.md', data: text('Screw it.\n') },
    { path: 'tools/build.sh', data: text('#!/bin/sh\n'), executable: true },
    { path: 'cad/élan.step', data: text('ISO\n') },
  ];

  it('writes the files with 0644 / 0755, and reads back the same', async () => {
    const out = path.join(tmp, 'out');
    await writeDesignFolder(out, pkg);
    expect((await fs.stat(path.join(out, 'design.yaml'))).mode & 0o777).toBe(0o644);
    expect((await fs.stat(path.join(out, 'tools/build.sh'))).mode & 0o777).toBe(0o755);
    const back = await readDesignFolder(out);
    expect(back.map((f) => [f.path, f.data.toString(), f.executable ?? false])).toEqual(
      [...pkg].sort((a, b) => Buffer.compare(text(a.path), text(b.path))).map((f) => [f.path, Buffer.from(f.data).toString(), f.executable ?? false]),
    );
  });

  it('writes into an existing empty folder', async () => {
    await fs.mkdir(path.join(tmp, 'empty'));
    await writeDesignFolder(path.join(tmp, 'empty'), pkg);
    expect(await fs.readFile(path.join(tmp, 'empty', 'design.yaml'), 'utf8')).toBe(MANIFEST);
  });

  it('refuses an existing non-empty folder unless forced, then overwrites (and fixes modes)', async () => {
    const out = await tree(path.join(tmp, 'out'), { 'design.yaml': 'old', 'mine.txt': 'keep' });
    await fs.chmod(path.join(out, 'design.yaml'), 0o600);
    const err = await refusalOf(writeDesignFolder(out, pkg), 'CONFLICT', /already exists and is not empty/);
    expect(err.message).toContain(JSON.stringify(out));
    expect(await fs.readFile(path.join(out, 'design.yaml'), 'utf8')).toBe('old');

    await writeDesignFolder(out, pkg, { force: true });
    expect(await fs.readFile(path.join(out, 'design.yaml'), 'utf8')).toBe(MANIFEST);
    expect((await fs.stat(path.join(out, 'design.yaml'))).mode & 0o777).toBe(0o644);
    expect(await fs.readFile(path.join(out, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('with force, refuses a file where a directory is needed', async () => {
    const out = await tree(path.join(tmp, 'out'), { docs: 'a file' });
    await refusalOf(writeDesignFolder(out, pkg, { force: true }), 'INVALID_ARCHIVE',
      'package file "docs/assembly/step-1.md": "docs" exists in the target folder and is not a directory');
  });

  it('refuses a target that is a file', async () => {
    await tree(tmp, { 'file.txt': 'x' });
    await refusalOf(writeDesignFolder(path.join(tmp, 'file.txt'), pkg), 'CONFLICT', /file\.txt" exists and is not a directory$/);
  });

  it.each([
    ['../escape.txt', '".." segments are not allowed'],
    ['docs/../../escape.txt', '".." segments are not allowed'],
    ['/tmp/escape.txt', 'absolute paths are not allowed'],
    ['.git/hooks/post-checkout', '".git" segments are not allowed'],
    ['C:\\escape.txt', 'absolute paths are not allowed'],
  ])('refuses to write %j, and writes nothing at all', async (bad, reason) => {
    const out = path.join(tmp, 'out');
    const err = await refusalOf(writeDesignFolder(out, [...pkg, { path: bad, data: text('pwned') }]), 'INVALID_ARCHIVE',
      `package file ${JSON.stringify(bad)}: ${reason}`);
    expect(err.details).toEqual({ path: bad });
    expect(await fs.readdir(tmp)).toEqual([]);
  });

  it('refuses case collisions before writing (one would overwrite the other on macOS/Windows)', async () => {
    await refusalOf(writeDesignFolder(path.join(tmp, 'out'), [...pkg, { path: 'Design.yaml', data: text('x') }]), 'INVALID_ARCHIVE',
      'package files "design.yaml" and "Design.yaml" collide on case-insensitive file systems');
  });

  it('with force, does not follow a symlinked directory out of the folder', async () => {
    const out = await tree(path.join(tmp, 'out'), { 'x.txt': 'x' });
    await fs.mkdir(path.join(tmp, 'outside'));
    await fs.symlink(path.join(tmp, 'outside'), path.join(out, 'docs'));
    await refusalOf(writeDesignFolder(out, pkg, { force: true }), 'INVALID_ARCHIVE',
      'package file "docs/assembly/step-1.md": "docs" is a symbolic link in the target folder');
    expect(await fs.readdir(path.join(tmp, 'outside'))).toEqual([]);
  });

  it('with force, does not write through a symlinked file', async () => {
    const out = path.join(tmp, 'out');
    await fs.mkdir(out);
    await tree(tmp, { 'victim.txt': 'safe' });
    await fs.symlink(path.join(tmp, 'victim.txt'), path.join(out, 'design.yaml'));
    await refusalOf(writeDesignFolder(out, pkg, { force: true }), 'INVALID_ARCHIVE',
      'package file "design.yaml": exists in the target folder and is not a regular file');
    expect(await fs.readFile(path.join(tmp, 'victim.txt'), 'utf8')).toBe('safe');
  });
});
