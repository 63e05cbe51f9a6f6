/**
 * The mapping engine: applies a format table (okh-v1.ts, okh-losh.ts, oshwa.ts, kitspace.ts) to one
 * parsed source record, producing a design folder whose design.yaml passes the same validator as
 * `ohw validate`; and the reverse, a manifest → the format's fields. Pure: files are returned as
 * bytes, the caller writes them.
 */
import { stringify as yamlStringify } from 'yaml';
import { designSource } from '../design-source.ts';
import type { LicenseRole } from '../licenses.ts';
import { DESIGN_SCHEMA, validateDesign } from '../manifest/index.ts';
import { NOT_PROVIDED_SECTIONS, type Manifest, type NotProvided, type Provenance } from '../types.ts';
import { converter, type ReadContext } from './convert.ts';
import type { FormatTable, ImportContext, ImportOutcome, InteropIssue } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const sources = (s: string | string[]): string[] => (Array.isArray(s) ? s : [s]);

export function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const seg of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Sets a dotted path; objects merge and lists concatenate, so two rules may feed one field. */
export function setPath(o: Obj, path: string, value: unknown): void {
  const segs = path.split('.');
  let cur = o;
  for (const seg of segs.slice(0, -1)) {
    if (!isObj(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Obj;
  }
  const last = segs.at(-1)!;
  const prev = cur[last];
  if (Array.isArray(prev) && Array.isArray(value)) cur[last] = [...prev, ...value];
  else if (isObj(prev) && isObj(value)) cur[last] = { ...prev, ...value };
  else cur[last] = value;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);

/** `owner/name` segment: lower-case letters, digits and single hyphens, at most `max` characters. */
export function slug(s: string, max = 64): string {
  const base = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base.slice(0, max).replace(/-+$/, '');
}

/** Reads one record with a table. Never throws for bad data: every problem is an issue. */
export function importRecord(table: FormatTable, record: unknown, ctx: ImportContext): ImportOutcome {
  if (!isObj(record)) {
    return refused(ctx.fallbackId, [{ path: '', code: 'not-a-record', message: `not an OKH/OSHWA/Kitspace record: expected a mapping of fields, got ${Array.isArray(record) ? 'a list' : typeof record}` }]);
  }
  const rawId = table.idField ? getPath(record, table.idField) : undefined;
  const id = (typeof rawId === 'string' && rawId.trim()) || ctx.fallbackId;
  const issues: InteropIssue[] = [];
  for (const path of table.required) {
    const hint = table.requiredHints?.[path];
    if (isEmpty(getPath(record, path))) issues.push({ path, code: 'missing-field', message: `missing required field "${path}" (${table.label})${hint ? `: ${hint}` : ''}` });
  }

  const notes: string[] = [];
  const originalLicenses: Partial<Record<LicenseRole, string>> = {};
  const m: Obj = {};
  const consumed = new Set<string>();
  if (table.idField) consumed.add(table.idField);
  for (const rule of table.fields) {
    if (rule.import === false) continue;
    const paths = sources(rule.source);
    const values = paths.map((p) => getPath(record, p));
    paths.forEach((p) => consumed.add(p.split('.')[0]!));
    if (values.every((v) => isEmpty(v))) continue;
    const rctx: ReadContext = {
      at: paths[0]!,
      refuse: (path, code, message) => { if (!issues.some((i) => i.path === path && i.code === code)) issues.push({ path, code, message }); },
      note: (what) => notes.push(what),
      originalLicenses,
    };
    const v = converter(rule.as).read(values, rctx);
    if (v !== undefined) setPath(m, rule.target, v);
  }
  issues.push(...unsafeUrls(record));
  const fullFunction = typeof m.function === 'string' ? m.function : undefined;
  fitToSchema(m, table, (what) => notes.push(what));

  const unmapped = [
    ...Object.keys(record).filter((k) => !consumed.has(k) && !isEmpty(record[k])).sort().map((k) => (table.ignored.includes(k) ? k : `${k} (not part of ${table.label})`)),
    ...notes,
  ];

  const nameSource = table.nameFrom.map((p) => getPath(record, p)).find((v) => typeof v === 'string' && slug(v) !== '') as string | undefined;
  if (nameSource === undefined && !issues.some((i) => i.code === 'missing-field')) {
    issues.push({ path: table.nameFrom[0]!, code: 'missing-field', message: `no usable name: "${table.nameFrom.join('" or "')}" must contain letters or digits` });
  }
  if (issues.length) return refused(id, issues);

  const suffix = [table.nameWithId ? slug(id, 24) : '', ctx.nameSuffix ?? ''].filter(Boolean).join('-');
  const nameSeg = suffix ? `${slug(nameSource!, 63 - suffix.length)}-${suffix}` : slug(nameSource!);
  const name = `${ctx.owner}/${nameSeg}`;
  const manifest = assemble(table, m, { name, id, record, unmapped, originalLicenses, ctx });
  const files = designFiles(manifest, ctx, fullFunction);

  // The design must pass `ohw validate` exactly as a hand-written one would.
  const result = validateDesign(designSource(files));
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    return refused(id, errors.map((i) => ({ path: sourcePathOf(table, i.path) ?? i.path, code: i.code, message: `${i.message} (manifest field ${i.path || '(root)'})` })));
  }
  return { status: 'accepted', id, design: { folder: name.replace('/', '--'), name, files, unmapped } };
}

const refused = (id: string, issues: InteropIssue[]): ImportOutcome => ({ status: 'refused', id, issues });

type SchemaNode = { maxLength?: number; maxItems?: number; items?: SchemaNode };
const schemaProps = DESIGN_SCHEMA.properties as unknown as Record<string, SchemaNode>;

/**
 * The manifest's size limits (schema maxLength/maxItems) applied to texts other catalogues let
 * grow: a longer title, summary or function is cut at a word with "…", keywords beyond the limit
 * are left out; each cut is noted. The full text stays in README.md and import/source.*.
 */
function fitToSchema(m: Obj, table: FormatTable, note: (what: string) => void): void {
  const src = (target: string) => sources(table.fields.find((r) => r.target === target)?.source ?? target)[0];
  for (const field of ['title', 'summary', 'function']) {
    const max = schemaProps[field]?.maxLength;
    const v = m[field];
    if (typeof v !== 'string' || max === undefined || v.length <= max) continue;
    const cut = v.slice(0, max - 1);
    m[field] = `${cut.slice(0, Math.max(cut.lastIndexOf(' '), Math.floor(max / 2))).trimEnd()}…`;
    note(`${src(field)} (cut to the ${max}-character limit of ${field})`);
  }
  const kw = schemaProps.keywords;
  if (Array.isArray(m.keywords)) {
    const maxLen = kw?.items?.maxLength ?? Infinity;
    const long = m.keywords.filter((k: string) => k.length > maxLen);
    let keep = m.keywords.filter((k: string) => k.length <= maxLen);
    if (long.length) note(`${src('keywords')} (${long.length} keyword(s) longer than ${maxLen} characters left out)`);
    if (kw?.maxItems !== undefined && keep.length > kw.maxItems) {
      note(`${src('keywords')} (${keep.length - kw.maxItems} keyword(s) beyond the limit of ${kw.maxItems} left out)`);
      keep = keep.slice(0, kw.maxItems);
    }
    if (keep.length) m.keywords = keep; else delete m.keywords;
  }
}

/** The source field a manifest path came from, so a refusal points into the record. */
function sourcePathOf(table: FormatTable, manifestPath: string): string | undefined {
  const base = manifestPath.replace(/\[\d+\].*$/, '');
  const rule = table.fields.find((r) => base === r.target || base.startsWith(`${r.target}.`));
  return rule ? sources(rule.source)[0] : undefined;
}

/** Every string value with a URL scheme other than http(s) (javascript:, file:, ftp://…). */
function unsafeUrls(record: Obj): InteropIssue[] {
  const out: InteropIssue[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (out.length >= 10 || depth > 32) return;
    if (typeof v === 'string') {
      const scheme = /^\s*([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(v);
      const name = scheme?.[1]?.toLowerCase();
      if (name && name !== 'http' && name !== 'https' && (scheme![2] || DANGEROUS.has(name))) {
        out.push({ path, code: 'url-scheme', message: `"${v.trim().slice(0, 80)}" uses the scheme "${name}:"; only http and https links are accepted` });
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
  };
  walk(record, '', 0);
  return out;
}
const DANGEROUS = new Set(['javascript', 'data', 'vbscript', 'file']);

interface AssembleInput {
  name: string; id: string; record: Obj; unmapped: string[];
  originalLicenses: Partial<Record<LicenseRole, string>>; ctx: ImportContext;
}

function assemble(table: FormatTable, m: Obj, a: AssembleInput): Manifest {
  const notProvided: NotProvided = {};
  const mapped = m as Partial<Manifest> & Obj;
  const version = (mapped.version as string | undefined) ?? '0.1.0';
  const docs = { readme: 'README.md', sources: [] as string[] };
  const production = (mapped.production as Manifest['production'] | undefined) ?? { processes: [] };
  const bom = (mapped.bom as Manifest['bom'] | undefined) ?? [];
  let documentationLanguage = mapped.documentationLanguage as Manifest['documentationLanguage'] | undefined;
  const empty: Record<(typeof NOT_PROVIDED_SECTIONS)[number], boolean> = {
    bom: bom.length === 0, production: production.processes.length === 0, 'docs.sources': true, documentationLanguage: documentationLanguage === undefined,
    function: typeof mapped.function !== 'string' || mapped.function === '', licensor: !Array.isArray(mapped.licensor) || mapped.licensor.length === 0,
  };
  for (const section of NOT_PROVIDED_SECTIONS) {
    if (empty[section]) notProvided[section] = table.notProvided[section] ?? `the ${table.label} record does not provide it`;
  }
  if (documentationLanguage === undefined) documentationLanguage = [];

  const provenance: Provenance = { imported: true, sourceFormat: table.format, importedAt: a.ctx.today };
  const sourceUrl = table.sourceUrl ? fillTemplate(table.sourceUrl, a.record) : undefined;
  if (sourceUrl) provenance.sourceUrl = sourceUrl;
  provenance.sourceId = a.id.replace(/\s+/g, ' ');
  const srcVersion = table.fields.find((r) => r.target === 'version');
  const rawVersion = srcVersion ? getPath(a.record, sources(srcVersion.source)[0]!) : undefined;
  if ((typeof rawVersion === 'string' || typeof rawVersion === 'number') && String(rawVersion).trim() !== '' && String(rawVersion).trim() !== version) {
    provenance.sourceVersion = String(rawVersion).trim().replace(/\s+/g, ' ');
  }
  const prov = (mapped.provenance ?? {}) as Partial<Provenance>;
  if (prov.repository) provenance.repository = prov.repository;
  if (prov.homepage) provenance.homepage = prov.homepage;
  if (prov.licenseFrom === 'license-file' || prov.licenseFrom === 'importer') provenance.licenseFrom = prov.licenseFrom;
  if (Object.keys(a.originalLicenses).length) provenance.originalLicenses = { ...a.originalLicenses };
  if (a.unmapped.length) provenance.unmapped = a.unmapped.map((u) => u.replace(/\s+/g, ' '));

  const out: Obj = {
    manifestVersion: '1',
    name: a.name,
    version,
    title: mapped.title,
    // A source without a description still has a title: the one-line summary repeats it rather
    // than inventing a sentence; function stays empty and is listed in notProvided.
    summary: mapped.summary ?? mapped.title,
    function: mapped.function ?? '',
  };
  for (const k of ['keywords', 'category'] as const) if (mapped[k] !== undefined) out[k] = mapped[k];
  out.documentationLanguage = documentationLanguage;
  out.licensor = mapped.licensor ?? [];
  out.license = mapped.license;
  for (const k of ['derivedFrom', 'maturity'] as const) if (mapped[k] !== undefined) out[k] = mapped[k];
  out.docs = docs;
  out.bom = bom;
  out.production = production;
  for (const k of ['standards', 'attestations'] as const) if (mapped[k] !== undefined) out[k] = mapped[k];
  out.notProvided = notProvided;
  out.provenance = provenance;
  return out as unknown as Manifest;
}

const fillTemplate = (t: string, record: Obj): string | undefined => {
  let missing = false;
  const s = t.replace(/\{([^}|]+)(\|lower)?\}/g, (_, field: string, lower?: string) => {
    const v = getPath(record, field);
    if (typeof v !== 'string' || v.trim() === '') { missing = true; return ''; }
    const s2 = encodeURIComponent(v.trim());
    return lower ? s2.toLowerCase() : s2;
  });
  return missing ? undefined : s;
};

const enc = new TextEncoder();

/** design.yaml, a README made of the source's own text, and the original record under import/. */
function designFiles(m: Manifest, ctx: ImportContext, fullFunction = m.function): Array<{ path: string; data: Uint8Array }> {
  const p = m.provenance!;
  const from = p.sourceUrl ?? p.repository ?? p.homepage;
  const readme = `# ${m.title}\n\n${fullFunction}\n\n---\n\nImported from ${p.sourceFormat} record ${p.sourceId}${from ? ` (${from})` : ''} on ${p.importedAt}. ` +
    `Licensor: ${m.licensor.map((l) => l.name).join(', ')}. The original record is in import/source.${ctx.sourceExt}.\n`;
  const files = [
    { path: 'design.yaml', data: enc.encode(yamlStringify(m, { lineWidth: 0 })) },
    { path: 'README.md', data: enc.encode(readme) },
    { path: `import/source.${ctx.sourceExt}`, data: ctx.sourceBytes },
  ];
  for (const [path, data] of ctx.sideFiles ?? []) files.push({ path: `import/${path}`, data });
  return files;
}

/** The manifest in a format's own fields (the reverse of the table); `designUrl` stands in for a repository. */
export function exportFields(table: FormatTable, m: Manifest, opts: { designUrl?: string } = {}): Obj {
  const out: Obj = { ...(table.exportConstants ?? {}) };
  for (const rule of table.fields) {
    if (rule.export === false) continue;
    const write = converter(rule.as).write;
    if (!write) continue;
    let value = write(getPath(m, rule.target), m);
    if (value === undefined && rule.target === 'provenance.repository' && opts.designUrl) value = opts.designUrl;
    if (value === undefined || isEmpty(value)) continue;
    const key = sources(rule.source)[0]!;
    if (getPath(out, key) === undefined) setPath(out, key, value);
  }
  return out;
}

/** Manifest paths a format carries both ways: what a round trip must preserve. */
export function roundTripFields(table: FormatTable): string[] {
  return [...new Set(table.fields.filter((r) => r.export !== false && r.import !== false && converter(r.as).write).map((r) => r.target))];
}
