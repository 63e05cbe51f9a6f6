/**
 * Kitspace projects (`kitspace.yaml`, single or `multi:` shape, with their "1-click BOM" CSV/TSV
 * files) → manifest. A Kitspace record is one (sub)project: its kitspace.yaml entry plus what the
 * project folder holds beside it — the BOM file it names (parsed into BOM lines: parts,
 * quantities, designators, MPNs, supplier order numbers) and a LICENSE file, since kitspace.yaml
 * itself states neither licence nor licensor. Pure: the caller reads the files.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { normaliseLicense } from '../license-aliases.ts';
import type { BomLine, SupplierPart } from '../types.ts';
import type { FormatTable } from './types.ts';

export const KITSPACE_TABLE: FormatTable = {
  format: 'kitspace',
  label: 'Kitspace',
  idField: 'project',
  nameFrom: ['title'],
  required: ['title', 'license'],
  requiredHints: { license: 'kitspace.yaml states no licence; the importer reads the SPDX-License-Identifier or title line of a LICENSE or COPYING file beside it' },
  fields: [
    { source: 'title', target: 'title', as: 'line' },
    { source: 'summary', target: 'summary', as: 'line' },
    { source: 'summary', target: 'function', as: 'text' },
    { source: 'license', target: 'license.hardware', as: 'licenseHardware' },
    { source: 'license', target: 'license.documentation', as: 'licenseDocumentation', export: false },
    { source: 'licensor', target: 'licensor', as: 'licensorNames' },
    { source: ['bomLines', 'bom'], target: 'bom', as: 'bomLines', export: false },
    { source: 'gerbers', target: 'production', as: 'pcbFromGerbers', export: false },
    { source: 'site', target: 'provenance.homepage', as: 'url' },
    { source: 'licenseFrom', target: 'provenance.licenseFrom', as: 'line', export: false },
    { source: 'bomNotes', target: 'bom', as: 'notes', export: false },
  ],
  ignored: ['color', 'eda', 'readme', 'multi', 'ibom'],
  notProvided: {
    bom: 'the Kitspace project names no readable CSV/TSV BOM',
    production: 'the Kitspace project ships no gerbers',
    'docs.sources': 'the Kitspace project\'s EDA files stay in its repository; import does not copy them',
    documentationLanguage: 'kitspace.yaml does not state the documentation language',
    function: 'kitspace.yaml has no summary',
    licensor: 'neither kitspace.yaml nor a LICENSE file beside it names the copyright holder',
  },
};

/** Column names (lower case) of Kitspace 1-click BOMs and common EDA exports, by meaning. */
export const KITSPACE_BOM_COLUMNS = {
  references: ['references', 'reference', 'designator', 'designators', 'ref', 'refs', 'part references', 'ref des'],
  quantity: ['qty', 'quantity', 'count', 'quantity per pcb', 'qnty'],
  name: ['description', 'value', 'comment', 'name', 'part', 'component'],
  manufacturer: ['manufacturer', 'manufacturer name', 'mfr', 'mfg', 'manufacturer_name'],
  mpn: ['mpn', 'manufacturer part number', 'manufacturer_part_number', 'mfr part number', 'mfr. #', 'part number', 'mfr_pn'],
  /** Supplier order-number columns → supplier name shown. */
  suppliers: {
    digikey: 'Digikey', 'digi-key': 'Digikey', 'digikey part number': 'Digikey', mouser: 'Mouser', 'mouser part number': 'Mouser',
    rs: 'RS', newark: 'Newark', farnell: 'Farnell', lcsc: 'LCSC', 'lcsc part #': 'LCSC', 'lcsc part number': 'LCSC', 'jlc assembly': 'JLC Assembly',
  } as Record<string, string>,
};

export interface KitspaceProject {
  /** Record id: `<folder>` or `<folder>/<subproject>`. */
  project: string;
  /** kitspace.yaml entry (single shape, or one `multi:` value). */
  entry: Record<string, unknown>;
}

/** The (sub)projects of a parsed kitspace.yaml. */
export function kitspaceProjects(doc: unknown, folder: string): KitspaceProject[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const d = doc as Record<string, unknown>;
  const multi = d.multi;
  if (multi && typeof multi === 'object' && !Array.isArray(multi)) {
    return Object.entries(multi as Record<string, unknown>)
      .filter(([, v]) => v !== null && typeof v === 'object')
      .map(([sub, v]) => ({ project: `${folder}/${sub}`, entry: v as Record<string, unknown> }));
  }
  return [{ project: folder, entry: d }];
}

/** Facts read from a LICENSE file: the licence it names and the copyright holder. */
export function readLicenseFile(text: string): { license?: string; licensor?: string } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(0, 40);
  const out: { license?: string; licensor?: string } = {};
  const spdx = lines.map((l) => /SPDX-License-Identifier:\s*(.+)$/i.exec(l)?.[1]).find(Boolean);
  if (spdx) out.license = spdx.trim();
  else {
    // The title line names the licence; the first one the alias table reads (or finds ambiguous) wins.
    for (const l of lines.slice(0, 6)) {
      const n = normaliseLicense(l);
      if (n.ok || n.code === 'license-ambiguous') { out.license = l; break; }
    }
  }
  const holder = lines.map((l) => /^copyright\s*(?:\(c\)|©)?\s*(?:[0-9]{4}(?:\s*[-–,]\s*[0-9]{4})*)?\s*(?:by\s+)?(.+)$/i.exec(l)?.[1]).find((h) => h && /[a-z]/i.test(h) && !/notice|holder|owner/i.test(h));
  if (holder) out.licensor = holder.replace(/\.$/, '').trim();
  return out;
}

export interface BomParse { lines: BomLine[]; notes: string[] }

/** A Kitspace BOM (CSV or TSV, UTF-8) → manifest BOM lines; rows without a name or quantity are noted. */
export function parseKitspaceBom(bytes: Uint8Array, file: string): BomParse {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const head = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = head.includes('\t') ? '\t' : (head.split(';').length > head.split(',').length ? ';' : ',');
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    return { lines: [], notes: [`${file} (unreadable: ${(e as Error).message.split('\n')[0]})`] };
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase().trim());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const at = { references: col(KITSPACE_BOM_COLUMNS.references), quantity: col(KITSPACE_BOM_COLUMNS.quantity), name: col(KITSPACE_BOM_COLUMNS.name), manufacturer: col(KITSPACE_BOM_COLUMNS.manufacturer), mpn: col(KITSPACE_BOM_COLUMNS.mpn) };
  const suppliers = header.flatMap((h, i) => (KITSPACE_BOM_COLUMNS.suppliers[h] ? [[i, KITSPACE_BOM_COLUMNS.suppliers[h]!] as const] : []));
  const notes: string[] = [];
  const lines: BomLine[] = [];
  const cell = (row: string[], i: number): string => (i >= 0 ? (row[i] ?? '').replace(/\s+/g, ' ').trim() : '');
  rows.slice(1).forEach((row, r) => {
    const refs = [...new Set(cell(row, at.references).split(/[,;\s]+/).filter(Boolean))];
    const mpn = cell(row, at.mpn);
    const name = cell(row, at.name) || mpn || refs.join(' ');
    const qty = Number(cell(row, at.quantity).replace(',', '.'));
    const quantity = qty > 0 && Number.isFinite(qty) ? qty : refs.length;
    if (!name || !(quantity > 0)) { notes.push(`${file} row ${r + 2} (no name or quantity)`); return; }
    const line: BomLine = { id: `line-${lines.length + 1}`, name, type: 'cots', quantity };
    if (refs.length) line.references = refs;
    const manufacturer = cell(row, at.manufacturer);
    if (manufacturer) line.manufacturer = manufacturer;
    if (mpn) line.mpn = mpn;
    const parts: SupplierPart[] = suppliers.map(([i, supplier]) => ({ supplier, sku: cell(row, i) })).filter((p) => p.sku !== '');
    if (parts.length) line.supplierParts = parts;
    lines.push(line);
  });
  return { lines, notes };
}

/**
 * The record the table reads: the kitspace.yaml entry plus the facts of its folder. A LICENSE
 * file decides; `asserted` (ohw import --license/--licensor, the importer's own statement) only
 * fills what neither kitspace.yaml nor a LICENSE file says, and the record says which it was.
 */
export function kitspaceRecord(p: KitspaceProject, side: { bom?: BomParse; bomSkipped?: string; license?: { license?: string; licensor?: string }; asserted?: { license?: string; licensor?: string } }): Record<string, unknown> {
  const sub = p.project.includes('/') ? p.project.split('/').pop()! : undefined;
  const repo = p.project.split('/')[0]!.split('__').pop()!;
  const title = sub ? `${repo} ${sub}` : repo;
  const rec: Record<string, unknown> = { project: p.project, title, ...p.entry };
  if (side.bom) rec.bomLines = side.bom.lines;
  const bomNotes = [...(side.bom?.notes ?? []), ...(side.bomSkipped ? [side.bomSkipped] : [])];
  if (bomNotes.length) rec.bomNotes = bomNotes;
  if (side.license?.license) rec.license = side.license.license;
  if (side.license?.licensor) rec.licensor = side.license.licensor;
  if (rec.license !== undefined || rec.licensor !== undefined) rec.licenseFrom = 'license-file';
  if (rec.license === undefined && side.asserted?.license) { rec.license = side.asserted.license; rec.licenseFrom = 'importer'; }
  if (rec.licensor === undefined && side.asserted?.licensor) { rec.licensor = side.asserted.licensor; rec.licenseFrom = 'importer'; }
  return rec;
}
