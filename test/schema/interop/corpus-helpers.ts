/**
 * The shared corpus (../shared/corpus, beside the repository) read the way `ohw import` reads it,
 * record by record, for tests of the pure mapping core. Tests skip with a message when the corpus
 * is not there; nothing of it is copied into the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../helpers/registry.ts';
import {
  detectFormat, importRecord, kitspaceProjects, kitspaceRecord, parseDocument, parseKitspaceBom, TABLES,
  type ImportOutcome,
} from '../../../schema/interop/index.ts';
import type { InteropFormat, Manifest } from '../../../schema/types.ts';

export const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS, 'oshwa/projects.json'));
export const SKIP_REASON = `the shared corpus is not at ${CORPUS}: corpus tests skipped`;

export const TODAY = '2026-01-15';
const enc = new TextEncoder();

export interface CorpusRecord { source: string; id: string; format?: InteropFormat; record?: unknown; parseError?: string; bytes: Uint8Array; ext: string; side?: Map<string, Uint8Array> }

export function oshwaRecords(): CorpusRecord[] {
  const all = JSON.parse(fs.readFileSync(path.join(CORPUS, 'oshwa/projects.json'), 'utf8')) as unknown[];
  return all.map((r, i) => ({ source: 'oshwa/projects.json', id: `#${i + 1}`, format: 'oshwa' as const, record: r, bytes: enc.encode(JSON.stringify(r)), ext: 'json' }));
}

/** Every OKH manifest (v1 YAML, LOSH TOML/YAML) and the okh-search JSON array. */
export function okhRecords(): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  for (const sub of ['v1', 'losh']) {
    for (const f of fs.readdirSync(path.join(CORPUS, 'okh', sub)).sort()) {
      const bytes = fs.readFileSync(path.join(CORPUS, 'okh', sub, f));
      const ext = f.endsWith('.toml') ? 'toml' : 'yaml';
      try {
        const record = parseDocument(new TextDecoder().decode(bytes), ext);
        const d = detectFormat(record);
        out.push({ source: `okh/${sub}/${f}`, id: f, record, bytes, ext, ...('format' in d ? { format: d.format } : {}) });
      } catch (e) {
        out.push({ source: `okh/${sub}/${f}`, id: f, parseError: (e as Error).message, bytes, ext });
      }
    }
  }
  const search = JSON.parse(fs.readFileSync(path.join(CORPUS, 'okh/okh-search_projects-2020.json'), 'utf8')) as unknown[];
  search.forEach((r, i) => {
    const d = detectFormat(r);
    out.push({ source: 'okh/okh-search_projects-2020.json', id: `#${i + 1}`, record: r, bytes: enc.encode(JSON.stringify(r)), ext: 'json', ...('format' in d ? { format: d.format } : {}) });
  });
  return out;
}

/** Kitspace (sub)projects with their BOMs; `license` adds a LICENSE file's facts (the corpus has none). */
export function kitspaceRecords(license?: { license: string; licensor: string }): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  const root = path.join(CORPUS, 'kitspace');
  for (const folder of fs.readdirSync(root).filter((f) => fs.statSync(path.join(root, f)).isDirectory()).sort()) {
    const file = fs.readdirSync(path.join(root, folder)).find((f) => /^kitspace\.ya?ml$/.test(f));
    if (!file) continue;
    const bytes = fs.readFileSync(path.join(root, folder, file));
    let doc: unknown;
    try { doc = parseYaml(new TextDecoder().decode(bytes)); } catch (e) { out.push({ source: `kitspace/${folder}/${file}`, id: folder, parseError: (e as Error).message, bytes, ext: 'yaml' }); continue; }
    for (const p of kitspaceProjects(doc, folder)) {
      const bomPath = typeof p.entry.bom === 'string' ? p.entry.bom : undefined;
      const abs = bomPath ? path.join(root, folder, bomPath) : undefined;
      const side = new Map<string, Uint8Array>();
      let bom;
      if (abs && /\.(csv|tsv)$/i.test(abs) && fs.existsSync(abs)) {
        const data = fs.readFileSync(abs);
        bom = parseKitspaceBom(data, bomPath!);
        side.set(`bom/${path.basename(abs)}`, data);
      }
      const record = kitspaceRecord(p, { ...(bom ? { bom } : {}), ...(license ? { license } : {}) });
      out.push({ source: `kitspace/${folder}/${file}`, id: p.project, format: 'kitspace', record, bytes, ext: 'yaml', side });
    }
  }
  return out;
}

export function importOne(r: CorpusRecord, format: InteropFormat | undefined = r.format): ImportOutcome | undefined {
  if (!format) return undefined;
  return importRecord(TABLES[format], r.record, {
    owner: 'imported', today: TODAY, fallbackId: r.id, sourceBytes: r.bytes, sourceExt: r.ext, ...(r.side ? { sideFiles: r.side } : {}),
  });
}

export function manifestOf(o: ImportOutcome): Manifest {
  if (o.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(o.issues)}`);
  return parseYaml(new TextDecoder().decode(o.design.files.find((f) => f.path === 'design.yaml')!.data)) as Manifest;
}

/**
 * Records whose hardware and documentation licences are SPDX or map unambiguously, and are open:
 * the ≥ 99 % population. A NonCommercial or NoDerivatives licence is valid SPDX but refused by
 * the registry's policy whatever the importer does, so it is not counted against the importer.
 */
export function licencesReadable(o: ImportOutcome): boolean {
  if (o.status === 'accepted') return true;
  // A file that does not parse, or is no record at all, has no licence anyone could read.
  if (o.issues.some((i) => i.code === 'parse-error' || i.code === 'not-a-record')) return false;
  const UNREADABLE = ['license-ambiguous', 'license-not-a-license', 'license-unrecognised', 'license-missing', 'license-nc', 'license-nd', 'license-not-open', 'license-none', 'license-noassertion'];
  return !o.issues.some((i) => UNREADABLE.includes(i.code) || (i.code === 'missing-field' && /licen[cs]e/i.test(i.path)));
}
