/** What a licence expression means for users: family, derivatives, fork licensing, OSHWA. Pure. */
import { ALLOWED, LICENSE_DATA, familyOfId, isNoDerivatives, isReciprocalId, type LicenseFamily, type LicenseRole } from './data.ts';
import { effective, parse, type Node } from './parse.ts';

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
