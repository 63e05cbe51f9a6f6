/**
 * Reading an SPDX expression: a tokenizer and grammar check with clear messages, then
 * spdx-expression-parse for the tree, with every id resolved to its canonical spelling (identity
 * findings: unknown, deprecated, case). Parsed expressions are cached. Pure.
 */
import parseSpdx from 'spdx-expression-parse';
import {
  EXCEPTION_BY_LOWER, EXCEPTION_IDS, LICENSE_BY_LOWER, LICENSE_DATA, LICENSE_FINDING_CODES,
  type LicenseFinding, type LicenseFindingCode,
} from './data.ts';
import { didYouMean, suggestLicenseIds } from './suggest.ts';

/**
 * Bounds on an expression we read. A real one is a few ids (`CERN-OHL-S-2.0 OR CERN-OHL-W-2.0`);
 * the bounds keep a hostile one from costing seconds or the stack (the parser recurses per
 * operator), and match `licenseExpression`'s maxLength in design.schema.json.
 */
export const MAX_LICENSE_EXPRESSION_LENGTH = 512;
export const MAX_LICENSE_OPERATORS = 64;


export interface Leaf {
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
export type Node =
  | { type: 'leaf'; leaf: Leaf }
  | { type: 'and'; left: Node; right: Node }
  | { type: 'or'; left: Node; right: Node };

export interface Parsed {
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

export const finding = (code: LicenseFindingCode, message: string, severity: 'error' | 'warning' = LICENSE_FINDING_CODES[code]): LicenseFinding =>
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

/** The spdx-too-long finding when `expr` is over the bounds, counted without tokenizing it. */
function checkSize(expr: unknown): LicenseFinding | undefined {
  if (typeof expr !== 'string') return undefined;
  if (expr.length > MAX_LICENSE_EXPRESSION_LENGTH) {
    return finding('spdx-too-long', `the licence expression is ${expr.length} characters long; the limit is ${MAX_LICENSE_EXPRESSION_LENGTH}`);
  }
  const operators = expr.match(/(?<![A-Za-z0-9.:-])(?:and|or|with)(?![A-Za-z0-9.:-])/gi)?.length ?? 0;
  if (operators > MAX_LICENSE_OPERATORS) {
    return finding('spdx-too-long', `the licence expression has ${operators} operators (AND, OR, WITH); the limit is ${MAX_LICENSE_OPERATORS}`);
  }
  return undefined;
}

const cache = new Map<string, Parsed>();
export function parse(expr: string): Parsed {
  // Oversized input is refused at once and never becomes a cache key.
  if (typeof expr === 'string' && expr.length > MAX_LICENSE_EXPRESSION_LENGTH) return parseUncached(expr);
  const hit = cache.get(expr);
  if (hit) return hit;
  const result = parseUncached(expr);
  if (cache.size > 1000) cache.clear();
  cache.set(expr, result);
  return result;
}

function parseUncached(expr: string): Parsed {
  const tooLong = checkSize(expr);
  if (tooLong) return { kind: 'expr', syntax: tooLong, leaves: [], identity: [] };
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

export function dedupe(findings: LicenseFinding[]): LicenseFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Deprecated ids read as their first replacement (a single licence, possibly WITH an exception). */
export function effective(leaf: Leaf): { id?: string; exception?: string } {
  if (leaf.kind !== 'license' || !leaf.id) return leaf.kind === 'ref' ? { id: leaf.id } : {};
  if (!leaf.deprecated) return { id: leaf.id, ...(leaf.exception?.id ? { exception: leaf.exception.id } : {}) };
  const replacement = LICENSE_DATA.deprecatedReplacements[leaf.id]?.[0];
  if (!replacement) return {};
  const p = parse(replacement);
  const r = p.tree?.type === 'leaf' ? p.tree.leaf : undefined;
  return r?.id ? { id: r.id, ...(r.exception?.id ? { exception: r.exception.id } : {}) } : {};
}
