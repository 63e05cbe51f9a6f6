/**
 * A BOM written as CSV (`bom: bom.csv` in design.yaml), read into the same BOM line objects as
 * a YAML BOM so that one set of schema and semantic checks covers both.
 *
 * Format: RFC 4180 (comma separated, `"` quoting, UTF-8, optional BOM), a header row first,
 * one BOM line per row, empty rows ignored, cells trimmed, an empty cell = field not given.
 * Header names are matched ignoring case, `_`, `-` and spaces (`lead_time_days`,
 * `leadTimeDays` and `Lead Time Days` are the same column); order is free; unknown names are
 * errors. Required columns: id, name, type, quantity.
 *
 *   id, name, type, quantity, unit, manufacturer, mpn, datasheet, part, notes
 *                         as the BOM line fields of the same name
 *   references            designators separated by spaces, commas or `;` ("R1 R2", "R1;R2")
 *   fitted                true/false, yes/no or 1/0
 *   attrition_percent     attritionPercent
 *   subassembly_package, subassembly_version
 *                         subassembly.package (owner/name) and .version (semver range)
 *   supplier, sku, url, region, currency, moq, lead_time_days
 *                         one offer per row (multiple offers per line need the YAML form)
 *   price (or price_breaks)
 *                         the offer's price breaks: `0.12` (one break at qty 1) or
 *                         `qty:price` pairs separated by `;`, e.g. `1:0.12;100:0.08`
 *
 * Cells that should be numbers but are not are kept as text, so the schema reports them the
 * same way it does in YAML (`must be a number, got string "two"`).
 */
import { parse } from 'csv-parse/sync';
import type { Issue } from '../errors.ts';
import type { FieldPath } from './field-path.ts';
import { MANIFEST_LIMITS, formatBytes } from './limits.ts';
import { fileIssue, type Location, type Locator } from './report.ts';
import { closest } from './suggest.ts';

export const BOM_CSV_COLUMNS = [
  'id', 'name', 'type', 'quantity', 'unit', 'references', 'fitted', 'manufacturer', 'mpn', 'datasheet', 'part',
  'subassembly_package', 'subassembly_version', 'supplier', 'sku', 'url', 'region', 'currency', 'price', 'moq',
  'lead_time_days', 'attrition_percent', 'notes',
] as const;
type Column = (typeof BOM_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['id', 'name', 'type', 'quantity'];
const OFFER_COLUMNS: readonly Column[] = ['supplier', 'sku', 'url', 'region', 'currency', 'price', 'moq', 'lead_time_days'];

/** Names other BOM tools use, for the did-you-mean of an unknown column. */
const COMMON_NAMES: Record<string, Column> = {
  qty: 'quantity', count: 'quantity', description: 'name', designator: 'references', designators: 'references',
  refdes: 'references', reference: 'references', dnp: 'fitted', price_breaks: 'price', vendor: 'supplier',
};

const squash = (h: string): string => h.toLowerCase().replace(/[\s_-]/g, '');
const BY_SQUASHED = new Map<string, Column>([...BOM_CSV_COLUMNS.map((c) => [squash(c), c] as const), ['pricebreaks', 'price']]);

/** The CSV column a BOM line field (path after `bom[i]`) comes from. */
const FIELD_COLUMN: Record<string, Column> = {
  attritionPercent: 'attrition_percent',
  subassembly: 'subassembly_package',
  offers: 'supplier',
};
const OFFER_FIELD_COLUMN: Record<string, Column> = {
  supplier: 'supplier', sku: 'sku', url: 'url', region: 'region', currency: 'currency',
  priceBreaks: 'price', moq: 'moq', leadTimeDays: 'lead_time_days',
};

export interface CsvBom {
  /** Undefined when the file could not be read as a BOM at all. */
  lines?: Record<string, unknown>[];
  /** Locates `['bom', i, …]` paths in the CSV file. */
  locator: Locator;
  issues: Issue[];
}

export function readBomCsv(bytes: Uint8Array, file: string): CsvBom {
  const rowLines: number[] = [];
  const columnIndex = new Map<Column, number>();
  const locator: Locator = { locate: (path) => locateInCsv(path, file, rowLines, columnIndex) };
  const fail = (issue: Issue): CsvBom => ({ locator, issues: [issue] });

  if (bytes.byteLength > MANIFEST_LIMITS.maxCsvBytes) {
    return fail(fileIssue(file, 'file-too-large', `${file} is ${formatBytes(bytes.byteLength)}; the limit for a BOM file is ${formatBytes(MANIFEST_LIMITS.maxCsvBytes)}`));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(fileIssue(file, 'not-utf8', `${file} is not valid UTF-8 text`));
  }

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: false,
      // Header + one row over the limit is enough to know the file is too long.
      to: MANIFEST_LIMITS.maxBomLines + 2,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const line = typeof err.lines === 'number' ? err.lines : 0;
    return fail({ file, path: 'bom', line, column: line > 0 ? 1 : 0, code: 'csv-syntax', message: (err.message ?? String(e)).replace(/ on line \d+$/, ''), severity: 'error' });
  }

  const [header, ...rows] = records;
  if (header === undefined) return fail({ ...fileIssue(file, 'empty', `${file} is empty; it needs a header row (${REQUIRED_COLUMNS.join(',')},…) and one row per BOM line`, 'bom') });

  const issues: Issue[] = [];
  const headerIssue = (col: number, code: string, message: string): void => {
    issues.push({ file, path: 'bom', line: header.info.lines, column: col, code, message, severity: 'error' });
  };
  header.record.forEach((h, i) => {
    const col = BY_SQUASHED.get(squash(h));
    if (col === undefined) {
      const near = COMMON_NAMES[h.trim().toLowerCase()] ?? closest(h, BOM_CSV_COLUMNS);
      headerIssue(i + 1, 'csv-unknown-column', `unknown column "${h}"${near ? ` (did you mean "${near}"?)` : ''}`);
    } else if (columnIndex.has(col)) {
      headerIssue(i + 1, 'csv-duplicate-column', `column "${h}" appears twice`);
    } else {
      columnIndex.set(col, i);
    }
  });
  for (const req of REQUIRED_COLUMNS) {
    if (!columnIndex.has(req)) headerIssue(1, 'csv-missing-column', `missing required column "${req}"`);
  }
  if (issues.length > 0) return { locator, issues };

  if (rows.length > MANIFEST_LIMITS.maxBomLines) {
    return fail({ ...fileIssue(file, 'bom-too-large', `${file} has more than ${MANIFEST_LIMITS.maxBomLines} BOM lines, the limit`, 'bom') });
  }

  const lines = rows.map(({ record, info }) => {
    // info.lines is where the row ends; a quoted cell may span lines.
    const spanned = record.reduce((n, cell) => n + countNewlines(cell), 0);
    rowLines.push(info.lines - spanned);
    const cell = (c: Column): string | undefined => {
      const i = columnIndex.get(c);
      const v = i === undefined ? undefined : record[i];
      return v === undefined || v === '' ? undefined : v;
    };
    return toBomLine(cell);
  });
  return { lines, locator, issues };
}

function toBomLine(cell: (c: Column) => string | undefined): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  const set = (key: string, v: unknown): void => { if (v !== undefined) line[key] = v; };
  set('id', cell('id'));
  set('name', cell('name'));
  set('type', cell('type'));
  set('quantity', num(cell('quantity')));
  set('unit', cell('unit'));
  set('references', cell('references')?.split(/[\s,;]+/).filter((r) => r !== ''));
  set('fitted', bool(cell('fitted')));
  for (const k of ['manufacturer', 'mpn', 'datasheet', 'part'] as const) set(k, cell(k));
  const pkg = cell('subassembly_package');
  const range = cell('subassembly_version');
  if (pkg !== undefined || range !== undefined) {
    set('subassembly', { ...(pkg !== undefined && { package: pkg }), ...(range !== undefined && { version: range }) });
  }
  if (OFFER_COLUMNS.some((c) => cell(c) !== undefined)) {
    const offer: Record<string, unknown> = {};
    const put = (key: string, v: unknown): void => { if (v !== undefined) offer[key] = v; };
    put('supplier', cell('supplier'));
    put('sku', cell('sku'));
    put('url', cell('url'));
    put('region', cell('region'));
    put('currency', cell('currency'));
    put('priceBreaks', priceBreaks(cell('price')));
    put('moq', num(cell('moq')));
    put('leadTimeDays', num(cell('lead_time_days')));
    line.offers = [offer];
  }
  set('attritionPercent', num(cell('attrition_percent')));
  set('notes', cell('notes'));
  return line;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const num = (v: string | undefined): number | string | undefined => (v !== undefined && NUMBER.test(v) ? Number(v) : v);

function bool(v: string | undefined): boolean | string | undefined {
  if (v === undefined) return undefined;
  const l = v.toLowerCase();
  if (l === 'true' || l === 'yes' || l === '1') return true;
  if (l === 'false' || l === 'no' || l === '0') return false;
  return v;
}

function priceBreaks(v: string | undefined): unknown[] | undefined {
  if (v === undefined) return undefined;
  if (!v.includes(':')) return [{ qty: 1, price: num(v) }];
  return v.split(';').filter((s) => s.trim() !== '').map((pair) => {
    const [qty = '', price = ''] = pair.split(':').map((s) => s.trim());
    return { qty: num(qty), price: num(price) };
  });
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function locateInCsv(path: FieldPath, file: string, rowLines: number[], columnIndex: Map<Column, number>): Location {
  const row = typeof path[1] === 'number' ? path[1] : undefined;
  const line = row === undefined ? 1 : (rowLines[row] ?? 1);
  const field = path[2];
  let column: Column | undefined;
  if (typeof field === 'string') {
    if (field === 'subassembly' && path[3] === 'version') column = 'subassembly_version';
    else if (field === 'offers' && typeof path[4] === 'string') column = OFFER_FIELD_COLUMN[path[4]];
    else column = FIELD_COLUMN[field] ?? BY_SQUASHED.get(squash(field));
  }
  const index = column === undefined ? undefined : columnIndex.get(column);
  return { file, line, column: index === undefined ? 1 : index + 1 };
}
