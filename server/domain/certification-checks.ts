import { allowsDerivatives, checkLicense, isOshwaCompatible } from '../../schema/licenses.ts';
import type { CheckResult } from '../../schema/certification/record.ts';
import type { Issue } from '../../schema/errors.ts';
import type { Manifest } from '../../schema/types.ts';

/**
 * Automatic checks run when certification is requested (SPEC §5). Pure: the service gathers the
 * inputs (validation result, file list, dependency yank state, upstream licence) and this decides.
 */
export interface CheckInputs {
  manifest: Manifest;
  issues: Issue[];
  files: string[];
  /** Direct sub-assemblies as recorded at publish time, with their current state. */
  dependencies: Array<{ package: string; version: string; exists: boolean; yanked: boolean }>;
  /** For a fork: the upstream and its licences at the fork point. */
  upstream?: { package: string; version: string; license?: { hardware: string; documentation: string } };
  /** Text of the README, to find attribution of an upstream. */
  readme?: string;
  /** Build reports of this version (issue 16): evidence for the maturity claim and the performance criteria. */
  builds?: BuildEvidence[];
}

export interface BuildEvidence {
  reporter: string;
  outcome: 'works' | 'works-with-changes' | 'failed';
  region: string;
  /** The reporter is not an owner of the design (or its upstream). */
  independent: boolean;
  /** Not superseded by a correction. */
  current: boolean;
  measurements: Record<string, number>;
}

/** Formats that are outputs of a design tool, not the preferred form for making changes. */
export const EXPORT_EXTENSIONS = new Set([
  'pdf', 'stl', '3mf', 'obj', 'ply', 'amf', 'gcode', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff',
  'gbr', 'gtl', 'gbl', 'gto', 'gbo', 'gts', 'gbs', 'gtp', 'gbp', 'gko', 'gm1', 'drl', 'xln', 'zip',
  'step', 'stp', 'iges', 'igs', 'x_t', 'x_b', 'wrl', 'html',
]);

/** Native, editable design formats (CAD, EDA, vector, code). */
export const NATIVE_EXTENSIONS = new Set([
  'scad', 'fcstd', 'fcmacro', 'py', 'kicad_pcb', 'kicad_sch', 'kicad_pro', 'kicad_mod', 'kicad_sym', 'sch', 'brd', 'lbr',
  'f3d', 'f3z', 'sldprt', 'sldasm', 'slddrw', 'ipt', 'iam', 'idw', 'dwg', 'dxf', 'svg', 'blend', 'skp', 'csg',
  'ino', 'c', 'cpp', 'h', 'hpp', 'rs', 'js', 'ts', 'v', 'sv', 'vhd', 'vhdl', 'lbrn', 'lbrn2', 'ai', 'cdr', '3dm', 'catpart', 'prt', 'asm',
]);

const ext = (p: string) => (p.includes('.') ? p.slice(p.lastIndexOf('.') + 1).toLowerCase() : '');

const pass = (id: string, evidence: string): CheckResult => ({ id, result: 'pass', evidence });
const warn = (id: string, evidence: string): CheckResult => ({ id, result: 'warn', evidence });
const fail = (id: string, evidence: string): CheckResult => ({ id, result: 'fail', evidence });

/** Required sections an imported design's source did not have: shown as missing, never passed. */
const notProvided = (m: Manifest, ...sections: string[]): string[] =>
  Object.entries(m.notProvided ?? {}).filter(([k]) => sections.length === 0 || sections.includes(k)).map(([k, why]) => `${k} (${why})`);

export function manifestValid(i: CheckInputs): CheckResult {
  const errors = i.issues.filter((x) => x.severity === 'error');
  if (errors.length) return fail('manifest-valid', `${errors.length} validation error(s): ${errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const missing = notProvided(i.manifest, 'function', 'licensor', 'documentationLanguage', 'production');
  if (missing.length) return fail('manifest-valid', `required sections not provided by the imported source: ${missing.join('; ')}`);
  return pass('manifest-valid', `design.yaml validates against the manifest schema (${i.issues.length} warning(s))`);
}

export function licensesOpen(i: CheckInputs): CheckResult {
  const { hardware, documentation, software } = i.manifest.license;
  const bad: string[] = [];
  if (!isOshwaCompatible(hardware, 'hardware')) bad.push(`hardware licence ${hardware} is not OSHWA-compatible`);
  if (!isOshwaCompatible(documentation, 'documentation')) bad.push(`documentation licence ${documentation} is not OSHWA-compatible`);
  if (software === undefined || software === '') bad.push('no software licence: declare one, or NONE when there is no software');
  if (bad.length) return fail('licenses-open', bad.join('; '));
  const flagged = [hardware, documentation, software ?? ''].flatMap((expr, n) =>
    checkLicense(expr, (['hardware', 'documentation', 'software'] as const)[n]!).filter((f) => f.severity === 'warning').map((f) => f.message));
  if (flagged.length) return warn('licenses-open', `open licences, flagged for the reviewer: ${flagged.join('; ')}`);
  return pass('licenses-open', `hardware ${hardware}, documentation ${documentation}, software ${software}`);
}

export function editableSources(i: CheckInputs): CheckResult {
  const sources = i.manifest.docs.sources ?? [];
  const present = new Set(i.files);
  const missing = sources.filter((s) => !present.has(s));
  const absent = notProvided(i.manifest, 'docs.sources');
  if (absent.length) return fail('editable-sources', `not provided: ${absent.join('; ')}`);
  if (!sources.length) return fail('editable-sources', 'docs.sources lists no source files');
  if (missing.length) return fail('editable-sources', `listed sources missing from the package: ${missing.join(', ')}`);
  const native = sources.filter((s) => NATIVE_EXTENSIONS.has(ext(s)));
  const exportsOnly = sources.filter((s) => EXPORT_EXTENSIONS.has(ext(s)));
  if (!native.length) {
    return fail('editable-sources', `no native editable source: ${sources.join(', ')} ${exportsOnly.length ? 'are exports (PDF/STL/Gerber/STEP…), not the preferred form for modification' : 'are in unrecognised formats'}`);
  }
  if (exportsOnly.length) return warn('editable-sources', `native sources ${native.join(', ')}; also listed as sources but exports: ${exportsOnly.join(', ')}`);
  return pass('editable-sources', `native sources: ${native.join(', ')}`);
}

/**
 * "BOM complete": every line has a quantity (> 0) and either an MPN, an offer or a `part`; a line
 * pointing to a sub-assembly is sourced too. Any other line fails the check, whatever its type:
 * a line identified only by its name (an ISO nut, steel plate, PVA glue) cannot be bought from the BOM.
 */
export function bomComplete(i: CheckInputs): CheckResult {
  const absent = notProvided(i.manifest, 'bom');
  if (absent.length) return fail('bom-complete', `not provided: ${absent.join('; ')}`);
  const sourced = (l: Manifest['bom'][number]) => Boolean(l.mpn || l.offers?.length || l.part || l.subassembly);
  const noQuantity = i.manifest.bom.filter((l) => !(l.quantity > 0));
  const unsourced = i.manifest.bom.filter((l) => !sourced(l));
  if (noQuantity.length || unsourced.length) {
    const why = [
      ...(noQuantity.length ? [`BOM lines without a positive quantity: ${noQuantity.map((l) => l.id).join(', ')}`] : []),
      ...(unsourced.length ? [`BOM lines without an MPN, an offer, a part or a sub-assembly: ${unsourced.map((l) => l.id).join(', ')}`] : []),
    ];
    return fail('bom-complete', why.join('; '));
  }
  return pass('bom-complete', `${i.manifest.bom.length} BOM line(s), each with a quantity and an MPN, offer, part or sub-assembly`);
}

export function subassembliesResolve(i: CheckInputs): CheckResult {
  if (!i.dependencies.length) return pass('subassemblies-resolve', 'no sub-assemblies');
  const bad = i.dependencies.filter((d) => !d.exists || d.yanked).map((d) => `${d.package}@${d.version} ${d.exists ? 'is yanked' : 'is not published'}`);
  if (bad.length) return fail('subassemblies-resolve', bad.join('; '));
  return pass('subassemblies-resolve', `resolved: ${i.dependencies.map((d) => `${d.package}@${d.version}`).join(', ')}`);
}

export function proprietaryDisclosed(i: CheckInputs): CheckResult {
  const closed = i.manifest.proprietaryComponents ?? [];
  if (!closed.length) return pass('proprietary-disclosed', 'no proprietary components declared');
  const ids = new Set(i.manifest.bom.map((l) => l.id));
  const bad = closed.filter((c) => !c.datasheet || !ids.has(c.bomRef)).map((c) => `${c.bomRef}${c.datasheet ? ' (no such BOM line)' : ' (no datasheet)'}`);
  if (bad.length) return fail('proprietary-disclosed', `proprietary components not properly disclosed: ${bad.join(', ')}`);
  return pass('proprietary-disclosed', `${closed.length} proprietary component(s) disclosed with datasheets: ${closed.map((c) => c.bomRef).join(', ')}`);
}

export function docsPresent(i: CheckInputs): CheckResult {
  const present = new Set(i.files);
  const d = i.manifest.docs;
  if (!present.has(d.readme)) return fail('docs-present', `readme ${d.readme} is missing`);
  const assembly = d.assembly ?? [];
  if (!assembly.length) return fail('docs-present', 'no assembly instructions (docs.assembly)');
  const missing = assembly.filter((a) => !present.has(a));
  if (missing.length) return fail('docs-present', `assembly instructions missing: ${missing.join(', ')}`);
  if (!d.photos?.length) return warn('docs-present', `readme and assembly instructions present (${assembly.join(', ')}); no photos (docs.photos)`);
  return pass('docs-present', `readme, assembly instructions (${assembly.join(', ')}) and ${d.photos.length} photo(s)`);
}

export function lineage(i: CheckInputs): CheckResult {
  if (!i.upstream) {
    const nd = (i.manifest.derivedFrom ?? []).filter((s) => s.license && !allowsDerivatives(s.license).ok);
    if (nd.length) return fail('lineage', `derived from works whose licence forbids derivatives: ${nd.map((s) => `${s.title} (${s.license})`).join(', ')}`);
    return pass('lineage', i.manifest.derivedFrom?.length ? `derived from ${i.manifest.derivedFrom.map((s) => s.title).join(', ')}, licences allow it` : 'not a fork');
  }
  const up = i.upstream;
  const hw = up.license ? allowsDerivatives(up.license.hardware) : { ok: true };
  if (!hw.ok) return fail('lineage', `upstream ${up.package}@${up.version} does not allow derivatives: ${hw.reason}`);
  const attributed = i.manifest.forkOf?.package === up.package
    || (i.manifest.derivedFrom ?? []).some((d) => d.url.includes(up.package) || d.title.includes(up.package))
    || (i.readme ?? '').includes(up.package);
  if (!attributed) return fail('lineage', `fork of ${up.package}@${up.version}, but the design does not credit it (set forkOf, a derivedFrom entry, or name it in the README)`);
  return pass('lineage', `fork of ${up.package}@${up.version}; upstream licence allows derivatives and is credited`);
}

export const CHECKS = [manifestValid, licensesOpen, editableSources, bomComplete, subassembliesResolve, proprietaryDisclosed, docsPresent, lineage];

/** Successful independent builds: evidence for the maturity claim. Never fails: builds come after publishing. */
export function independentBuilds(i: CheckInputs): CheckResult {
  const ok = (i.builds ?? []).filter((b) => b.current && b.independent && b.outcome !== 'failed');
  const claim = i.manifest.maturity?.technology ? ` for the claim ${i.manifest.maturity.technology}` : '';
  if (!ok.length) return warn('independent-builds', `no successful independent build report of this version${claim}; ${(i.builds ?? []).filter((b) => b.current).length} report(s) in all`);
  const who = [...new Set(ok.map((b) => b.reporter))].sort();
  const where = [...new Set(ok.map((b) => b.region))].sort();
  return pass('independent-builds', `${ok.length} successful independent build(s)${claim} by ${who.join(', ')} in ${where.join(', ')}`);
}

/** How many independent builds met each admissible performance criterion (`production.performance`). */
export function performanceMet(i: CheckInputs): CheckResult {
  const criteria = i.manifest.production.performance ?? [];
  if (!criteria.length) return pass('performance-met', 'the design declares no performance criteria');
  const indep = (i.builds ?? []).filter((b) => b.current && b.independent);
  let shortfall = false;
  const parts = criteria.map((c) => {
    const values = indep.map((b) => b.measurements[c.id]).filter((v): v is number => typeof v === 'number');
    const met = values.filter((v) => (c.comparison === '>=' ? v >= c.target : v <= c.target)).length;
    if (!values.length || met < values.length) shortfall = true;
    const range = values.length ? ` (measured ${Math.min(...values)}–${Math.max(...values)})` : '';
    return `${c.id} ${c.comparison} ${c.target} ${c.unit}: met by ${met} of ${values.length} independent build(s)${range}`;
  });
  return (shortfall ? warn : pass)('performance-met', parts.join('; '));
}

export function runChecks(i: CheckInputs): { results: CheckResult[]; passed: boolean } {
  const results = CHECKS.map((c) => c(i));
  // Build evidence is shown when there is some, or a performance claim to measure.
  if (i.builds?.length || i.manifest.production.performance?.length) results.push(independentBuilds(i), performanceMet(i));
  return { results, passed: !results.some((r) => r.result === 'fail') };
}
