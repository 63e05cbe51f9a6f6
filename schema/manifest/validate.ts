/**
 * The manifest validator: design.yaml (and a CSV BOM it names) → located issues, and the
 * manifest when nothing blocks it. Order matters for hostile input: size, then nesting depth,
 * are checked on the raw text before the YAML parser sees it.
 */
import type { DesignSource } from '../design-source.ts';
import type { Issue } from '../errors.ts';
import type { Manifest } from '../types.ts';
import { readBomCsv } from './bom-csv.ts';
import type { FieldPath } from './field-path.ts';
import { findExcessiveNesting } from './depth-guard.ts';
import { MANIFEST_LIMITS, formatBytes, utf8LengthExceeds } from './limits.ts';
import { PackageFiles, normalizePath } from './package-paths.ts';
import { fileIssue, Reporter, type Locator } from './report.ts';
import { checkSchema } from './schema-check.ts';
import { checkPackagePath, checkSemantics } from './semantic-check.ts';
import { parseManifestYaml } from './yaml-source.ts';

export interface ValidationResult {
  /** No error-severity issue (warnings allowed). */
  ok: boolean;
  /** Set exactly when `ok`; `bom` is always lines (a CSV BOM is parsed). */
  manifest?: Manifest;
  /** Sorted by file (design.yaml first), line, column. */
  issues: Issue[];
}

export interface ValidateTextOptions {
  /** Name of the manifest in messages and issues; default `design.yaml`. */
  file?: string;
  /** The package's files; without it, file-existence checks are skipped and a CSV BOM cannot be read. */
  src?: DesignSource;
}

const DEFAULT_FILE = 'design.yaml';

/** Validates the manifest of a package folder. */
export function validateDesign(src: DesignSource, opts: { file?: string } = {}): ValidationResult {
  const file = opts.file ?? DEFAULT_FILE;
  const bytes = src.read(file);
  if (bytes === undefined) return refused(fileIssue(file, 'file-missing', `${file} is missing; every design package has one at its root`));
  if (bytes.byteLength > MANIFEST_LIMITS.maxBytes) return refused(tooBig(file, bytes.byteLength));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused(fileIssue(file, 'not-utf8', `${file} is not valid UTF-8 text`));
  }
  return validateManifestText(text, { file, src });
}

/** Validates manifest text; pass `src` to also check the files it names. */
export function validateManifestText(text: string, opts: ValidateTextOptions = {}): ValidationResult {
  const file = opts.file ?? DEFAULT_FILE;
  const size = utf8LengthExceeds(text, MANIFEST_LIMITS.maxBytes);
  if (size !== undefined) return refused(tooBig(file, size));

  const deepAt = findExcessiveNesting(text, MANIFEST_LIMITS.maxDepth);
  if (deepAt !== undefined) {
    const { line, column } = lineColumn(text, deepAt);
    return refused({ file, path: '', line, column, code: 'yaml-too-deep', message: `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels is not allowed`, severity: 'error' });
  }

  const parsed = parseManifestYaml(text, file);
  if (parsed.value === undefined) return finish(parsed.issues);
  const value = parsed.value;

  const files = opts.src ? new PackageFiles(opts.src) : undefined;
  let locator: Locator = parsed.locator;
  const report = new Reporter({ locate: (path, at) => locator.locate(path, at) });
  report.issues.push(...parsed.issues);

  if (typeof value.bom === 'string') {
    const csv = loadCsvBom(value.bom, opts.src, files, report);
    if (csv) {
      report.issues.push(...csv.issues);
      if (csv.lines) {
        // Same checks as a YAML BOM, located in the CSV file.
        value.bom = csv.lines;
        const yaml = parsed.locator;
        locator = { locate: (path, at) => (path[0] === 'bom' && path.length > 1 ? csv.locator : yaml).locate(path, at) };
      }
    }
  }

  checkSchema(value, report);
  checkSemantics(value, { report, ...(files && { files }) });
  return finish(report.issues, value);
}

function loadCsvBom(path: string, src: DesignSource | undefined, files: PackageFiles | undefined, report: Reporter) {
  const at: FieldPath = ['bom'];
  if (src === undefined || files === undefined) {
    report.add(at, 'bom-csv-unread', `the BOM is in "${path}", which can only be read when validating the package folder`);
    return undefined;
  }
  if (!checkPackagePath(path, at, { report, files })) return undefined;
  const bytes = src.read(normalizePath(path));
  if (bytes === undefined) {
    report.add(at, 'file-missing', `file "${path}" is not in the package`);
    return undefined;
  }
  return readBomCsv(bytes, normalizePath(path));
}

function finish(issues: Issue[], value?: Record<string, unknown>): ValidationResult {
  const sorted = sortIssues(issues);
  const ok = !sorted.some((i) => i.severity === 'error');
  return ok && value ? { ok, manifest: value as unknown as Manifest, issues: sorted } : { ok: false, issues: sorted };
}

const refused = (issue: Issue): ValidationResult => ({ ok: false, issues: [issue] });

const tooBig = (file: string, size: number): Issue =>
  fileIssue(file, 'file-too-large', `${file} is ${formatBytes(size)}; the limit is ${formatBytes(MANIFEST_LIMITS.maxBytes)}`);

function sortIssues(issues: Issue[]): Issue[] {
  const rank = (i: Issue): number => (i.file === DEFAULT_FILE || i.file.endsWith('.yaml') ? 0 : 1);
  return [...issues].sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** 1-based line and column of a UTF-16 offset; only used once, on refusal. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; start = i + 1; }
  return { line, column: offset - start + 1 };
}
