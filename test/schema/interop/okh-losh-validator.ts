/**
 * The vendored OKH-LOSH JSON Schema (schema/interop/okh-losh.schema.json, draft-07) compiled with
 * ajv, for tests that check exported okh.toml documents. The file is kept byte for byte as
 * published; two things in it are not valid for ajv/JavaScript and are adjusted in memory only:
 * the language pattern reuses a named group (`privateUse`) — names are dropped, the pattern is
 * the same — and `outerDimensions` uses the non-JSON-Schema type "float" — read as "number".
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import raw from '../../../schema/interop/okh-losh.schema.json' with { type: 'json' };

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

function adjusted(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adjusted);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && typeof v === 'string') out[k] = v.replace(/\(\?<[A-Za-z]+>/g, '(');
    else if (k === 'type' && v === 'float') out[k] = 'number';
    else out[k] = adjusted(v);
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
export const validateOkhLosh = ajv.compile(adjusted(raw) as object);

/** Errors as `path message` lines ([] when the document is valid). */
export function okhLoshErrors(doc: unknown): string[] {
  return validateOkhLosh(doc) ? [] : (validateOkhLosh.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
