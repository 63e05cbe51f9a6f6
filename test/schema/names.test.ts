import { describe, expect, it } from 'vitest';
import { OhwError } from '../../schema/errors.ts';
import {
  RESERVED_NAMES,
  areTooSimilar,
  assertAccountNameDistinct,
  checkNameSegment,
  findTooSimilar,
  parsePackageName,
  parsePackageSpec,
  similarityKey,
} from '../../schema/names.ts';

/** Runs `fn`, expects an OhwError, returns it for code and message assertions. */
function refusal(fn: () => unknown): OhwError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OhwError);
    return e as OhwError;
  }
  throw new Error('expected a refusal, got none');
}

describe('checkNameSegment', () => {
  it.each(['a', 'ose', 'power-cube', '3d-printer', 'x1', 'a-b-c-1-2', 'a'.repeat(64)])('accepts %j', (seg) => {
    expect(checkNameSegment(seg, 'name')).toBeNull();
  });

  it('refuses an empty segment', () => {
    expect(checkNameSegment('', 'owner')).toBe('owner must not be empty');
  });

  it('refuses more than 64 characters, saying how many there are', () => {
    expect(checkNameSegment('a'.repeat(65), 'name')).toBe('name must be at most 64 characters (it has 65)');
  });

  it('refuses uppercase letters, naming the character', () => {
    expect(checkNameSegment('Foo', 'owner')).toBe(
      'owner must be lowercase letters, digits and single hyphens; uppercase "F" is not allowed',
    );
  });

  it.each([
    ['power_cube', '"_"'],
    ['power cube', '" "'],
    ['power.cube', '"."'],
    ['pöwer', '"ö"'],
    ['a/b', '"/"'],
  ])('refuses %j, naming the character %s', (seg, shown) => {
    expect(checkNameSegment(seg, 'name')).toBe(`name must be lowercase letters, digits and single hyphens; ${shown} is not allowed`);
  });

  it('refuses leading and trailing hyphens', () => {
    expect(checkNameSegment('-cube', 'name')).toBe('name must not start or end with a hyphen');
    expect(checkNameSegment('cube-', 'name')).toBe('name must not start or end with a hyphen');
  });

  it('refuses consecutive hyphens', () => {
    expect(checkNameSegment('power--cube', 'name')).toBe('name must use single hyphens only (found "--")');
  });

  it.each(['api', 'git', 'admin', 'new', 'search', 'login', 'index', 'ohw', 'root', 'null', 'undefined'])(
    'refuses the reserved word %j',
    (word) => {
      expect(RESERVED_NAMES).toContain(word);
      expect(checkNameSegment(word, 'account name')).toBe(`account name "${word}" is reserved`);
    },
  );

  it('refuses look-alikes of reserved words', () => {
    expect(checkNameSegment('adm1n', 'account name')).toBe('account name "adm1n" is too similar to the reserved word "admin"');
    expect(checkNameSegment('ad-min', 'owner')).toBe('owner "ad-min" is too similar to the reserved word "admin"');
    expect(checkNameSegment('r00t', 'owner')).toBe('owner "r00t" is too similar to the reserved word "root"');
  });

  it('accepts names that merely contain a reserved word', () => {
    expect(checkNameSegment('api-gateway', 'name')).toBeNull();
    expect(checkNameSegment('git-lamp', 'name')).toBeNull();
    expect(checkNameSegment('newton', 'owner')).toBeNull();
  });

  it('lists only valid segments as reserved words', () => {
    for (const word of RESERVED_NAMES) expect(word).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('parsePackageName', () => {
  it('splits a valid name into owner, name and full', () => {
    expect(parsePackageName('ose/power-cube')).toEqual({ owner: 'ose', name: 'power-cube', full: 'ose/power-cube' });
  });

  it('refuses uppercase with the segment and the rule named', () => {
    const e = refusal(() => parsePackageName('Foo/bar'));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe(
      'invalid package name "Foo/bar": owner must be lowercase letters, digits and single hyphens; uppercase "F" is not allowed',
    );
  });

  it('names the second segment when it is the bad one', () => {
    const e = refusal(() => parsePackageName('ose/power--cube'));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('invalid package name "ose/power--cube": name must use single hyphens only (found "--")');
  });

  it.each(['power-cube', 'ose/power/cube', '', '/power-cube', 'ose/'])('refuses %j which is not owner/name', (s) => {
    const e = refusal(() => parsePackageName(s));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(/^invalid package name ".*": /);
  });

  it('explains a missing slash and empty segments', () => {
    expect(refusal(() => parsePackageName('power-cube')).message).toBe(
      'invalid package name "power-cube": expected "owner/name" with exactly one "/"',
    );
    expect(refusal(() => parsePackageName('/power-cube')).message).toBe('invalid package name "/power-cube": owner must not be empty');
    expect(refusal(() => parsePackageName('ose/')).message).toBe('invalid package name "ose/": name must not be empty');
  });

  it('refuses reserved words as owner and as name', () => {
    expect(refusal(() => parsePackageName('api/lamp')).message).toBe('invalid package name "api/lamp": owner "api" is reserved');
    expect(refusal(() => parsePackageName('ose/new')).message).toBe('invalid package name "ose/new": name "new" is reserved');
  });

  it('does not echo huge input back in full', () => {
    const e = refusal(() => parsePackageName(`${'x'.repeat(10_000)}/y`));
    expect(e.message.length).toBeLessThan(300);
  });
});

describe('parsePackageSpec', () => {
  it('parses a bare package', () => {
    expect(parsePackageSpec('ose/power-cube')).toEqual({ pkg: 'ose/power-cube' });
  });

  it('parses an exact version and ranges', () => {
    expect(parsePackageSpec('ose/power-cube@1.2.0')).toEqual({ pkg: 'ose/power-cube', range: '1.2.0' });
    expect(parsePackageSpec('owner/name@^1.2.0')).toEqual({ pkg: 'owner/name', range: '^1.2.0' });
    expect(parsePackageSpec('ose/power-cube@2.0.0-rc.1')).toEqual({ pkg: 'ose/power-cube', range: '2.0.0-rc.1' });
    expect(parsePackageSpec('ose/power-cube@>=1.0.0 <2.0.0')).toEqual({ pkg: 'ose/power-cube', range: '>=1.0.0 <2.0.0' });
  });

  it('refuses an empty range after @', () => {
    const e = refusal(() => parsePackageSpec('ose/power-cube@'));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('invalid package "ose/power-cube@": nothing after "@"; expected a version or range such as 1.2.0 or ^1.2.0');
  });

  it('refuses a range that is not semver', () => {
    const e = refusal(() => parsePackageSpec('ose/power-cube@latest-ish'));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(/^invalid version range "latest-ish" in "ose\/power-cube@latest-ish": expected a semver version or range/);
  });

  it('validates the package part like parsePackageName', () => {
    const e = refusal(() => parsePackageSpec('Ose/power-cube@1.0.0'));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(/^invalid package name "Ose\/power-cube": owner must be lowercase/);
  });
});

describe('typosquatting', () => {
  it('similarityKey lowercases, drops hyphens and maps 0→o, 1→l, i→l, 5→s', () => {
    expect(similarityKey('3D-Pr1nter')).toBe('3dprlnter');
    expect(similarityKey('ose/p0wer-cube')).toBe('ose/powercube');
    expect(similarityKey('5olar')).toBe('solar');
  });

  it('finds 3d-printer, 3dprinter and 3d-pr1nter all too similar to each other', () => {
    const names = ['ose/3d-printer', 'ose/3dprinter', 'ose/3d-pr1nter'];
    for (const a of names) {
      for (const b of names) {
        if (a !== b) expect(areTooSimilar(a, b), `${a} ~ ${b}`).toBe(true);
      }
    }
    expect(findTooSimilar('ose/3dprinter', ['ose/3d-printer'])).toBe('ose/3d-printer');
    expect(findTooSimilar('ose/3d-pr1nter', ['acme/lamp', 'ose/3d-printer'])).toBe('ose/3d-printer');
  });

  it('finds ose/p0wer-cube too similar to ose/power-cube', () => {
    expect(findTooSimilar('ose/p0wer-cube', ['ose/power-cube'])).toBe('ose/power-cube');
    expect(findTooSimilar('ose/powercube', ['ose/power-cube'])).toBe('ose/power-cube');
  });

  it('catches squatting of the owner too', () => {
    expect(findTooSimilar('0se/power-cube', ['ose/power-cube'])).toBe('ose/power-cube');
    expect(findTooSimilar('o-se/power-cube', ['ose/power-cube'])).toBe('ose/power-cube');
  });

  it('covers 1~l and 5~s', () => {
    expect(areTooSimilar('acme/1amp', 'acme/lamp')).toBe(true);
    expect(areTooSimilar('acme/5olar', 'acme/solar')).toBe(true);
  });

  it('treats i, l and 1 as one class (mail next to mall is refused)', () => {
    expect(similarityKey('acme/mail')).toBe(similarityKey('acme/mall'));
    expect(areTooSimilar('acme/mail', 'acme/mall')).toBe(true);
    expect(findTooSimilar('acme/mail', ['acme/mall'])).toBe('acme/mall');
    expect(findTooSimilar('acme/i1l', ['acme/lli'])).toBe('acme/lli');
    expect(findTooSimilar('ose/bilge-pump', ['ose/bulge-pump'])).toBeUndefined();
  });

  it('reads rn as m (modem next to rnodem, and the other way round)', () => {
    expect(similarityKey('acme/rnodem')).toBe('acme/modem');
    expect(findTooSimilar('acme/rnodem', ['acme/modem'])).toBe('acme/modem');
    expect(findTooSimilar('acme/modem', ['acme/rnodem'])).toBe('acme/rnodem');
    expect(findTooSimilar('acme/corn-mill', ['acme/com-mill'])).toBe('acme/com-mill');
    expect(findTooSimilar('acme/modern', ['acme/modem'])).toBe('acme/modem'); // the classic one
    expect(findTooSimilar('acme/modest', ['acme/modem'])).toBeUndefined();
  });

  it('combines the classes: 0, 1, 5 and rn in one name', () => {
    expect(findTooSimilar('acme/5o1ar-rn0tor', ['acme/solar-motor'])).toBe('acme/solar-motor');
  });

  it('does not flag the same name again, nor the same name under another owner', () => {
    expect(findTooSimilar('ose/power-cube', ['ose/power-cube'])).toBeUndefined();
    expect(findTooSimilar('alice/power-cube', ['bob/power-cube'])).toBeUndefined();
  });

  it('does not flag distinct names', () => {
    expect(findTooSimilar('ose/power-cube', ['ose/power-cubes', 'ose/power-tube', 'ose/brick-press', 'ose/powe/rcube'])).toBeUndefined();
    expect(areTooSimilar('ose/lamp-2', 'ose/lamp-3')).toBe(false);
    expect(areTooSimilar('ose/a-bc', 'osea/bc')).toBe(false);
  });

  it('returns undefined for no existing names', () => {
    expect(findTooSimilar('ose/power-cube', [])).toBeUndefined();
  });
});

describe('account names', () => {
  it('refuses a look-alike of an existing account, naming it (0se next to ose)', () => {
    const e = refusal(() => assertAccountNameDistinct('0se', ['alice', 'ose']));
    expect(e.code).toBe('NAME_TOO_SIMILAR');
    expect(e.message).toBe('the account name "0se" is too similar to the existing account "ose"; choose a more distinct name');
    expect(e.details).toEqual({ similarTo: 'ose' });
  });

  it.each([['rnaker', 'maker'], ['a1ice', 'alice'], ['al1ce', 'alice'], ['bo-b', 'bob'], ['5am', 'sam']])('refuses %j next to %j', (name, existing) => {
    expect(refusal(() => assertAccountNameDistinct(name, [existing])).code).toBe('NAME_TOO_SIMILAR');
  });

  it('accepts distinct names, and leaves an exact repeat to the store (NAME_TAKEN)', () => {
    expect(() => assertAccountNameDistinct('alicia', ['alice', 'ose'])).not.toThrow();
    expect(() => assertAccountNameDistinct('ose', ['ose'])).not.toThrow();
    expect(() => assertAccountNameDistinct('ose', [])).not.toThrow();
  });
});

describe('Windows device names', () => {
  it.each(['con', 'aux', 'nul', 'prn', 'com1', 'com9', 'lpt1', 'lpt9'])('refuses %j as a design name, an owner and an account name', (word) => {
    expect(checkNameSegment(word, 'name')).toBe(`name "${word}" is a device name reserved by Windows`);
    expect(checkNameSegment(word, 'account name')).toBe(`account name "${word}" is a device name reserved by Windows`);
    const e = refusal(() => parsePackageName(`ose/${word}`));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe(`invalid package name "ose/${word}": name "${word}" is a device name reserved by Windows`);
    expect(refusal(() => parsePackageName(`${word}/lamp`)).message).toContain(`owner "${word}" is a device name reserved by Windows`);
  });

  it('accepts names that only start with one (console, aux-board, com10, lpt)', () => {
    for (const ok of ['console', 'aux-board', 'com10', 'com0', 'lpt', 'nullable', 'icon']) expect(checkNameSegment(ok, 'name'), ok).toBeNull();
  });
});
