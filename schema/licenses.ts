/**
 * Licence rules (SPEC §2 "Licences"): SPDX expression checking per role, OSHWA compatibility,
 * reciprocity families, derivative and fork rules. Pure: no I/O. The policy (allowlists, families,
 * reasons, deprecated replacements, fork rules) lives in `licenses.data.json`; this file is the
 * machinery that applies it.
 *
 * Decisions, documented once:
 * - **Case.** SPDX ids match case-insensitively but are written canonically. A wrongly cased id
 *   (`cern-ohl-s-2.0`) is *accepted* with a warning `spdx-case` naming the canonical form, and every
 *   function here works on the canonical id. `canonicalLicenseExpression()` gives the fixed text.
 *   Operators may be `AND` or `and` (SPDX); mixed case (`And`) gets the same warning.
 * - **Identity findings** (`spdx-syntax`, `spdx-unknown`, `spdx-deprecated`, `spdx-case`) are always
 *   reported, even inside an `OR` option the user could avoid: the text is wrong either way.
 *   **Policy findings** (`license-nc`, `license-nd`, `license-not-open`, `license-ref`, `license-none`)
 *   follow the expression: with `OR` one acceptable option is enough (and the cleanest acceptable
 *   option's warnings are the ones reported); with `AND` every part must be acceptable.
 * - **Software** is not covered by the OSHWA allowlist rule of SPEC §2: `NONE` is accepted, and
 *   NonCommercial / NoDerivatives / not-on-the-open-source-list licences are *warnings* (same codes),
 *   so reviewers see them without blocking publish.
 * - `WITH <exception>` only adds permissions (SPDX exceptions are all additional permissions), so the
 *   base licence decides acceptance and family; the exception is checked to exist.
 * - `X+` ("this version or later") is judged as `X`.
 * - Deprecated ids are refused (`spdx-deprecated`), but the semantic helpers (`licenseFamily`,
 *   `allowsDerivatives`, `forkLicenseAllowed`) read them as their first replacement so that old
 *   upstream records still answer sensibly.
 */
import parseSpdx from 'spdx-expression-parse';
import spdxIdList from 'spdx-license-ids/index.json' with { type: 'json' };
import spdxDeprecatedList from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import spdxExceptionList from 'spdx-exceptions/index.json' with { type: 'json' };
import spdxDeprecatedExceptionList from 'spdx-exceptions/deprecated.json' with { type: 'json' };
import { distance } from 'fastest-levenshtein';
import rawData from './licenses.data.json' with { type: 'json' };

// ───────────────────────────────────────────────────────────────────────────── public types

export type LicenseRole = 'hardware' | 'documentation' | 'software';
export interface LicenseFinding { code: string; message: string; severity: 'error' | 'warning' }
export type LicenseFamily = 'public-domain' | 'permissive' | 'weakly-reciprocal' | 'strongly-reciprocal' | 'unknown';

/** Every finding code `checkLicense` can return, with its severity. */
export const LICENSE_FINDING_CODES = {
  /** The expression cannot be read (bad character, missing operator, unbalanced parenthesis…). */
  'spdx-syntax': 'error',
  /** Not an SPDX licence or exception id; the message suggests the closest id. */
  'spdx-unknown': 'error',
  /** Deprecated SPDX id; the message names the replacement. */
  'spdx-deprecated': 'error',
  /** Right id, wrong case: accepted, the message names the canonical spelling. */
  'spdx-case': 'warning',
  /** NonCommercial licence: error for hardware/documentation, warning for software. */
  'license-nc': 'error',
  /** NoDerivatives licence: error for hardware/documentation, warning for software. */
  'license-nd': 'error',
  /** Valid SPDX id not on the role's allowlist: error for hardware/documentation, warning for software. */
  'license-not-open': 'error',
  /** `LicenseRef-*`: accepted, flagged for reviewer attention. */
  'license-ref': 'warning',
  /** `NONE` used for hardware or documentation. */
  'license-none': 'error',
  /** `NOASSERTION` (any role). */
  'license-noassertion': 'error',
} as const satisfies Record<string, 'error' | 'warning'>;
export type LicenseFindingCode = keyof typeof LICENSE_FINDING_CODES;

/** Shape of `licenses.data.json`. */
export interface LicenseData {
  $comment: string | string[];
  version: string;
  reasons: {
    nonCommercial: string; noDerivatives: string; notOpen: string; notOpenSoftware: string;
    licenseRef: string; none: string; noassertion: string; softwareNote: string;
  };
  restrictions: {
    nonCommercial: { pattern: string; ids: string[] };
    noDerivatives: { pattern: string; ids: string[] };
    shareAlike: { pattern: string };
  };
  notOpen: Record<string, string>;
  allowlist: Record<LicenseRole, string[]>;
  families: Record<Exclude<LicenseFamily, 'unknown'>, string[]>;
  deprecatedReplacements: Record<string, string[]>;
  forkRules: Record<string, string[]>;
}

/** The policy data, as loaded (read-only by convention). */
export const LICENSE_DATA: LicenseData = rawData as LicenseData;

// ───────────────────────────────────────────────────────────────────────────── id tables

const LICENSE_IDS: readonly string[] = spdxIdList as string[];
const DEPRECATED_IDS: readonly string[] = spdxDeprecatedList as string[];
const EXCEPTION_IDS: readonly string[] = spdxExceptionList as string[];
const DEPRECATED_EXCEPTION_IDS: readonly string[] = spdxDeprecatedExceptionList as string[];

interface IdEntry { id: string; deprecated: boolean }
const lowerMap = (current: readonly string[], deprecated: readonly string[]): Map<string, IdEntry> => {
  const m = new Map<string, IdEntry>();
  for (const id of deprecated) m.set(id.toLowerCase(), { id, deprecated: true });
  for (const id of current) m.set(id.toLowerCase(), { id, deprecated: false });
  return m;
};
const LICENSE_BY_LOWER = lowerMap(LICENSE_IDS, DEPRECATED_IDS);
const EXCEPTION_BY_LOWER = lowerMap(EXCEPTION_IDS, DEPRECATED_EXCEPTION_IDS);

const FAMILY_OF = new Map<string, Exclude<LicenseFamily, 'unknown'>>();
for (const [family, ids] of Object.entries(LICENSE_DATA.families) as [Exclude<LicenseFamily, 'unknown'>, string[]][]) {
  for (const id of ids) FAMILY_OF.set(id, family);
}
const ALLOWED: Record<LicenseRole, ReadonlySet<string>> = {
  hardware: new Set(LICENSE_DATA.allowlist.hardware),
  documentation: new Set(LICENSE_DATA.allowlist.documentation),
  software: new Set(LICENSE_DATA.allowlist.software),
};
const NC_RE = new RegExp(LICENSE_DATA.restrictions.nonCommercial.pattern);
const ND_RE = new RegExp(LICENSE_DATA.restrictions.noDerivatives.pattern);
const SA_RE = new RegExp(LICENSE_DATA.restrictions.shareAlike.pattern);
const NC_IDS = new Set(LICENSE_DATA.restrictions.nonCommercial.ids);
const ND_IDS = new Set(LICENSE_DATA.restrictions.noDerivatives.ids);

const isNonCommercial = (id: string): boolean => NC_RE.test(id) || NC_IDS.has(id);
const isNoDerivatives = (id: string): boolean => ND_RE.test(id) || ND_IDS.has(id);
const familyOfId = (id: string): LicenseFamily => FAMILY_OF.get(id) ?? 'unknown';
const isReciprocalId = (id: string): boolean => {
  const f = familyOfId(id);
  return f === 'weakly-reciprocal' || f === 'strongly-reciprocal' || SA_RE.test(id) || id in LICENSE_DATA.forkRules;
};

// ───────────────────────────────────────────────────────────────────────────── suggestions

const normKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Alphabetic family prefix: letters before the first digit (`CERN-OHL-S-2.0` → `cernohls`, `GPL3` → `gpl`). */
const familyKey = (s: string): string => (/^[^0-9]*/.exec(s)?.[0] ?? '').toLowerCase().replace(/[^a-z]/g, '');
/** The first version number (`CERN-OHL-S-2.0` → [2, 0], `GPL3` → [3], `CC-BY-SA` → []). */
const versionOf = (s: string): number[] => {
  const m = /^[^0-9]*([0-9]+(?:\.[0-9]+)*)/.exec(s);
  return m?.[1] ? m[1].split('.').map(Number) : [];
};
const compareVersions = (a: number[], b: number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};
const RECIPROCITY_RANK: Record<LicenseFamily, number> = {
  'strongly-reciprocal': 0, 'weakly-reciprocal': 1, permissive: 2, 'public-domain': 3, unknown: 4,
};

/**
 * Closest current (non-deprecated) SPDX ids to a mistyped one, best first. Ranking, in order:
 * 1. shares the alphabetic family prefix (`CERN-OHL-2` ~ `CERN-OHL-*`, `GPLv3` ~ `GPL-*`);
 * 2. same version as typed (`2` matches `2.0`, `2.1`); ignored when no version was typed;
 * 3. exactly the same family (`CC-BY-SA` prefers `CC-BY-SA-*` over `CC-BY-*`);
 * 4. Levenshtein distance (fastest-levenshtein) on the lowercased alphanumerics;
 * 5. the more reciprocal licence: a suggestion must not quietly give away more than the author
 *    may have meant (`CERN-OHL-2` → `CERN-OHL-S-2.0`, not `-P-`); they can relax it knowingly;
 * 6. the newest version; 7. alphabetical.
 * Ids with no family relation are only offered when they are within a third of the length.
 */
export function suggestLicenseIds(input: string, max = 3, pool: readonly string[] = LICENSE_IDS): string[] {
  const qKey = normKey(input);
  if (!qKey) return [];
  const qFam = familyKey(input);
  const qVer = versionOf(input);
  const ranked = pool.map((id) => {
    const cFam = familyKey(id);
    const related = qFam.length >= 2 && cFam.length >= 2 && (cFam.startsWith(qFam) || qFam.startsWith(cFam));
    const cVer = versionOf(id);
    const versionMiss = qVer.length > 0 && !qVer.every((n, i) => cVer[i] === n);
    return {
      id,
      keys: [related ? 0 : 1, versionMiss ? 1 : 0, cFam === qFam ? 0 : 1, distance(qKey, normKey(id)), RECIPROCITY_RANK[familyOfId(id)]],
      related,
      ver: cVer,
    };
  }).filter((c) => c.related || (c.keys[3] ?? Infinity) <= Math.max(1, Math.floor(qKey.length / 3)));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const d = (a.keys[i] ?? 0) - (b.keys[i] ?? 0);
      if (d !== 0) return d;
    }
    return compareVersions(b.ver, a.ver) || a.id.localeCompare(b.id);
  });
  return ranked.slice(0, max).map((c) => c.id);
}

/** `CERN-OHL-S-2.0`, or `GPL-3.0-only or GPL-3.0-or-later` when the best guess has an -or-later twin. */
function didYouMean(input: string, pool: readonly string[] = LICENSE_IDS): string | undefined {
  const best = suggestLicenseIds(input, 1, pool)[0];
  if (!best) return undefined;
  const twin = best.endsWith('-only') ? `${best.slice(0, -'-only'.length)}-or-later` : undefined;
  return twin && pool.includes(twin) ? `${best} or ${twin}` : best;
}

// ───────────────────────────────────────────────────────────────────────────── parsing

interface Leaf {
  /** As written. */
  raw: string;
  column: number;
  kind: 'license' | 'ref' | 'unknown';
  /** Canonical spelling (for `license` and `ref`). */
  id?: string;
  deprecated: boolean;
  plus: boolean;
  exception?: { raw: string; id?: string; deprecated: boolean };
}
type Node =
  | { type: 'leaf'; leaf: Leaf }
  | { type: 'and'; left: Node; right: Node }
  | { type: 'or'; left: Node; right: Node };

interface Parsed {
  /** 'none' / 'noassertion' for the special values; 'expr' otherwise. */
  kind: 'expr' | 'none' | 'noassertion';
  /** Set when the expression cannot be read at all. */
  syntax?: LicenseFinding;
  tree?: Node;
  leaves: Leaf[];
  /** Identity findings: unknown, deprecated, case. */
  identity: LicenseFinding[];
  canonical?: string;
}

interface Token { kind: 'lparen' | 'rparen' | 'plus' | 'op' | 'word'; text: string; column: number }

const finding = (code: LicenseFindingCode, message: string, severity: 'error' | 'warning' = LICENSE_FINDING_CODES[code]): LicenseFinding =>
  ({ code, message, severity });
const syntaxError = (message: string): LicenseFinding => finding('spdx-syntax', `invalid SPDX expression: ${message}`);

class SyntaxFailure extends Error {}

function tokenize(expr: string, identity: LicenseFinding[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i] as string;
    const column = i + 1;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '(') { tokens.push({ kind: 'lparen', text: ch, column }); i++; continue; }
    if (ch === ')') { tokens.push({ kind: 'rparen', text: ch, column }); i++; continue; }
    if (ch === '+') { tokens.push({ kind: 'plus', text: ch, column }); i++; continue; }
    const word = /^[A-Za-z0-9.-]+/.exec(expr.slice(i))?.[0];
    if (word) {
      let text = word;
      i += word.length;
      // DocumentRef-x:LicenseRef-y is one licence reference.
      if (/^DocumentRef-/i.test(word) && expr[i] === ':') {
        const rest = /^[A-Za-z0-9.-]+/.exec(expr.slice(i + 1))?.[0];
        if (!rest) throw new SyntaxFailure(`expected "LicenseRef-…" after "${word}:" at column ${i + 2}`);
        text = `${word}:${rest}`;
        i += 1 + rest.length;
      }
      const upper = text.toUpperCase();
      if (upper === 'AND' || upper === 'OR' || upper === 'WITH') {
        if (text !== upper && text !== text.toLowerCase()) {
          identity.push(finding('spdx-case', `operator "${text}" should be written "${upper}"`));
        }
        tokens.push({ kind: 'op', text: upper, column });
      } else {
        tokens.push({ kind: 'word', text, column });
      }
      continue;
    }
    const hint = ch === '/' || ch === ',' || ch === '|' ? ' — write OR for a choice of licences, AND when all apply'
      : ch === '&' ? ' — write AND when all licences apply' : '';
    throw new SyntaxFailure(`unexpected character "${ch}" at column ${column}${hint}`);
  }
  return tokens;
}

const isRefWord = (w: string): boolean => /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/i.test(w);

/** Grammar check over the tokens (clear messages), collecting leaves; returns the skeleton for spdx-expression-parse. */
function structure(tokens: Token[], leaves: Leaf[]): string {
  if (tokens.length === 0) throw new SyntaxFailure('the licence expression is empty');
  const parts: string[] = [];
  let depth = 0;
  let expectOperand = true;
  let prev: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (expectOperand) {
      if (t.kind === 'lparen') { depth++; parts.push('('); prev = t; continue; }
      if (t.kind === 'word') {
        const leaf: Leaf = { raw: t.text, column: t.column, kind: 'unknown', deprecated: false, plus: false };
        let next = tokens[i + 1];
        if (next?.kind === 'plus') {
          if (next.column !== t.column + t.text.length) throw new SyntaxFailure(`no space is allowed before "+" at column ${next.column}`);
          if (isRefWord(t.text)) throw new SyntaxFailure(`"+" applies to SPDX licence ids, not to "${t.text}"`);
          leaf.plus = true;
          i++;
          next = tokens[i + 1];
        }
        if (next?.kind === 'op' && next.text === 'WITH') {
          const exc = tokens[i + 2];
          if (exc?.kind !== 'word') throw new SyntaxFailure(`"WITH" at column ${next.column} must be followed by a licence exception id`);
          leaf.exception = { raw: exc.text, deprecated: false };
          i += 2;
        }
        leaves.push(leaf);
        parts.push(`LicenseRef-leaf${leaves.length - 1}`);
        expectOperand = false;
        prev = tokens[i];
        continue;
      }
      const after = prev ? `after "${prev.text}"` : 'at the start';
      if (t.kind === 'rparen') throw new SyntaxFailure(`expected a licence ${after}, found ")" at column ${t.column}`);
      if (t.kind === 'plus') throw new SyntaxFailure(`"+" at column ${t.column} must directly follow a licence id`);
      throw new SyntaxFailure(`expected a licence ${after}, found "${t.text}" at column ${t.column}`);
    }
    // After an operand.
    if (t.kind === 'op' && (t.text === 'AND' || t.text === 'OR')) { parts.push(` ${t.text} `); expectOperand = true; prev = t; continue; }
    if (t.kind === 'rparen') {
      if (depth === 0) throw new SyntaxFailure(`unbalanced ")" at column ${t.column}`);
      depth--; parts.push(')'); prev = t; continue;
    }
    if (t.kind === 'op') throw new SyntaxFailure(`"WITH" at column ${t.column} must follow a single licence id`);
    if (t.kind === 'plus') throw new SyntaxFailure(`"+" at column ${t.column} must directly follow a licence id`);
    if (t.kind === 'word') {
      const last = leaves[leaves.length - 1];
      let hint = '';
      if (last && !LICENSE_BY_LOWER.has(last.raw.toLowerCase()) && prev?.kind === 'word') {
        const guess = didYouMean(`${last.raw}-${t.text}`);
        if (guess) hint = ` (did you mean ${guess}?)`;
      }
      if (last && LICENSE_BY_LOWER.has(last.raw.toLowerCase()) && /^licen[cs]e$/i.test(t.text)) hint = ` (write just "${last.raw}")`;
      throw new SyntaxFailure(`missing operator between "${prev?.text ?? ''}" and "${t.text}" at column ${t.column} — use AND or OR${hint}`);
    }
    throw new SyntaxFailure(`missing operator before "(" at column ${t.column} — use AND or OR`);
  }
  if (expectOperand) throw new SyntaxFailure(`the expression ends after "${prev?.text ?? ''}"; a licence is missing`);
  if (depth > 0) throw new SyntaxFailure(`missing ")" (${depth} unclosed "(")`);
  return parts.join('');
}

function resolveLeaf(leaf: Leaf, identity: LicenseFinding[]): void {
  if (isRefWord(leaf.raw)) {
    leaf.kind = 'ref';
    const m = /^(?:(DocumentRef-)([^:]+):)?(LicenseRef-)(.*)$/i.exec(leaf.raw);
    leaf.id = m?.[1] ? `DocumentRef-${m[2]}:LicenseRef-${m[4]}` : `LicenseRef-${m?.[4] ?? ''}`;
    if (leaf.id !== leaf.raw) identity.push(finding('spdx-case', `licence reference "${leaf.raw}" should be written "${leaf.id}"`));
  } else {
    const entry = LICENSE_BY_LOWER.get(leaf.raw.toLowerCase());
    if (!entry) {
      leaf.kind = 'unknown';
      const guess = didYouMean(leaf.raw);
      identity.push(finding('spdx-unknown', `unknown SPDX id "${leaf.raw}"${guess ? ` (did you mean ${guess}?)` : ' (not on the SPDX licence list; use LicenseRef-<name> for a custom licence)'}`));
    } else {
      leaf.kind = 'license';
      leaf.id = entry.id;
      leaf.deprecated = entry.deprecated;
      if (entry.deprecated) identity.push(finding('spdx-deprecated', deprecatedMessage(entry.id, leaf.plus)));
      else if (entry.id !== leaf.raw) identity.push(finding('spdx-case', `SPDX id "${leaf.raw}" should be written "${entry.id}"`));
    }
  }
  if (leaf.exception) {
    const exc = leaf.exception;
    const entry = EXCEPTION_BY_LOWER.get(exc.raw.toLowerCase());
    if (!entry) {
      const guess = suggestLicenseIds(exc.raw, 1, EXCEPTION_IDS)[0];
      identity.push(finding('spdx-unknown', `unknown SPDX licence exception "${exc.raw}"${guess ? ` (did you mean ${guess}?)` : ''}`));
    } else {
      exc.id = entry.id;
      exc.deprecated = entry.deprecated;
      if (entry.deprecated) identity.push(finding('spdx-deprecated', `deprecated SPDX licence exception "${entry.id}" — see https://spdx.org/licenses/exceptions-index.html`));
      else if (entry.id !== exc.raw) identity.push(finding('spdx-case', `SPDX exception "${exc.raw}" should be written "${entry.id}"`));
    }
  }
}

function deprecatedMessage(id: string, plus: boolean): string {
  let replacements = LICENSE_DATA.deprecatedReplacements[id];
  if (!replacements || replacements.length === 0) {
    return `deprecated SPDX id "${id}" — use its current identifier from https://spdx.org/licenses/`;
  }
  if (plus) {
    const later = replacements.filter((r) => r.endsWith('-or-later'));
    if (later.length > 0) replacements = later;
  }
  return `deprecated SPDX id "${id}${plus ? '+' : ''}" — use ${replacements.map((r) => `"${r}"`).join(' or ')}`;
}

type SpdxInfo = parseSpdx.Info;
function toNode(info: SpdxInfo, leaves: Leaf[]): Node {
  if ('conjunction' in info) {
    const left = toNode(info.left, leaves);
    const right = toNode(info.right, leaves);
    return info.conjunction === 'and' ? { type: 'and', left, right } : { type: 'or', left, right };
  }
  const index = Number(/^LicenseRef-leaf(\d+)$/.exec(info.license)?.[1]);
  const leaf = leaves[index];
  if (!leaf) throw new Error(`internal: unmapped leaf ${info.license}`);
  return { type: 'leaf', leaf };
}

function render(node: Node, parentType?: 'and' | 'or'): string {
  if (node.type === 'leaf') {
    const l = node.leaf;
    return `${l.id ?? l.raw}${l.plus ? '+' : ''}${l.exception ? ` WITH ${l.exception.id ?? l.exception.raw}` : ''}`;
  }
  const s = `${render(node.left, node.type)} ${node.type.toUpperCase()} ${render(node.right, node.type)}`;
  // AND binds tighter than OR: only an OR inside an AND needs parentheses.
  return parentType === 'and' && node.type === 'or' ? `(${s})` : s;
}

const cache = new Map<string, Parsed>();
function parse(expr: string): Parsed {
  const hit = cache.get(expr);
  if (hit) return hit;
  const result = parseUncached(expr);
  if (cache.size > 1000) cache.clear();
  cache.set(expr, result);
  return result;
}

function parseUncached(expr: string): Parsed {
  const identity: LicenseFinding[] = [];
  const trimmed = typeof expr === 'string' ? expr.trim() : '';
  for (const special of ['NONE', 'NOASSERTION'] as const) {
    if (trimmed.toUpperCase() === special) {
      if (trimmed !== special) identity.push(finding('spdx-case', `"${trimmed}" should be written "${special}"`));
      return { kind: special === 'NONE' ? 'none' : 'noassertion', leaves: [], identity, canonical: special };
    }
  }
  const leaves: Leaf[] = [];
  try {
    if (typeof expr !== 'string') throw new SyntaxFailure('the licence must be a string');
    const skeleton = structure(tokenize(expr, identity), leaves);
    for (const leaf of leaves) {
      const upper = leaf.raw.toUpperCase();
      if (upper === 'NONE' || upper === 'NOASSERTION') throw new SyntaxFailure(`"${upper}" cannot be combined with other licences`);
    }
    let info: SpdxInfo;
    try {
      info = parseSpdx(skeleton);
    } catch (e) {
      throw new SyntaxFailure((e as Error).message || 'cannot be parsed');
    }
    for (const leaf of leaves) resolveLeaf(leaf, identity);
    const tree = toNode(info, leaves);
    const readable = leaves.every((l) => l.kind !== 'unknown' && (!l.exception || l.exception.id));
    return { kind: 'expr', tree, leaves, identity: dedupe(identity), ...(readable ? { canonical: render(tree) } : {}) };
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    return { kind: 'expr', syntax: syntaxError(e.message), leaves: [], identity: [] };
  }
}

function dedupe(findings: LicenseFinding[]): LicenseFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Deprecated ids read as their first replacement (a single licence, possibly WITH an exception). */
function effective(leaf: Leaf): { id?: string; exception?: string } {
  if (leaf.kind !== 'license' || !leaf.id) return leaf.kind === 'ref' ? { id: leaf.id } : {};
  if (!leaf.deprecated) return { id: leaf.id, ...(leaf.exception?.id ? { exception: leaf.exception.id } : {}) };
  const replacement = LICENSE_DATA.deprecatedReplacements[leaf.id]?.[0];
  if (!replacement) return {};
  const p = parse(replacement);
  const r = p.tree?.type === 'leaf' ? p.tree.leaf : undefined;
  return r?.id ? { id: r.id, ...(r.exception?.id ? { exception: r.exception.id } : {}) } : {};
}

// ───────────────────────────────────────────────────────────────────────────── checkLicense

interface Verdict { ok: boolean; findings: LicenseFinding[] }

function leafPolicy(leaf: Leaf, role: LicenseRole): Verdict {
  if (leaf.kind === 'unknown' || leaf.deprecated || (leaf.exception && (!leaf.exception.id || leaf.exception.deprecated))) {
    return { ok: false, findings: [] }; // already reported as an identity finding
  }
  const id = leaf.id as string;
  const soft = role === 'software';
  const sev: 'error' | 'warning' = soft ? 'warning' : 'error';
  const note = soft ? `; ${LICENSE_DATA.reasons.softwareNote}` : '';
  const r = LICENSE_DATA.reasons;
  if (leaf.kind === 'ref') {
    return { ok: true, findings: [finding('license-ref', `${role} licence "${id}" ${r.licenseRef}`)] };
  }
  const findings: LicenseFinding[] = [];
  if (isNonCommercial(id)) findings.push(finding('license-nc', `${role} licence "${id}" ${r.nonCommercial}${note}`, sev));
  if (isNoDerivatives(id)) findings.push(finding('license-nd', `${role} licence "${id}" ${r.noDerivatives}${note}`, sev));
  if (findings.length === 0 && !ALLOWED[role].has(id)) {
    const specific = LICENSE_DATA.notOpen[id];
    const reason = specific ? `is not open — ${specific}` : (soft ? r.notOpenSoftware : r.notOpen).replace('{role}', role);
    findings.push(finding('license-not-open', `${role} licence "${id}" ${reason}${note}`, sev));
  }
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

function evaluate(node: Node, role: LicenseRole): Verdict {
  if (node.type === 'leaf') return leafPolicy(node.leaf, role);
  const l = evaluate(node.left, role);
  const r = evaluate(node.right, role);
  if (node.type === 'and') return { ok: l.ok && r.ok, findings: [...l.findings, ...r.findings] };
  const acceptable = [l, r].filter((v) => v.ok).sort((a, b) => a.findings.length - b.findings.length);
  return acceptable[0] ?? { ok: false, findings: [...l.findings, ...r.findings] };
}

/** [] when the expression is fine for that role. software accepts the literal 'NONE'. */
export function checkLicense(expr: string, role: LicenseRole): LicenseFinding[] {
  const p = parse(expr);
  if (p.syntax) return [p.syntax];
  if (p.kind === 'none') {
    return role === 'software' ? p.identity : [...p.identity, finding('license-none', LICENSE_DATA.reasons.none.replace('{role}', role))];
  }
  if (p.kind === 'noassertion') return [...p.identity, finding('license-noassertion', LICENSE_DATA.reasons.noassertion.replace('{role}', role))];
  const policy = evaluate(p.tree as Node, role);
  return dedupe([...p.identity, ...policy.findings]);
}

// ───────────────────────────────────────────────────────────────────────────── queries

/** SPDX ids (and LicenseRef-*) appearing in an expression; [] for NONE or unparsable. */
export function licenseIds(expr: string): string[] {
  const p = parse(expr);
  if (p.syntax || p.kind !== 'expr' || p.leaves.some((l) => l.kind === 'unknown')) return [];
  return [...new Set(p.leaves.map((l) => l.id as string))];
}

/**
 * The expression in canonical form (canonical id case, upper-case operators, minimal parentheses),
 * or null when it has a syntax error or an unknown id. Deprecated ids are kept as written.
 */
export function canonicalLicenseExpression(expr: string): string | null {
  const p = parse(expr);
  return p.syntax ? null : p.canonical ?? null;
}

const FAMILY_ORDER: readonly LicenseFamily[] = ['public-domain', 'permissive', 'weakly-reciprocal', 'strongly-reciprocal'];

/**
 * For an expression: with OR the most permissive option counts (the user may choose); with AND the
 * most reciprocal. Unknown parts: an OR ignores them while another option is known; an AND with an
 * unknown part is unknown (it might be the most reciprocal). NONE, NOASSERTION, LicenseRef-* and
 * unreadable expressions are 'unknown'.
 */
export function licenseFamily(expr: string): LicenseFamily {
  const p = parse(expr);
  if (p.syntax || !p.tree) return 'unknown';
  const walk = (n: Node): LicenseFamily => {
    if (n.type === 'leaf') {
      const id = effective(n.leaf).id;
      return id ? familyOfId(id) : 'unknown';
    }
    const a = walk(n.left);
    const b = walk(n.right);
    if (n.type === 'or') {
      if (a === 'unknown') return b;
      if (b === 'unknown') return a;
      return FAMILY_ORDER.indexOf(a) <= FAMILY_ORDER.indexOf(b) ? a : b;
    }
    if (a === 'unknown' || b === 'unknown') return 'unknown';
    return FAMILY_ORDER.indexOf(a) >= FAMILY_ORDER.indexOf(b) ? a : b;
  };
  return walk(p.tree);
}

const quoteList = (ids: string[]): string => ids.map((i) => `"${i}"`).join(' and ');

/**
 * Whether derivatives (forks) are allowed: false for any -ND- option that cannot be avoided.
 * NONE allows them (nothing is licensed); NOASSERTION and unreadable expressions do not (nothing
 * is granted that we can read), with the reason.
 */
export function allowsDerivatives(expr: string): { ok: boolean; reason?: string } {
  const p = parse(expr);
  if (p.syntax) return { ok: false, reason: `cannot read licence "${expr}": ${p.syntax.message}` };
  if (p.kind === 'none') return { ok: true };
  if (p.kind === 'noassertion') return { ok: false, reason: 'no licence is asserted (NOASSERTION), so no derivative works are granted' };
  const walk = (n: Node): { ok: boolean; nd: string[] } => {
    if (n.type === 'leaf') {
      const id = effective(n.leaf).id;
      return id && isNoDerivatives(id) ? { ok: false, nd: [id] } : { ok: true, nd: [] };
    }
    const a = walk(n.left);
    const b = walk(n.right);
    if (n.type === 'or') return a.ok || b.ok ? { ok: true, nd: [] } : { ok: false, nd: [...a.nd, ...b.nd] };
    return { ok: a.ok && b.ok, nd: [...a.nd, ...b.nd] };
  };
  const v = walk(p.tree as Node);
  return v.ok ? { ok: true } : { ok: false, reason: `${quoteList([...new Set(v.nd)])} ${LICENSE_DATA.reasons.noDerivatives}` };
}

/** Licences a fork of an upstream licensed `id` must keep one of; undefined when any licence will do. */
export function forkLicensesFor(id: string): string[] | undefined {
  const rule = LICENSE_DATA.forkRules[id];
  if (rule) return rule;
  return isReciprocalId(id) ? [id] : undefined;
}

const joinOr = (ids: readonly string[]): string =>
  ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} or ${ids[ids.length - 1]}`;

/**
 * Fork licensing (issue: a share-alike upstream forces the fork to keep a compatible licence).
 * ok=false with a reason naming both licences when the fork's licence is not allowed.
 *
 * Semantics: an upstream OR needs one option satisfied (the forker chooses); an upstream AND needs
 * every part. A share-alike (reciprocal) upstream licence U is kept by a fork expression when: a
 * fork leaf is on U's fork rule (and adds no exception U did not have); a fork AND keeps U when any
 * part does (the fork may add licences for its own work); a fork OR only when every option does
 * (otherwise users of the fork could take the upstream work under a non-compatible licence).
 * Permissive, public-domain, LicenseRef and unknown-family upstreams allow any fork licence; whether
 * the fork's own licence is open enough for its role is checkLicense's job.
 */
export function forkLicenseAllowed(upstream: string, fork: string): { ok: boolean; reason?: string } {
  const up = parse(upstream);
  const fk = parse(fork);
  if (up.syntax) return { ok: false, reason: `upstream licence "${upstream}" cannot be read (${up.syntax.message}), so fork licence "${fork}" cannot be checked` };
  if (fk.syntax) return { ok: false, reason: `fork licence "${fork}" cannot be read (${fk.syntax.message}); upstream licence is "${upstream}"` };
  const nd = allowsDerivatives(upstream);
  if (!nd.ok) return { ok: false, reason: `upstream licence "${upstream}" does not allow a fork (fork licence "${fork}"): ${nd.reason ?? ''}` };
  if (!up.tree) return { ok: true }; // NONE upstream: nothing to keep

  const keeps = (f: Node | undefined, allowed: readonly string[], upException?: string): boolean => {
    if (!f) return false; // NONE / NOASSERTION fork keeps nothing
    if (f.type === 'or') return keeps(f.left, allowed, upException) && keeps(f.right, allowed, upException);
    if (f.type === 'and') return keeps(f.left, allowed, upException) || keeps(f.right, allowed, upException);
    const e = effective(f.leaf);
    return !!e.id && allowed.includes(e.id) && (!e.exception || e.exception === upException);
  };
  let firstFailure: { id: string; allowed: string[] } | undefined;
  const satisfied = (u: Node): boolean => {
    if (u.type === 'or') return satisfied(u.left) || satisfied(u.right);
    if (u.type === 'and') return satisfied(u.left) && satisfied(u.right);
    const e = effective(u.leaf);
    const allowed = e.id ? forkLicensesFor(e.id) : undefined;
    if (!allowed || !e.id) return true;
    if (keeps(fk.tree, allowed, e.exception)) return true;
    firstFailure ??= { id: e.id, allowed };
    return false;
  };
  if (satisfied(up.tree)) return { ok: true };
  const f = firstFailure as { id: string; allowed: string[] };
  return {
    ok: false,
    reason: `fork licence "${fork}" is not allowed by upstream licence "${upstream}": ${f.id} is share-alike, so a fork must keep ${joinOr(f.allowed)}`,
  };
}

/** OSHWA-compatibility for hardware/documentation: true when every unavoidable id is on the allowlist. */
export function isOshwaCompatible(expr: string, role: LicenseRole): boolean {
  const p = parse(expr);
  if (p.syntax || p.kind === 'noassertion') return false;
  if (p.kind === 'none') return role === 'software';
  const walk = (n: Node): boolean => {
    if (n.type === 'or') return walk(n.left) || walk(n.right);
    if (n.type === 'and') return walk(n.left) && walk(n.right);
    const l = n.leaf;
    const exceptionOk = !l.exception || (!!l.exception.id && !l.exception.deprecated);
    return l.kind === 'license' && !l.deprecated && exceptionOk && ALLOWED[role].has(l.id as string);
  };
  return walk(p.tree as Node);
}
