/**
 * Summary diff between two published versions of (possibly different) designs — what a fork
 * shows as "upstream changes since the fork point". Pure: callers hand in manifests and file
 * hashes, nothing here reads git or the disk.
 *
 *   manifest  changed fields as dotted paths (`license.hardware`, `maturity.technology`); plain
 *             objects are descended into, arrays and scalars compare as a whole. `name`,
 *             `version`, `forkOf` (identity, always different between a fork and its upstream)
 *             and `bom` (diffed line by line below) are left out.
 *   bom       lines keyed by their stable `id`: added, removed, quantity changed (same unit or
 *             not), and other changes (which fields).
 *   files     paths added, removed, and changed (different sha256).
 */
import type { BomLine, Manifest } from '../../schema/types.ts';

export interface DiffSide { package: string; version: string }

export interface FieldChange { field: string; from: unknown; to: unknown }

export interface BomLineSummary { id: string; name: string; quantity: number; unit: string }

export interface BomQuantityChange { id: string; name: string; from: number; to: number; fromUnit: string; toUnit: string }

export interface BomDiff {
  added: BomLineSummary[];
  removed: BomLineSummary[];
  quantityChanged: BomQuantityChange[];
  /** Lines present on both sides whose other fields differ (quantity/unit excluded). */
  changed: Array<{ id: string; name: string; fields: string[] }>;
}

export interface FilesDiff { added: string[]; removed: string[]; changed: string[] }

export interface DesignDiff {
  from: DiffSide;
  to: DiffSide;
  manifest: FieldChange[];
  bom: BomDiff;
  files: FilesDiff;
  /** True when nothing at all differs (manifest fields, BOM and files). */
  identical: boolean;
}

export interface DiffInput extends DiffSide {
  manifest: Manifest;
  /** path → lower-case hex sha256 of the bytes. */
  files: ReadonlyMap<string, string>;
}

const IDENTITY_FIELDS = new Set(['name', 'version', 'forkOf', 'bom']);

export function diffDesigns(from: DiffInput, to: DiffInput): DesignDiff {
  const manifest = diffManifest(from.manifest, to.manifest);
  const bom = diffBom(from.manifest.bom, to.manifest.bom);
  const files = diffFiles(from.files, to.files);
  const identical = manifest.length === 0 && bom.added.length === 0 && bom.removed.length === 0 &&
    bom.quantityChanged.length === 0 && bom.changed.length === 0 &&
    files.added.length === 0 && files.removed.length === 0 && files.changed.length === 0;
  return { from: { package: from.package, version: from.version }, to: { package: to.package, version: to.version }, manifest, bom, files, identical };
}

export function diffManifest(a: Manifest, b: Manifest): FieldChange[] {
  const out: FieldChange[] = [];
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of unionKeys(ra, rb)) {
    if (IDENTITY_FIELDS.has(key)) continue;
    walk(key, ra[key], rb[key], out);
  }
  return out;
}

function walk(path: string, x: unknown, y: unknown, out: FieldChange[]): void {
  if (isPlainObject(x) && isPlainObject(y)) {
    for (const k of unionKeys(x, y)) walk(`${path}.${k}`, x[k], y[k], out);
    return;
  }
  if (!deepEqual(x, y)) out.push({ field: path, from: x ?? null, to: y ?? null });
}

export function diffBom(a: readonly BomLine[], b: readonly BomLine[]): BomDiff {
  const before = new Map(a.map((l) => [l.id, l]));
  const after = new Map(b.map((l) => [l.id, l]));
  const diff: BomDiff = { added: [], removed: [], quantityChanged: [], changed: [] };
  for (const [id, line] of after) if (!before.has(id)) diff.added.push(summary(line));
  for (const [id, line] of before) if (!after.has(id)) diff.removed.push(summary(line));
  for (const [id, x] of before) {
    const y = after.get(id);
    if (!y) continue;
    if (x.quantity !== y.quantity || unitOf(x) !== unitOf(y)) {
      diff.quantityChanged.push({ id, name: y.name, from: x.quantity, to: y.quantity, fromUnit: unitOf(x), toUnit: unitOf(y) });
    }
    const rx = x as unknown as Record<string, unknown>;
    const ry = y as unknown as Record<string, unknown>;
    const fields = unionKeys(rx, ry).filter((k) => k !== 'quantity' && k !== 'unit' && k !== 'id' && !deepEqual(rx[k], ry[k]));
    if (fields.length) diff.changed.push({ id, name: y.name, fields });
  }
  const byId = (p: { id: string }, q: { id: string }) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0);
  diff.added.sort(byId);
  diff.removed.sort(byId);
  diff.quantityChanged.sort(byId);
  diff.changed.sort(byId);
  return diff;
}

export function diffFiles(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): FilesDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [path, hash] of b) {
    const old = a.get(path);
    if (old === undefined) added.push(path);
    else if (old !== hash) changed.push(path);
  }
  for (const path of a.keys()) if (!b.has(path)) removed.push(path);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** One line a person can read: `manifest: 2 fields · BOM: +1 −0, 2 quantities, 1 changed · files: +0 −0 ~3`. */
export function summarizeDiff(d: DesignDiff): string {
  if (d.identical) return 'no differences';
  const b = d.bom;
  return `manifest: ${d.manifest.length} field(s) · BOM: +${b.added.length} −${b.removed.length}, ` +
    `${b.quantityChanged.length} quantity change(s), ${b.changed.length} other line change(s) · ` +
    `files: +${d.files.added.length} −${d.files.removed.length} ~${d.files.changed.length}`;
}

const unitOf = (l: BomLine): string => l.unit ?? 'pcs';
const summary = (l: BomLine): BomLineSummary => ({ id: l.id, name: l.name, quantity: l.quantity, unit: unitOf(l) });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/** Structural equality of JSON-like values; key order does not matter, undefined equals absent. */
export function deepEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => deepEqual(v, y[i]));
  }
  if (isPlainObject(x) && isPlainObject(y)) {
    return unionKeys(x, y).every((k) => deepEqual(x[k], y[k]));
  }
  return false;
}
