/**
 * JSON request bodies of the production network, checked against JSON Schemas (ajv): unknown
 * properties, wrong types, out-of-range numbers and values outside a vocabulary are one 400 that
 * names every problem with its field path (and, for a vocabulary, the allowed values).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { OhwError, type Issue } from '../../../schema/errors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });

const fieldPath = (e: ErrorObject): string =>
  e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');

function describe(e: ErrorObject): { path: string; message: string } {
  const at = fieldPath(e);
  const join = (p: string) => (at ? `${at}.${p}` : p);
  switch (e.keyword) {
    case 'additionalProperties': {
      const p = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: join(p), message: `unknown property "${p}"` };
    }
    case 'required': {
      const p = (e.params as { missingProperty: string }).missingProperty;
      return { path: join(p), message: `"${p}" is required` };
    }
    case 'enum':
      return { path: at, message: `${JSON.stringify(e.data)} is not allowed; allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    case 'type':
      return { path: at, message: `must be ${(e.params as { type: string }).type}` };
    default:
      return { path: at, message: e.message ?? e.keyword };
  }
}

export interface BodyCheck<T> { (body: unknown): T }

/** A checker for one body shape; throws INVALID_REQUEST listing every problem. */
export function bodyChecker<T>(what: string, schema: object): BodyCheck<T> {
  const validate: ValidateFunction = ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema });
  return (body: unknown): T => {
    if (validate(body ?? {})) return (body ?? {}) as T;
    const seen = new Set<string>();
    const issues: Issue[] = [];
    for (const e of validate.errors ?? []) {
      // An enum inside an array reports once per bad item; `anyOf` noise is dropped.
      if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
      const d = describe(e);
      const key = `${d.path}\u0000${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ file: 'request', path: d.path, line: 0, column: 0, code: `body-${e.keyword}`, message: d.message, severity: 'error' });
    }
    throw new OhwError('INVALID_REQUEST', `invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, { issues });
  };
}

/** Single-line free text of at most `max` characters. */
export const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f]*$' });
export const textList = (maxItems: number, max = 200) => ({ type: 'array', maxItems, items: text(max) });
export const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}$';
export const CURRENCY = { type: 'string', pattern: '^[A-Za-z]{3}$' };
