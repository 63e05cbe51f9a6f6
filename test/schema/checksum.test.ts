import { describe, expect, it } from 'vitest';
import { canonicalFileList, fileSha256, isChecksum, packageChecksum } from '../../schema/checksum.ts';
import { comparePaths } from '../../schema/package-rules.ts';
import { OhwError } from '../../schema/errors.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// Expected values computed by hand with coreutils:
//   h1=$(printf 'hello\n' | sha256sum)             → 5891b5b5…
//   h2=$(printf 'name: acme/widget\n' | sha256sum) → 5c671c21…
//   h3=$(printf '' | sha256sum)                    → e3b0c442…
//   { printf 'README.md\0%s\n' $h1; printf 'design.yaml\0%s\n' $h2; printf 'docs/empty.txt\0%s\n' $h3; } | sha256sum
// (cross-checked with Python's hashlib)
const H_HELLO = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';
const H_MANIFEST = '5c671c2135bef35fbf06a56282f37430e90ce3ec8c8ed0c0ded1f6ccdc37e874';
const H_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EXPECTED = 'sha256:8f7563e137926c1977dd8d9846d7fd7994993cbe4734385ee7bc3753d62208b2';

const files = [
  { path: 'design.yaml', data: text('name: acme/widget\n') },
  { path: 'docs/empty.txt', data: new Uint8Array() },
  { path: 'README.md', data: text('hello\n') },
];

describe('fileSha256', () => {
  it('is the lower-case hex SHA-256 of the bytes', () => {
    expect(fileSha256(text('hello\n'))).toBe(H_HELLO);
    expect(fileSha256(new Uint8Array())).toBe(H_EMPTY);
  });
});

describe('packageChecksum', () => {
  it('is sha256 over "path\\0sha256hex\\n" lines sorted by path bytes (hand-computed value)', () => {
    expect(canonicalFileList(files)).toBe(
      `README.md\0${H_HELLO}\ndesign.yaml\0${H_MANIFEST}\ndocs/empty.txt\0${H_EMPTY}\n`,
    );
    expect(packageChecksum(files)).toBe(EXPECTED);
  });

  it('does not depend on the order of the input', () => {
    expect(packageChecksum([...files].reverse())).toBe(EXPECTED);
    expect(packageChecksum([files[1]!, files[2]!, files[0]!])).toBe(EXPECTED);
  });

  it('does not depend on the executable bit or the kind of Uint8Array', () => {
    const variant = files.map((f) => ({ ...f, data: Buffer.from(f.data), executable: true }));
    expect(packageChecksum(variant)).toBe(EXPECTED);
  });

  it('changes when a byte, a path or the file set changes', () => {
    expect(packageChecksum([...files.slice(0, 2), { path: 'README.md', data: text('hello!\n') }])).not.toBe(EXPECTED);
    expect(packageChecksum([...files.slice(0, 2), { path: 'readme.md', data: text('hello\n') }])).not.toBe(EXPECTED);
    expect(packageChecksum(files.slice(0, 2))).not.toBe(EXPECTED);
  });

  it('of no files is the SHA-256 of the empty string', () => {
    expect(packageChecksum([])).toBe(`sha256:${H_EMPTY}`);
  });

  it('sorts by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF5E is EF BD 9E in UTF-8, U+1F600 is F0 9F 98 80: UTF-8 order puts ～ first,
    // while JavaScript's default string order (surrogate D83D < FF5E) would put 😀 first.
    expect(['😀.txt', '～.txt'].sort()).toEqual(['😀.txt', '～.txt']);
    expect(['😀.txt', '～.txt'].sort(comparePaths)).toEqual(['～.txt', '😀.txt']);
    const a = { path: '😀.txt', data: text('a') };
    const b = { path: '～.txt', data: text('b') };
    expect(canonicalFileList([a, b]).startsWith('～.txt\0')).toBe(true);
    expect(packageChecksum([a, b])).toBe(packageChecksum([b, a]));
  });

  it('refuses a path listed twice (the canonical list would be ambiguous), naming it', () => {
    const dup = [{ path: 'a.txt', data: text('1') }, { path: 'a.txt', data: text('2') }];
    expect(() => packageChecksum(dup)).toThrow(OhwError);
    try {
      packageChecksum(dup);
    } catch (e) {
      expect((e as OhwError).code).toBe('INVALID_ARCHIVE');
      expect((e as OhwError).message).toBe('package file "a.txt": appears more than once');
    }
  });

  it('isChecksum recognises the format', () => {
    expect(isChecksum(EXPECTED)).toBe(true);
    expect(isChecksum(H_HELLO)).toBe(false);
    expect(isChecksum('sha256:XYZ')).toBe(false);
  });
});
