/**
 * Name rules (SPEC §1 "Name"): package names `owner/name`, account names, reserved words and
 * typosquatting ("too similar") detection. Pure: no I/O.
 *
 * A segment (owner, name, account name) matches `^[a-z0-9]+(-[a-z0-9]+)*$`, is 1–64 characters
 * long and is not a reserved word — nor too similar to one (`adm1n`, `ad-min`, `r00t` are refused
 * like `admin` and `root`, so nobody can pose as the registry).
 */
import semver from 'semver';
import { OhwError } from './errors.ts';
import { windowsDeviceName } from './windows-names.ts';

export const NAME_SEGMENT_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const NAME_SEGMENT_MAX_LENGTH = 64;

/**
 * Words no owner, design or account may be named (nor anything too similar to them). Why each:
 * - routes and URL space of the registry, today or likely tomorrow: api, git, new, search, login,
 *   logout, register, signup, signin, settings, static, assets, www, help, about, docs, designs,
 *   accounts, account, tokens, certifications, certificates, health, status, index (the
 *   `index.git` metadata repository);
 * - impersonation of the registry or its operators: admin, administrator, root, system, registry,
 *   ohw (the CLI), ohc (certificate UIDs `OHC-…`), official, staff, moderator, security, support,
 *   abuse, postmaster, webmaster, noreply;
 * - values that break naive code when they become a string: null, undefined, nobody, anonymous.
 */
export const RESERVED_NAMES: readonly string[] = Object.freeze([
  // routes / URL space
  'api', 'git', 'new', 'search', 'login', 'logout', 'register', 'signup', 'signin', 'settings',
  'static', 'assets', 'www', 'help', 'about', 'docs', 'designs', 'accounts', 'account', 'tokens',
  'certifications', 'certificates', 'health', 'status', 'index',
  // impersonation
  'admin', 'administrator', 'root', 'system', 'registry', 'ohw', 'ohc', 'official', 'staff',
  'moderator', 'security', 'support', 'abuse', 'postmaster', 'webmaster', 'noreply',
  // troublesome values
  'null', 'undefined', 'nobody', 'anonymous',
]);

const RESERVED_SET: ReadonlySet<string> = new Set(RESERVED_NAMES);

/** Longest name echoed back in an error message (a refusal must not mirror megabytes). */
const MAX_ECHO = 80;
const quote = (s: string): string => JSON.stringify(s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s);

/**
 * null when `seg` is a valid segment, else the reason, starting with `what` ("owner", "name",
 * "account name"), e.g. `owner must be lowercase letters, digits and single hyphens; "F" is not allowed`.
 */
export function checkNameSegment(seg: string, what: string): string | null {
  if (typeof seg !== 'string' || seg.length === 0) return `${what} must not be empty`;
  if (seg.length > NAME_SEGMENT_MAX_LENGTH) {
    return `${what} must be at most ${NAME_SEGMENT_MAX_LENGTH} characters (it has ${seg.length})`;
  }
  const bad = /^[a-z0-9-]+$/.test(seg) ? undefined : [...seg].find((c) => !/[a-z0-9-]/.test(c));
  if (bad !== undefined) {
    const which = /[A-Z]/.test(bad) ? `uppercase ${quote(bad)}` : quote(bad);
    return `${what} must be lowercase letters, digits and single hyphens; ${which} is not allowed`;
  }
  if (seg.startsWith('-') || seg.endsWith('-')) return `${what} must not start or end with a hyphen`;
  if (seg.includes('--')) return `${what} must use single hyphens only (found "--")`;
  if (RESERVED_SET.has(seg)) return `${what} ${quote(seg)} is reserved`;
  if (windowsDeviceName(seg) !== undefined) return `${what} ${quote(seg)} is a device name reserved by Windows`;
  // Keyed once: this runs on every request that names a design (measured: a third of a package read).
  const lookalike = (RESERVED_BY_KEY ??= reservedByKey()).get(similarityKey(seg))?.find((r) => areTooSimilar(seg, r));
  if (lookalike !== undefined) return `${what} ${quote(seg)} is too similar to the reserved word ${quote(lookalike)}`;
  return null;
}

/**
 * Parses and validates `owner/name`; throws OhwError('INVALID_REQUEST') with the reason, e.g.
 * `invalid package name "Foo/bar": owner must be lowercase letters, digits and single hyphens; …`.
 * Names are not lowercased here: a name with capitals is refused, so every stored name is canonical.
 */
export function parsePackageName(s: string): { owner: string; name: string; full: string } {
  if (typeof s !== 'string') throw new OhwError('INVALID_REQUEST', 'invalid package name: expected a string "owner/name"');
  const fail = (reason: string): never => {
    throw new OhwError('INVALID_REQUEST', `invalid package name ${quote(s)}: ${reason}`);
  };
  const parts = s.split('/');
  if (parts.length !== 2) fail('expected "owner/name" with exactly one "/"');
  const [owner = '', name = ''] = parts;
  const reason = checkNameSegment(owner, 'owner') ?? checkNameSegment(name, 'name');
  if (reason !== null) fail(reason);
  return { owner, name, full: `${owner}/${name}` };
}

/**
 * Parses `owner/name` or `owner/name@range` (CLI: `ohw download ose/power-cube@^1.2.0`). The range
 * is any semver range, an exact version included, returned as written. INVALID_REQUEST otherwise.
 */
export function parsePackageSpec(s: string): { pkg: string; range?: string } {
  if (typeof s !== 'string') throw new OhwError('INVALID_REQUEST', 'invalid package: expected "owner/name[@range]"');
  const at = s.indexOf('@');
  if (at < 0) return { pkg: parsePackageName(s).full };
  const pkg = parsePackageName(s.slice(0, at)).full;
  const range = s.slice(at + 1);
  if (range.trim() === '') {
    throw new OhwError('INVALID_REQUEST', `invalid package ${quote(s)}: nothing after "@"; expected a version or range such as 1.2.0 or ^1.2.0`);
  }
  if (semver.validRange(range) === null) {
    throw new OhwError('INVALID_REQUEST', `invalid version range ${quote(range)} in ${quote(s)}: expected a semver version or range such as 1.2.0, ^1.2.0 or >=1.0.0 <2.0.0`);
  }
  return { pkg, range };
}

/*
 * Typosquatting. Two names are "too similar" when they differ (after lowercasing) but have the
 * same skeleton: lowercase, every `-` dropped, `rn` read as `m`, and each confusable character
 * replaced by its class representative:
 *
 *   0 ~ o      1 ~ l ~ i      5 ~ s      rn ~ m
 *
 * `i`, `l` and `1` are one class: in many fonts (and in a URL bar) they are the same stroke, so
 * `mail` and `mall` are refused next to each other like `power-cube` and `p0wer-cube`. The
 * skeleton is an equivalence, so a caller can index existing names by `similarityKey` and look a
 * candidate up in one step. `/` is kept, so owner and name are compared as segments.
 */
const KEY_MAP: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', i: 'l', '5': 's' };

const squash = (name: string): string => name.toLowerCase().replaceAll('-', '');

/** Skeleton for typosquatting: lowercase, drop `-`, `rn`→`m`, map 0→o, 1→l, i→l, 5→s. Too-similar names share it. */
export function similarityKey(name: string): string {
  let key = '';
  for (const c of squash(name).replaceAll('rn', 'm')) key += KEY_MAP[c] ?? c;
  return key;
}

let RESERVED_BY_KEY: Map<string, string[]> | undefined;
function reservedByKey(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of RESERVED_NAMES) map.set(similarityKey(r), [...(map.get(similarityKey(r)) ?? []), r]);
  return map;
}

/** True when `a` and `b` differ (after lowercasing) only by hyphens and the confusables above. */
export function areTooSimilar(a: string, b: string): boolean {
  return a.toLowerCase() !== b.toLowerCase() && similarityKey(a) === similarityKey(b);
}

/**
 * The first of `existing` that `candidate` is too similar to, or undefined. Full `owner/name`
 * strings are compared, so `alice/power-cube` and `bob/power-cube` are distinct while
 * `0se/power-cube` squats `ose/power-cube`. The same owner is not exempt (`ose/powercube` next to
 * `ose/power-cube` confuses users just as much); the same name again is not "similar" — it is the
 * same package.
 */
export function findTooSimilar(candidate: string, existing: Iterable<string>): string | undefined {
  const key = similarityKey(candidate);
  for (const e of existing) {
    if (similarityKey(e) === key && areTooSimilar(candidate, e)) return e;
  }
  return undefined;
}

/**
 * Account names get the same look-alike check as design names: `0se` next to `ose`, `rnaker` next
 * to `maker`. For the account store, at registration, over every existing account name (pure: the
 * store passes the names in, or the ones sharing `similarityKey(name)` if it indexes them).
 * Throws OhwError('NAME_TOO_SIMILAR') naming the existing account; an exact repeat is not
 * "similar" (that is NAME_TAKEN, the store's own check).
 */
export function assertAccountNameDistinct(name: string, existing: Iterable<string>): void {
  const similar = findTooSimilar(name, existing);
  if (similar !== undefined) {
    throw new OhwError('NAME_TOO_SIMILAR', `the account name ${quote(name)} is too similar to the existing account ${quote(similar)}; choose a more distinct name`, {
      details: { similarTo: similar },
    });
  }
}
