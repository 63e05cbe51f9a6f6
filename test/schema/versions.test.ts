import { describe, expect, it } from 'vitest';
import { VERSION_MAX_LENGTH, checkVersion, parseVersion } from '../../schema/versions.ts';
import { refusal } from '../helpers/refusal.ts';

const long = (n: number): string => `1.0.0-${'a'.repeat(n - 6)}`;

describe('versions', () => {
  it.each(['1.0.0', '0.1.0', '2.0.0-rc.1', long(64)])('accepts %j', (v) => {
    expect(checkVersion(v)).toBeNull();
    expect(parseVersion(v)).toBe(v);
  });

  it('refuses a valid semver version longer than 64 characters, without echoing it whole', () => {
    expect(VERSION_MAX_LENGTH).toBe(64);
    const e = refusal(() => parseVersion(long(65)), 'INVALID_REQUEST', /^version "1\.0\.0-a+" is 65 characters long; the limit is 64$/);
    expect(e.details).toEqual({ field: 'version', limit: 64 });
    const huge = refusal(() => parseVersion(long(10_000)), 'INVALID_REQUEST', /is 10000 characters long; the limit is 64$/);
    expect(huge.message.length).toBeLessThan(200);
  });

  it.each(['1.0', 'v1.0.0', '=1.0.0', ' 1.0.0', '01.0.0', ''])('refuses %j as not semver', (v) => {
    refusal(() => parseVersion(v), 'INVALID_REQUEST', v === '' ? /a version is required/ : /expected semver 2\.0/);
  });
});
