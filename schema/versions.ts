/**
 * The version of a published design (SPEC §1 "Version"): a Semantic Versioning 2.0 version, as
 * written (no `v` prefix, no leading `=` or spaces), at most {@link VERSION_MAX_LENGTH} characters.
 * The length bound keeps tag names, URLs and index lines short; no real version comes near it
 * (`2.0.0-rc.1` is 10). Pure.
 */
import semver from 'semver';
import { OhwError } from './errors.ts';

export const VERSION_MAX_LENGTH = 64;

/** Longest version echoed back in a refusal. */
const MAX_ECHO = 80;
const quote = (s: string): string => JSON.stringify(s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s);

/** null when `v` is a publishable version, else the reason (which quotes at most the start of `v`). */
export function checkVersion(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return 'a version is required, such as 1.2.0';
  if (v.length > VERSION_MAX_LENGTH) {
    return `version ${quote(v)} is ${v.length} characters long; the limit is ${VERSION_MAX_LENGTH}`;
  }
  if (semver.valid(v) === null || semver.clean(v) !== v) {
    return `invalid version ${quote(v)}: expected semver 2.0 such as 1.2.0 or 2.0.0-rc.1`;
  }
  return null;
}

/** Returns `v` when publishable; throws OhwError('INVALID_REQUEST') with the reason otherwise. */
export function parseVersion(v: unknown): string {
  const reason = checkVersion(v);
  if (reason !== null) throw new OhwError('INVALID_REQUEST', reason, { details: { field: 'version', limit: VERSION_MAX_LENGTH } });
  return v as string;
}
