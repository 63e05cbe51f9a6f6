/** `checkLicense` (SPDX identity and OSHWA policy findings per role) and reading ids back. Pure. */
import { ALLOWED, LICENSE_DATA, isNoDerivatives, isNonCommercial, type LicenseFinding, type LicenseRole } from './data.ts';
import { dedupe, finding, parse, type Leaf, type Node } from './parse.ts';


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
