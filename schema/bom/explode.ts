/**
 * Explosion: the resolved tree → a flat list of leaf lines for ONE top-level unit.
 *
 * - Quantity of a leaf = its `quantity` × the quantities of every sub-assembly line above it,
 *   × (1 + attritionPercent/100) of the leaf and of every sub-assembly line above it (scrapping
 *   5 % of a sub-assembly costs 5 % more of everything in it). Units are kept (`pcs` default).
 *   Quantities are rounded to 9 decimals to remove binary noise; whole-piece rounding happens
 *   only in costing, after multiplying by the batch.
 * - Merge key, in order of preference:
 *     `mpn:<manufacturer>|<mpn>`  normalised (trimmed, inner spaces collapsed, lower case),
 *     `part:<package>@<version>:<part id>` (a self-made part of one resolved version),
 *     `line:<package>@<version>:<line id>` (the same line of a sub-assembly used in many places).
 *   Lines with the same key and the same unit are summed; the same key in different units is
 *   kept apart with a warning (`"M8 threaded rod" appears in kg and pcs; kept apart`).
 * - Every merged line keeps where it comes from (`from[]`: path and quantity per occurrence),
 *   the union of its offers, alternatives and references.
 * - `fitted: false` lines (and whole sub-assemblies marked so) are not exploded into `lines`;
 *   they are listed, merged the same way, in `notFitted`.
 * - More than `maxLines` (100,000) line occurrences in the expanded tree → `INVALID_REQUEST`.
 *   Occurrences are counted before merging, sub-assembly lines included, so a design that
 *   references a large sub-assembly many times is bounded too.
 */
import { OhwError } from '../errors.ts';
import type { Alternative, BomLine, BomLineType, Offer, Unit } from '../types.ts';
import { roundQty } from './decimal.ts';
import { BOM_LIMITS, nodeKey, type ResolvedNode, type ResolvedTree } from './resolve.ts';

export interface WhereFrom {
  /** `ose/lifetrac@1.0.0 > power-cube ×2 > ose/power-cube@1.1.0 > engine` */
  path: string;
  /** What this occurrence contributes, per top-level unit, after attrition. */
  quantity: number;
}

export interface ExplodedLine {
  /** Merge key (see module comment); together with `unit` it identifies the line. */
  key: string;
  /** Id of the first occurrence's BOM line, and the `package@version` it is in. */
  id: string;
  package: string;
  name: string;
  type: BomLineType;
  unit: Unit;
  /** Per ONE top-level unit, after attrition, summed over every occurrence. */
  quantity: number;
  manufacturer?: string;
  mpn?: string;
  part?: string;
  datasheet?: string;
  offers: Offer[];
  alternatives: Alternative[];
  references: string[];
  from: WhereFrom[];
  notes?: string;
}

export interface ExplodedBom {
  /** `package@version` of the top-level design. */
  root: string;
  lines: ExplodedLine[];
  notFitted: ExplodedLine[];
  /** Resolution warnings followed by explosion warnings (mixed units). */
  warnings: string[];
  /** Line occurrences visited (before merging). */
  occurrences: number;
}

export interface ExplodeOptions { maxLines?: number }

const norm = (s: string | undefined): string => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

export function mergeKey(line: BomLine, pkgAtVersion: string): string {
  if (line.mpn && line.mpn.trim()) return `mpn:${norm(line.manufacturer)}|${norm(line.mpn)}`;
  if (line.part) return `part:${pkgAtVersion}:${line.part}`;
  return `line:${pkgAtVersion}:${line.id}`;
}

const offerKey = (o: Offer): string => [o.supplier, o.sku ?? '', o.currency, o.region ?? ''].map(norm).join('|');
const altKey = (a: Alternative): string => `${norm(a.manufacturer)}|${norm(a.mpn)}`;

class Merger {
  private readonly byId = new Map<string, ExplodedLine & { offerKeys: Set<string>; altKeys: Set<string>; refSet: Set<string> }>();
  private readonly units = new Map<string, { name: string; units: Set<Unit> }>();

  add(line: BomLine, pkgAtVersion: string, quantity: number, path: string): void {
    const unit: Unit = line.unit ?? 'pcs';
    const key = mergeKey(line, pkgAtVersion);
    const id = `${key}\u0000${unit}`;
    const u = this.units.get(key);
    if (u) u.units.add(unit);
    else this.units.set(key, { name: line.name, units: new Set([unit]) });
    let acc = this.byId.get(id);
    if (!acc) {
      acc = {
        key, id: line.id, package: pkgAtVersion, name: line.name, type: line.type, unit, quantity: 0,
        ...(line.manufacturer !== undefined ? { manufacturer: line.manufacturer } : {}),
        ...(line.mpn !== undefined ? { mpn: line.mpn } : {}),
        ...(line.part !== undefined ? { part: line.part } : {}),
        ...(line.datasheet !== undefined ? { datasheet: line.datasheet } : {}),
        ...(line.notes !== undefined ? { notes: line.notes } : {}),
        offers: [], alternatives: [], references: [], from: [],
        offerKeys: new Set(), altKeys: new Set(), refSet: new Set(),
      };
      this.byId.set(id, acc);
    }
    acc.quantity = roundQty(acc.quantity + quantity);
    acc.from.push({ path, quantity });
    for (const o of line.offers ?? []) {
      const k = offerKey(o);
      if (!acc.offerKeys.has(k)) { acc.offerKeys.add(k); acc.offers.push(o); }
    }
    for (const a of line.alternatives ?? []) {
      const k = altKey(a);
      if (!acc.altKeys.has(k)) { acc.altKeys.add(k); acc.alternatives.push(a); }
    }
    for (const r of line.references ?? []) {
      if (!acc.refSet.has(r)) { acc.refSet.add(r); acc.references.push(r); }
    }
  }

  lines(): ExplodedLine[] {
    return [...this.byId.values()].map(({ offerKeys: _o, altKeys: _a, refSet: _r, ...line }) => line);
  }

  mixedUnitWarnings(): string[] {
    const out: string[] = [];
    for (const { name, units } of this.units.values()) {
      if (units.size < 2) continue;
      const list = [...units].sort();
      const spoken = `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
      out.push(`"${name}" appears in ${spoken}; kept apart`);
    }
    return out;
  }
}

const multiplier = (line: BomLine): number => line.quantity * (1 + (line.attritionPercent ?? 0) / 100);

export function explode(tree: ResolvedTree, opts: ExplodeOptions = {}): ExplodedBom {
  const maxLines = opts.maxLines ?? BOM_LIMITS.maxLines;
  const fitted = new Merger();
  const notFitted = new Merger();
  let occurrences = 0;

  const walk = (node: ResolvedNode, factor: number, prefix: string): void => {
    const edgeByLine = new Map(node.edges.map((e) => [e.lineIndex, e]));
    node.manifest.bom.forEach((line, i) => {
      occurrences++;
      if (occurrences > maxLines) {
        throw new OhwError('INVALID_REQUEST', `the exploded BOM of ${tree.root.key} has more than the limit of ${maxLines.toLocaleString('en-US')} lines`, {
          details: { limit: maxLines },
        });
      }
      if (!(typeof line.quantity === 'number' && line.quantity > 0 && Number.isFinite(line.quantity))) {
        throw new OhwError('INVALID_MANIFEST', `bom line "${line.id}" of ${node.key} has quantity ${String(line.quantity)}; it must be > 0`);
      }
      const q = roundQty(factor * multiplier(line));
      const edge = edgeByLine.get(i);
      if (line.fitted === false) {
        notFitted.add(line, node.key, q, `${prefix} > ${line.id}`);
        return;
      }
      if (edge) {
        const child = tree.nodes.get(nodeKey(edge.package, edge.version));
        if (!child) throw new OhwError('INTERNAL', `resolved tree is missing ${nodeKey(edge.package, edge.version)}`);
        const qty = line.quantity === 1 ? '' : ` ×${roundQty(line.quantity)}`;
        walk(child, q, `${prefix} > ${line.id}${qty} > ${child.key}`);
        return;
      }
      fitted.add(line, node.key, q, `${prefix} > ${line.id}`);
    });
  };
  walk(tree.root, 1, tree.root.key);

  return {
    root: tree.root.key,
    lines: fitted.lines(),
    notFitted: notFitted.lines(),
    warnings: [...tree.warnings, ...fitted.mixedUnitWarnings()],
    occurrences,
  };
}
