/**
 * Rules the JSON Schema cannot state: cross-references, uniqueness, semver ranges, ISO codes,
 * licences and files. Runs even when the schema found problems, so an author sees everything at
 * once; every rule therefore checks the shape it relies on instead of trusting it.
 */
import semver from 'semver';
import type { FieldPath } from './field-path.ts';
import { checkLicenses } from './license-check.ts';
import { canonicalLanguageTag, isCountry, isCurrency, isRegion, MACRO_REGIONS, REGION_ALIASES } from './iso-codes.ts';
import { MANIFEST_LIMITS } from './limits.ts';
import { VERSION_MAX_LENGTH } from '../versions.ts';
import { DESIGN_SCHEMA } from './schema-check.ts';
import { pathProblem, type PackageFiles } from './package-paths.ts';
import type { Reporter } from './report.ts';
import { closest } from './suggest.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface SemanticContext {
  report: Reporter;
  /** The package's files; without them, only the form of paths is checked. */
  files?: PackageFiles;
}

export function checkSemantics(m: Obj, ctx: SemanticContext): void {
  const { report } = ctx;
  hintsLeft = MAX_HINTS;
  checkExactVersion(m.version, ['version'], report);
  const fork = obj(m.forkOf);
  if (fork) checkExactVersion(fork.version, ['forkOf', 'version'], report);

  const partIds = uniqueIds(list(m.parts), 'parts', 'part', report);
  const bomIds = checkBom(m, partIds, report);

  // A BOM that could not be read (missing CSV) would make every reference look dangling.
  if (Array.isArray(m.bom)) list(m.proprietaryComponents).forEach((pc, i) => {
    const ref = str(obj(pc)?.bomRef);
    if (ref !== undefined && !bomIds.has(ref)) {
      report.add(['proprietaryComponents', i, 'bomRef'], 'bom-ref-unknown', `no BOM line has id "${ref}"${hint(ref, bomIds.keys())}`);
    }
  });

  checkLanguages(m.documentationLanguage, report);
  const party = obj(m.responsibleParty);
  if (party) checkCountry(party.country, ['responsibleParty', 'country'], report);
  list(obj(m.supplyChain)?.regionsServed).forEach((r, i) => checkRegion(r, ['supplyChain', 'regionsServed', i], report));

  checkLicenses(m.license, report);
  checkFiles(m, ctx);
}

/** Returns the BOM ids, for the rules that refer to BOM lines. */
function checkBom(m: Obj, partIds: Map<string, number>, report: Reporter): Map<string, number> {
  const lines = list(m.bom);
  if (lines.length > MANIFEST_LIMITS.maxBomLines) {
    report.add(['bom'], 'bom-too-large', `the BOM has ${lines.length} lines; the limit is ${MANIFEST_LIMITS.maxBomLines}`);
  }
  const ids = uniqueIds(lines, 'bom', 'BOM', report);
  const name = str(m.name);

  lines.forEach((raw, i) => {
    const line = obj(raw);
    if (!line) return;
    const at = (...rest: (string | number)[]): FieldPath => ['bom', i, ...rest];

    const part = str(line.part);
    if (part !== undefined && !partIds.has(part)) {
      report.add(at('part'), 'part-unknown', `no part in "parts" has id "${part}"${hint(part, partIds.keys())}`);
    }

    const sub = line.subassembly;
    if (line.type === 'subassembly' && sub === undefined) {
      report.add(at('subassembly'), 'subassembly-missing', 'a line of type subassembly needs "subassembly: {package: owner/name, version: <semver range>}"');
    } else if (sub !== undefined && line.type !== undefined && line.type !== 'subassembly') {
      report.add(at('subassembly'), 'subassembly-unexpected', `"subassembly" is only allowed on lines of type subassembly (this line is ${JSON.stringify(line.type)})`, { at: 'key' });
    }
    const subObj = obj(sub);
    if (subObj) {
      const range = str(subObj.version);
      if (range !== undefined && range !== '' && semver.validRange(range) === null) {
        report.add(at('subassembly', 'version'), 'semver-range-invalid', `"${range}" is not a semver range; write e.g. ^1.2.0, ~1.2.0 or >=1.0.0 <2.0.0`);
      }
      if (name !== undefined && subObj.package === name) {
        report.add(at('subassembly', 'package'), 'subassembly-self', `a design cannot contain itself ("${name}")`);
      }
    }

    list(line.offers).forEach((rawOffer, j) => {
      const offer = obj(rawOffer);
      if (!offer) return;
      checkCurrency(offer.currency, at('offers', j, 'currency'), report);
      if (offer.region !== undefined) checkRegion(offer.region, at('offers', j, 'region'), report);
    });
  });
  return ids;
}

/** Ids of `items` (id → index); reports repeats with the line of the first occurrence. */
function uniqueIds(items: unknown[], field: string, what: string, report: Reporter): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const id = str(obj(item)?.id);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) { seen.set(id, i); return; }
    const code = field === 'bom' ? 'bom-id-duplicate' : 'part-id-duplicate';
    report.add([field, i, 'id'], code, `duplicate ${what} id "${id}" (first at line ${report.line([field, first, 'id'])})`);
  });
  return seen;
}

const SEMVER_PATTERN = new RegExp(DESIGN_SCHEMA.$defs.semver.pattern, 'u');

function checkExactVersion(v: unknown, path: FieldPath, report: Reporter): void {
  // Malformed versions are reported by the schema's pattern; this catches what the pattern
  // cannot: numbers too large for semver (and so for every tool that resolves versions).
  if (typeof v !== 'string' || !SEMVER_PATTERN.test(v) || semver.valid(v) !== null) return;
  report.add(path, 'semver-invalid', `"${v}" is not a usable semver version (each number must be below ${Number.MAX_SAFE_INTEGER}, at most ${VERSION_MAX_LENGTH} characters)`);
}

function checkLanguages(v: unknown, report: Reporter): void {
  const tags = typeof v === 'string' ? [[v, ['documentationLanguage']] as const] : list(v).map((t, i) => [t, ['documentationLanguage', i]] as const);
  for (const [tag, path] of tags) {
    if (typeof tag !== 'string' || tag === '') continue;
    const canonical = canonicalLanguageTag(tag);
    if (canonical === undefined) {
      const fixed = canonicalLanguageTag(tag.replace(/_/g, '-'));
      report.add(path, 'language-invalid', `"${tag}" is not a BCP 47 language tag${fixed ? ` (did you mean "${fixed}"?)` : ' such as en, de or pt-BR'}`);
    } else if (canonical !== tag) {
      report.add(path, 'language-not-canonical', `write the language tag as "${canonical}"`, { severity: 'warning' });
    }
  }
}

function checkCountry(v: unknown, path: FieldPath, report: Reporter): void {
  if (typeof v !== 'string' || v === '' || isCountry(v)) return;
  report.add(path, 'country-invalid', `"${v}" is not an ISO 3166-1 alpha-2 country code${codeHint(v, isCountry)}`);
}

function checkRegion(v: unknown, path: FieldPath, report: Reporter): void {
  if (typeof v !== 'string' || v === '' || isRegion(v)) return;
  report.add(path, 'region-invalid', `"${v}" is not an ISO 3166-1 alpha-2 country code or one of ${[...MACRO_REGIONS].join(', ')}${codeHint(v, isRegion)}`);
}

function checkCurrency(v: unknown, path: FieldPath, report: Reporter): void {
  if (typeof v !== 'string' || v === '' || isCurrency(v)) return;
  report.add(path, 'currency-invalid', `"${v}" is not an ISO 4217 currency code${codeHint(v, isCurrency)}`);
}

/** Codes are upper case; the usual slip is the case or a well-known non-ISO spelling. */
function codeHint(v: string, valid: (c: string) => boolean): string {
  const upper = v.toUpperCase();
  const fix = valid(upper) ? upper : REGION_ALIASES[upper];
  return fix !== undefined && valid(fix) ? ` (did you mean "${fix}"?)` : '';
}

// Did-you-mean compares against every id; bound the total work per validation so a BOM of
// thousands of dangling references stays fast (validation is synchronous, so a module-level
// counter reset per call is safe).
const MAX_HINTS = 50;
let hintsLeft = MAX_HINTS;

const hint = (word: string, candidates: Iterable<string>): string => {
  if (hintsLeft <= 0) return '';
  hintsLeft--;
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
};

const DOC_FILES = ['readme', 'userManual', 'maintenance', 'disposal', 'riskAssessment'] as const;
const DOC_LISTS = ['sources', 'exports', 'assembly', 'manufacturing', 'photos'] as const;

function checkFiles(m: Obj, ctx: SemanticContext): void {
  const refs: [unknown, FieldPath][] = [[m.description, ['description']]];
  const docs = obj(m.docs);
  if (docs) {
    for (const f of DOC_FILES) refs.push([docs[f], ['docs', f]]);
    for (const f of DOC_LISTS) list(docs[f]).forEach((p, i) => refs.push([p, ['docs', f, i]]));
  }
  list(m.parts).forEach((p, i) => {
    const part = obj(p);
    if (part) refs.push([part.source, ['parts', i, 'source']], [part.export, ['parts', i, 'export']]);
  });
  for (const [p, path] of refs) checkPackagePath(p, path, ctx);
}

export function checkPackagePath(p: unknown, path: FieldPath, ctx: SemanticContext): boolean {
  if (typeof p !== 'string' || p === '') return false;
  const problem = pathProblem(p);
  if (problem !== undefined) {
    ctx.report.add(path, 'path-invalid', problem);
    return false;
  }
  if (ctx.files && !ctx.files.has(p)) {
    const near = ctx.files.suggest(p);
    ctx.report.add(path, 'file-missing', `file "${p}" is not in the package${near ? ` (did you mean "${near}"?)` : ''}`);
    return false;
  }
  return true;
}
