import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  MANIFEST_PATH,
  MAX_GITATTRIBUTES_BYTES,
  PackageChecker,
  checkPackageFiles,
  checkPackagePath,
  comparePaths,
  formatBytes,
  segmentView,
  type PackageFile as SchemaPackageFile,
  type PackageLimits,
} from '../../schema/package-rules.ts';
import { OhwError, type ErrorCode } from '../../schema/errors.ts';
import type { PackageFile as StorePackageFile } from '../../server/store/ports.ts';

import { refusal } from '../helpers/refusal.ts';

const MiB = 1024 * 1024;


const small: PackageLimits = { maxCompressedBytes: 1000, maxUncompressedBytes: 100, maxFiles: 3, maxFileBytes: 40, maxDepth: 3 };
const withManifest = (...more: Array<{ path: string; size: number }>) => [{ path: MANIFEST_PATH, size: 10 }, ...more];

describe('DEFAULT_LIMITS (SPEC §1)', () => {
  it('are 50 MiB compressed, 200 MiB uncompressed, 5000 files, 20 MiB per file, depth 16', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxCompressedBytes: 50 * MiB,
      maxUncompressedBytes: 200 * MiB,
      maxFiles: 5000,
      maxFileBytes: 20 * MiB,
      maxDepth: 16,
    });
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });
});

describe('PackageFile', () => {
  it('is the shared type the store port uses too', () => {
    const a: StorePackageFile = { path: 'x', data: new Uint8Array(), executable: true };
    const b: SchemaPackageFile = a;
    const c: StorePackageFile = b;
    expect(c).toBe(a);
  });
});

describe('checkPackagePath', () => {
  it.each([
    'design.yaml',
    'README.md',
    'docs/assembly/step-1.md',
    'cad/enclosure v2 (final).FCStd',
    '.ohwignore',
    '.github/workflows/ci.yml',
    'a..b/c...d',
    'gits/.gitignore',
    'docs/.gitkeep',
    'élan/naïve.txt',
    '～/😀.txt',
  ])('accepts %j', (p) => {
    expect(checkPackagePath(p)).toBeNull();
  });

  it.each([
    ['', 'path is empty'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:\\Windows\\x', 'absolute paths are not allowed'],
    ['c:/x', 'absolute paths are not allowed'],
    ['\\\\server\\share\\x', 'absolute paths are not allowed'],
    ['docs\\a.md', 'backslashes are not allowed'],
    ['../x', '".." segments are not allowed'],
    ['docs/../../etc/passwd', '".." segments are not allowed'],
    ['a/..', '".." segments are not allowed'],
    ['./a', '"." segments are not allowed'],
    ['a/./b', '"." segments are not allowed'],
    ['a//b', 'empty segments (// or a trailing /) are not allowed'],
    ['a/', 'empty segments (// or a trailing /) are not allowed'],
    ['.git/HEAD', '".git" segments are not allowed'],
    ['a/.GIT/config', '".git" segments are not allowed'],
    ['sub/.Git', '".git" segments are not allowed'],
    ['a\u0000b', 'control characters are not allowed'],
    ['a\nb', 'control characters are not allowed'],
    ['tab\there', 'control characters are not allowed'],
    ['del\u007f', 'control characters are not allowed'],
    ['bad\uD800.txt', 'path is not valid Unicode'],
  ])('refuses %j: %s', (p, reason) => {
    expect(checkPackagePath(p)).toBe(reason);
  });

  it('refuses paths deeper than maxDepth segments (the file name counts)', () => {
    const at16 = `${'d/'.repeat(15)}f.txt`;
    expect(at16.split('/')).toHaveLength(16);
    expect(checkPackagePath(at16)).toBeNull();
    expect(checkPackagePath(`d/${at16}`)).toBe('path is deeper than 16 levels (limit maxDepth)');
    expect(checkPackagePath('a/b/c/d', small)).toBe('path is deeper than 3 levels (limit maxDepth)');
  });

  it('refuses paths over 1024 bytes and segments over 255 bytes (UTF-8)', () => {
    expect(checkPackagePath(`${'a'.repeat(255)}/b`)).toBeNull();
    expect(checkPackagePath(`${'a'.repeat(256)}/b`)).toBe('a path segment is longer than 255 bytes');
    expect(checkPackagePath('é'.repeat(128))).toBe('a path segment is longer than 255 bytes'); // 256 bytes
    const long = Array.from({ length: 5 }, () => 'x'.repeat(250)).join('/'); // 1254 bytes, depth 5
    expect(checkPackagePath(long)).toBe('path is longer than 1024 bytes');
  });
});

describe('checkPackageFiles', () => {
  it('accepts a package with design.yaml at its root', () => {
    expect(() => checkPackageFiles(withManifest({ path: 'README.md', size: 5 }, { path: 'docs/a.md', size: 5 }))).not.toThrow();
  });

  it('refuses a bad path, naming it (INVALID_ARCHIVE, details.path)', () => {
    const err = refusal(
      () => checkPackageFiles(withManifest({ path: 'docs/../../etc/passwd', size: 1 })),
      'INVALID_ARCHIVE',
      'package file "docs/../../etc/passwd": ".." segments are not allowed',
    );
    expect(err.details).toEqual({ path: 'docs/../../etc/passwd' });
  });

  it('words messages for archive entries when asked', () => {
    refusal(
      () => checkPackageFiles(withManifest({ path: 'a/.GIT/config', size: 1 }), DEFAULT_LIMITS, 'archive'),
      'INVALID_ARCHIVE',
      'archive entry "a/.GIT/config": ".git" segments are not allowed',
    );
  });

  it('quotes paths safely (control characters are escaped in the message)', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'evil\u001b[2Jname', size: 1 })), 'INVALID_ARCHIVE',
      'package file "evil\\u001b[2Jname": control characters are not allowed');
  });

  it('refuses an exact duplicate', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'a.txt', size: 1 }, { path: 'a.txt', size: 1 })), 'INVALID_ARCHIVE',
      'package file "a.txt": appears more than once');
  });

  it('refuses names that collide case-insensitively, naming both', () => {
    const err = refusal(
      () => checkPackageFiles(withManifest({ path: 'README.md', size: 1 }, { path: 'readme.md', size: 1 }), DEFAULT_LIMITS, 'archive'),
      'INVALID_ARCHIVE',
      'archive entries "README.md" and "readme.md" collide on case-insensitive file systems',
    );
    expect(err.details).toEqual({ path: 'readme.md', other: 'README.md' });
  });

  it('refuses directories spelled two ways (they merge into one on case-insensitive file systems)', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'Docs/a.md', size: 1 }, { path: 'docs/b.md', size: 1 })), 'INVALID_ARCHIVE',
      'package files "Docs/a.md" and "docs/b.md" collide on case-insensitive file systems');
  });

  it('refuses names that differ only in Unicode normalisation (they collide on macOS)', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'caf\u00e9.txt', size: 1 }, { path: 'cafe\u0301.txt', size: 1 })), 'INVALID_ARCHIVE',
      'package files "caf\u00e9.txt" and "cafe\u0301.txt" collide on case-insensitive file systems');
  });

  it('refuses a name that is both a file and a directory, in either order', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'a', size: 1 }, { path: 'a/b', size: 1 })), 'INVALID_ARCHIVE',
      'package files "a" and "a/b" conflict: "a" is both a file and a directory');
    refusal(() => checkPackageFiles(withManifest({ path: 'a/b', size: 1 }, { path: 'a', size: 1 })), 'INVALID_ARCHIVE',
      'package files "a/b" and "a" conflict: "a" is both a file and a directory');
    refusal(() => checkPackageFiles(withManifest({ path: 'x/Y', size: 1 }, { path: 'x/y/z', size: 1 })), 'INVALID_ARCHIVE',
      'package files "x/Y" and "x/y/z" collide on case-insensitive file systems');
  });

  it('refuses more than maxFiles files (TOO_LARGE, naming the limit and the first file over it)', () => {
    const err = refusal(
      () => checkPackageFiles(withManifest({ path: 'a', size: 1 }, { path: 'b', size: 1 }, { path: 'c', size: 1 }), small),
      'TOO_LARGE',
      'package has more than 3 files (limit maxFiles)',
    );
    expect(err.details).toEqual({ path: 'c', limit: 'maxFiles' });
  });

  it('refuses a file over maxFileBytes, naming it', () => {
    refusal(() => checkPackageFiles(withManifest({ path: 'big.bin', size: 41 }), small), 'TOO_LARGE',
      'package file "big.bin" is larger than 40 bytes (limit maxFileBytes)');
    refusal(() => checkPackageFiles(withManifest({ path: 'big.bin', size: 20 * MiB + 1 })), 'TOO_LARGE',
      'package file "big.bin" is larger than 20 MiB (limit maxFileBytes)');
    expect(() => checkPackageFiles(withManifest({ path: 'ok.bin', size: 40 }), small)).not.toThrow();
  });

  it('refuses a total over maxUncompressedBytes, naming the file that crossed it', () => {
    const err = refusal(
      () => checkPackageFiles(withManifest({ path: 'a', size: 45 }, { path: 'b', size: 46 }), { ...small, maxFiles: 10, maxFileBytes: 50 }),
      'TOO_LARGE',
      'package is larger in total than 100 bytes (limit maxUncompressedBytes)',
    );
    expect(err.details).toEqual({ path: 'b', limit: 'maxUncompressedBytes' });
  });

  it('refuses a package without design.yaml at its root', () => {
    for (const files of [[], [{ path: 'README.md', size: 1 }], [{ path: 'sub/design.yaml', size: 1 }], [{ path: 'Design.yaml', size: 1 }]]) {
      const err = refusal(() => checkPackageFiles(files), 'INVALID_ARCHIVE', 'package has no "design.yaml" at its root');
      expect(err.details).toEqual({ path: 'design.yaml' });
    }
  });

  it('reports the first violation in list order', () => {
    refusal(() => checkPackageFiles(withManifest({ path: '/abs', size: 1 }, { path: 'big', size: 99 * MiB })), 'INVALID_ARCHIVE',
      'package file "/abs": absolute paths are not allowed');
  });

  it('PackageChecker bounds directory entries too', () => {
    const c = new PackageChecker(small, 'archive');
    c.addDirectory('a');
    c.addDirectory('b');
    c.addDirectory('c');
    refusal(() => c.addDirectory('d'), 'TOO_LARGE', 'archive has more than 3 directory entries (limit maxFiles)');
    refusal(() => c.addDirectory('../up'), 'INVALID_ARCHIVE', 'archive entry "../up": ".." segments are not allowed');
  });
});

describe('helpers', () => {
  it('formatBytes shows limits the way people read them', () => {
    expect(formatBytes(200 * MiB)).toBe('200 MiB');
    expect(formatBytes(3 * 1024)).toBe('3 KiB');
    expect(formatBytes(100)).toBe('100 bytes');
    expect(formatBytes(1)).toBe('1 byte');
  });

  it('comparePaths is UTF-8 byte order (upper case before lower case, "/" before letters)', () => {
    expect(['b', 'a/b', 'B', 'a-b', 'a'].sort(comparePaths)).toEqual(['B', 'a', 'a-b', 'a/b', 'b']);
  });
});

describe('checkPackagePath: what Windows, macOS and git see', () => {
  it.each([
    ['CON.step', '"CON.step" is a device name reserved by Windows (CON)'],
    ['docs/aux.txt', '"aux.txt" is a device name reserved by Windows (AUX)'],
    ['prn', '"prn" is a device name reserved by Windows (PRN)'],
    ['a/NUL .txt', '"NUL .txt" is a device name reserved by Windows (NUL)'],
    ['com9', '"com9" is a device name reserved by Windows (COM9)'],
    ['LPT1.tar.gz', '"LPT1.tar.gz" is a device name reserved by Windows (LPT1)'],
    ['.g\u200dit/x', '".git" segments are not allowed, nor look-alikes such as ".g\\u200dit"'],
    ['.GIT. /x', '".git" segments are not allowed, nor look-alikes such as ".GIT. "'],
    ['git~1', '"git~1" is the Windows short name of ".git" and is not allowed'],
    ['%2E/x', '"%2E" reads as "." once percent-decoded and is not allowed'],
    ['a%5cb', '"a%5cb" reads as "a\\\\b" once percent-decoded and is not allowed'],
  ])('refuses %j', (path, reason) => {
    expect(checkPackagePath(path)).toBe(reason);
  });

  it.each(['console.step', 'auxiliary/x.txt', 'com10', 'lpt', 'gitk', 'git~1x', '.gitignore', '50%.txt', 'a%20b'])('accepts %j', (path) => {
    expect(checkPackagePath(path)).toBeNull();
  });

  it('segmentView drops invisible characters, trailing dots and spaces and case', () => {
    expect(segmentView('.G\u200cIT. ')).toBe('.git');
    expect(segmentView('Readme.MD')).toBe('readme.md');
  });

  it('checkPackageFiles refuses a .gitattributes over 16 KiB and paths that collide on Windows', () => {
    expect(() => checkPackageFiles([{ path: 'design.yaml', size: 1 }, { path: '.gitattributes', size: MAX_GITATTRIBUTES_BYTES + 1 }])).toThrow(
      'package file ".gitattributes": is larger than 16 KiB (limit for .gitattributes, which changes how git checks files out)');
    expect(() => checkPackageFiles([{ path: 'design.yaml', size: 1 }, { path: 'a.txt', size: 1 }, { path: 'a.txt ', size: 1 }])).toThrow(
      'package files "a.txt" and "a.txt " collide on Windows or macOS');
  });
});
