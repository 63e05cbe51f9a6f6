/**
 * The four formats: their tables, how a parsed document is recognised, and how a manifest is
 * written in each (TOML via smol-toml, YAML via yaml, JSON). Pure.
 */
import { parse as parseToml, stringify as tomlStringify } from 'smol-toml';
import { parse as parseYaml, stringify as yamlStringify } from 'yaml';
import { INTEROP_FORMATS, type InteropFormat, type Manifest } from '../types.ts';
import { exportFields } from './engine.ts';
import { KITSPACE_TABLE } from './kitspace.ts';
import { OKH_LOSH_TABLE } from './okh-losh.ts';
import { OKH_V1_TABLE } from './okh-v1.ts';
import { OSHWA_TABLE } from './oshwa.ts';
import type { FormatTable } from './types.ts';

export { INTEROP_FORMATS, type InteropFormat };

export const TABLES: Record<InteropFormat, FormatTable> = {
  'okh-v1': OKH_V1_TABLE,
  'okh-losh': OKH_LOSH_TABLE,
  oshwa: OSHWA_TABLE,
  kitspace: KITSPACE_TABLE,
};

export const EXPORT_FORMATS = ['okh-losh', 'okh-v1', 'oshwa'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Which format a parsed record is in, or why it is none of them. Markers: OSHWA has `oshwaUid`;
 * OKH-LOSH has `okhv` (or the LOSH trio name + function + repo); OKH v1 has `title` with
 * `license`, `documentation-home`, `project-link` or `okh-manifest-version`; Kitspace has
 * `multi:` or its own keys (summary, gerbers, eda, bom) and no title.
 */
export function detectFormat(v: unknown): { format: InteropFormat } | { reason: string } {
  if (!isObj(v)) return { reason: `expected a mapping of fields, got ${Array.isArray(v) ? 'a list' : v === null ? 'nothing' : typeof v}` };
  if ('oshwaUid' in v) return { format: 'oshwa' };
  if ('okhv' in v || ('name' in v && 'function' in v && 'repo' in v)) return { format: 'okh-losh' };
  if ('title' in v && ['license', 'documentation-home', 'project-link', 'okh-manifest-version', 'licensor'].some((k) => k in v)) return { format: 'okh-v1' };
  if ('multi' in v || (!('title' in v) && ['summary', 'gerbers', 'eda', 'bom'].filter((k) => k in v).length >= 2)) return { format: 'kitspace' };
  const keys = Object.keys(v).slice(0, 5).map((k) => `"${k.slice(0, 30)}"`).join(', ');
  return { reason: `no oshwaUid (OSHWA), okhv (OKH-LOSH), title + license (OKH v1) or summary/gerbers/bom (Kitspace) field${keys ? `; it has ${keys}${Object.keys(v).length > 5 ? ', …' : ''}` : ''}` };
}

/** Parses one document by its file extension: TOML 1.0, YAML 1.2 or JSON. Throws with the parser's message (line, column). */
export function parseDocument(text: string, ext: string): unknown {
  if (ext === 'toml') return parseToml(text);
  if (ext === 'json') return JSON.parse(text);
  return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, logLevel: 'error' });
}

export interface ExportOptions {
  /** URL of the design on this registry: stands in for a repository when the manifest names none. */
  designUrl?: string;
}

/** Fields each format requires (OKH-LOSH schema `required`, OKH v1 schema `required`). */
export const EXPORT_REQUIRED: Record<ExportFormat, string[]> = {
  'okh-losh': ['okhv', 'name', 'repo', 'version', 'license', 'licensor', 'function'],
  'okh-v1': ['title', 'description', 'license'],
  oshwa: ['projectName', 'projectDescription', 'responsibleParty', 'hardwareLicense', 'documentationLicense'],
};

export interface ExportedDocument {
  text: string;
  ext: string;
  contentType: string;
  /** Fields the format requires that the manifest cannot fill (an import whose source lacked them). */
  missing: string[];
}

/** The manifest in `format`: the document text, its file extension and media type, and what it lacks. */
export function exportManifest(m: Manifest, format: ExportFormat, opts: ExportOptions = {}): ExportedDocument {
  const fields = exportFields(TABLES[format], m, opts);
  const missing = EXPORT_REQUIRED[format].filter((k) => fields[k] === undefined);
  if (format === 'okh-losh') return { text: tomlStringify(fields), ext: 'toml', contentType: 'application/toml', missing };
  if (format === 'okh-v1') return { text: yamlStringify(fields, { lineWidth: 0 }), ext: 'yml', contentType: 'application/yaml', missing };
  return { text: `${JSON.stringify(fields, null, 2)}\n`, ext: 'json', contentType: 'application/json', missing };
}
