/**
 * JSON Schema validation of the manifest value (schema/design.schema.json, ajv, draft 2020-12)
 * and the translation of ajv's errors into issues a person can act on.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schema from '../design.schema.json' with { type: 'json' };
import { didYouMean } from './suggest.ts';
import { pointerToPath, type FieldPath } from './field-path.ts';
import type { Reporter } from './report.ts';

// ajv-formats is CommonJS with a `default` property; depending on the loader the default import
// is the plugin or the module object holding it.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

export const DESIGN_SCHEMA = schema;
export const DESIGN_SCHEMA_ID: string = schema.$id;

// Compiled once per process: compiling costs milliseconds, validating microseconds.
const validate: ValidateFunction = (() => {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['uri', 'email']);
  return ajv.compile(schema);
})();

/** Runs the schema over `value` and reports every violation. */
export function checkSchema(value: unknown, report: Reporter): void {
  if (validate(value)) return;
  // A field that narrows a shared definition (`title`: singleLine with a maxLength of its own)
  // states its type twice; a wrong type is still one problem.
  // Likewise a length or count bound stated twice is reported once, with the tighter limit.
  const errors = validate.errors ?? [];
  const tightest = new Map<string, number>();
  for (const err of errors) {
    if (err.keyword !== 'maxLength' && err.keyword !== 'maxItems') continue;
    const key = `${err.instancePath}\u0000${err.keyword}`;
    tightest.set(key, Math.min(tightest.get(key) ?? Infinity, Number((err.params as { limit: number }).limit)));
  }
  const seen = new Set<string>();
  for (const err of errors) {
    const bound = tightest.get(`${err.instancePath}\u0000${err.keyword}`);
    if (bound !== undefined && Number((err.params as { limit: number }).limit) !== bound) continue;
    const key = `${err.instancePath}\u0000${err.keyword}\u0000${JSON.stringify(err.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reportError(err, value, report);
  }
}

/** Human descriptions of the formats behind `$defs` patterns, keyed by def name. */
const PATTERN_RULES: Record<string, { code: string; rule: string }> = {
  packageName: { code: 'name-invalid', rule: 'must be owner/name, each part lowercase letters, digits and single hyphens, 1-64 characters' },
  semver: { code: 'semver-invalid', rule: 'must be a semver 2.0 version such as 1.2.0 or 2.0.0-rc.1' },
  identifier: { code: 'id-invalid', rule: 'may contain only letters, digits, ".", "_" and "-", starting with a letter or digit' },
  singleLine: { code: 'not-single-line', rule: 'must be a single line' },
  // Only http(s) links ever become links; `javascript:`, `data:`, `file:` and the rest are refused.
  url: { code: 'url-scheme', rule: 'must be an http: or https: URL such as https://example.org/page' },
  urlOrPath: { code: 'url-scheme', rule: 'must be an http: or https: URL or a path in the package' },
  contact: { code: 'url-scheme', rule: 'must be an email address, an http: or https: URL, or a line of text (no other URL scheme)' },
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  array: 'a list', object: 'a mapping', null: 'empty',
};

/** `string "two"`, `number 3`, `a list`… — what the author actually wrote. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${quote(v)}`;
  return `${typeof v} ${String(v)}`;
}

const quote = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
const got = (v: unknown): string => (typeof v === 'string' ? quote(v) : describe(v));
const defName = (schemaPath: string): string | undefined => /#\/\$defs\/([^/]+)\/[^/]+$/.exec(schemaPath)?.[1];

function reportError(err: ErrorObject, root: unknown, report: Reporter): void {
  const path = pointerToPath(err.instancePath, root);
  const data: unknown = err.data;
  const params = err.params as Record<string, unknown>;

  switch (err.keyword) {
    case 'required': {
      // Locating the missing field's path stops at the nearest ancestor that exists: the mapping
      // that should contain it (in a CSV BOM: the cell of its column).
      const field = String(params.missingProperty);
      const isSubassembly = path.length === 3 && path[0] === 'bom' && path[2] === 'subassembly' && field === 'package';
      report.add([...path, field], isSubassembly ? 'subassembly-missing-package' : 'missing-field',
        isSubassembly ? 'missing required field "package" (the owner/name of the sub-assembly design)' : `missing required field "${field}"`);
      return;
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      report.add([...path, field], 'unknown-field', `unknown field "${field}"${didYouMean(field, allowed)}`, { at: 'key' });
      return;
    }
    case 'type': {
      const types = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t);
      report.add(path, 'wrong-type', `must be ${types.join(' or ')}, got ${describe(data)}`);
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      if (isOdrl3Star(path, data)) {
        report.add(path, 'maturity-odrl3-claimed', '"ODRL-3*" is awarded by the registry from a certificate and cannot be claimed; use "ODRL-3"');
        return;
      }
      const hint = typeof data === 'string' ? didYouMean(data, allowed).replace(/^ \(/, ', ').replace(/\)$/, '') : '';
      report.add(path, 'invalid-value', `must be one of ${allowed.join(', ')} (got ${got(data)}${hint})`);
      return;
    }
    case 'const': {
      const want = JSON.stringify(params.allowedValue);
      const fix = path.length === 1 && path[0] === 'manifestVersion' && data === 1 ? `; quote it: manifestVersion: "1"` : '';
      report.add(path, 'invalid-value', `must be ${want} (got ${describe(data)}${fix})`);
      return;
    }
    case 'pattern': {
      const rule = PATTERN_RULES[defName(err.schemaPath) ?? ''];
      report.add(path, rule?.code ?? 'invalid-format', `${rule?.rule ?? `must match ${String(params.pattern)}`} (got ${got(data)})`);
      return;
    }
    case 'format': {
      const what = params.format === 'uri' ? 'a URL such as https://example.org/page' : params.format === 'email' ? 'an email address' : `a valid ${String(params.format)}`;
      report.add(path, 'invalid-format', `must be ${what} (got ${got(data)})`);
      return;
    }
    case 'exclusiveMinimum':
      report.add(path, 'out-of-range', `must be greater than ${String(params.limit)} (got ${String(data)})`);
      return;
    case 'minimum':
      report.add(path, 'out-of-range', `must be at least ${String(params.limit)} (got ${String(data)})`);
      return;
    case 'maximum':
      report.add(path, 'out-of-range', `must be at most ${String(params.limit)} (got ${String(data)})`);
      return;
    case 'minLength':
      report.add(path, 'empty', params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`);
      return;
    case 'maxLength':
      report.add(path, 'too-long', `must be at most ${String(params.limit)} characters long (got ${(data as string).length})`);
      return;
    case 'minItems': {
      const n = Number(params.limit);
      report.add(path, n === 1 ? 'empty' : 'too-few-items', n === 1 ? 'must list at least one item' : `must list at least ${n} items (got ${(data as unknown[]).length})`);
      return;
    }
    case 'maxItems':
      report.add(path, 'too-many-items', `must list at most ${String(params.limit)} items (got ${(data as unknown[]).length})`);
      return;
    case 'uniqueItems': {
      const dup = (data as unknown[])[Number(params.i)];
      report.add([...path, Number(params.i)], 'duplicate-item', `${got(dup)} is listed twice (first as item ${Number(params.j) + 1})`);
      return;
    }
    case 'if':
      // "must match else schema": the failing keyword inside the branch is reported on its own.
      return;
    default:
      report.add(path, 'schema', err.message ?? `fails ${err.keyword}`);
  }
}

const isOdrl3Star = (path: FieldPath, data: unknown): boolean =>
  path.length === 2 && path[0] === 'maturity' && path[1] === 'documentation' && typeof data === 'string' && data.startsWith('ODRL-3*');
